"""What the provider will make of a consumer double vote, asked before anything is signed.

Who it is: the consumer consensus address maps to a provider validator through key assignment (no
assignment means the validator runs its provider key on the consumer). Whether it is admissible: the
consumer must be launched, the vote at or above the consumer's minimum evidence height
(``initial_height.revision_height``), the validator found, bonded and not yet tombstoned — the conditions
under which ``HandleConsumerDoubleVoting`` would reject the transaction. And what happens: the consumer's
double-sign infraction parameters (v6.4+) or the provider's own slashing parameters (v4/v5).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ics_workbench.addresses import encode_address
from ics_workbench.chain.comet import CometRpc
from ics_workbench.chain.http import state_missing
from ics_workbench.chain.models import ConsumerChain, SigningInfo, SlashingParams, Validator
from ics_workbench.chain.provider import ProviderClient
from ics_workbench.chain.rest import RestClient, paginate
from ics_workbench.errors import AllEndpointsFailed, EndpointError, WorkbenchError
from ics_workbench.evidence.checks import Check, Status
from ics_workbench.evidence.model import DuplicateVoteEvidence
from ics_workbench.tasks import NO_JOB, Job


@dataclass(frozen=True)
class ProviderMapping:
    consumer_address: str
    """consumer valcons (bech32) of the key that double voted"""
    provider_address: str
    key_assigned: bool
    moniker: str = ""
    operator_address: str = ""
    power: int = 0
    tokens: int = 0
    status: str = ""
    jailed: bool = False
    tombstoned: bool | None = None
    opted_in: bool | None = None
    """opted in to the consumer now (None: not asked, e.g. for a past height); the provider punishes a double
    vote whether or not the validator is still opted in"""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def map_consumer_address(
    provider: ProviderClient,
    rest: RestClient,
    consumer: ConsumerChain,
    consumer_address: bytes,
    *,
    job: Job = NO_JOB,
) -> ProviderMapping:
    """The provider validator behind a consumer consensus address, with power and jail/tombstone state.

    The provider keeps the mapping of a replaced consumer key until it is pruned (an unbonding period
    later), so evidence for an old key still maps to the right validator. Asked at the provider's latest
    state on purpose, not at a past height: ``HandleConsumerDoubleVoting`` maps the address with the state of
    the block that executes the message, and the infraction height counts consumer blocks, not provider ones.
    """
    return _mapping(provider, rest, consumer, consumer_address, None, job)


@dataclass(frozen=True)
class MappingAtTime:
    """Who a consumer key belonged to when it double voted, and at which provider block that was read."""

    when: datetime
    """the infraction time (votes' timestamp)"""
    provider_height: int
    """the last provider block at or before ``when``"""
    provider_time: datetime
    mapping: ProviderMapping
    """provider state at ``provider_height``: mapping, power, jail and tombstone as they were then"""

    def to_json(self) -> dict[str, Any]:
        return {
            "when": self.when.isoformat(),
            "provider_height": self.provider_height,
            "provider_time": self.provider_time.isoformat(),
            "mapping": self.mapping.to_json(),
        }


class PrunedHeightError(WorkbenchError):
    """No endpoint of the provider profile keeps the state (or blocks) a historical query needs."""

    def __init__(self, message: str, height: int) -> None:
        super().__init__(message)
        self.height = height


def map_consumer_address_at(
    provider: ProviderClient,
    rest: RestClient,
    consumer: ConsumerChain,
    consumer_address: bytes,
    when: datetime,
    *,
    blocks: RestClient | CometRpc | None = None,
    job: Job = NO_JOB,
) -> MappingAtTime:
    """The mapping as it stood at the infraction time, for a key replaced (and pruned) since.

    The infraction height counts consumer blocks, so the provider state is found by time: the last provider
    block at or before ``when`` (block times from ``blocks``, by default ``rest``). The state of that block
    needs an archive endpoint once the node has pruned it; :class:`PrunedHeightError` says so.
    :func:`map_consumer_address` stays what the provider will use when the message executes.
    """
    source = blocks if blocks is not None else rest
    height, block_time = _provider_block_at(source, when, job)
    try:
        mapping = _mapping(provider, rest, consumer, consumer_address, height, job)
    except (EndpointError, AllEndpointsFailed) as error:
        if not _any_state_missing(error):
            raise
        raise PrunedHeightError(
            f"no archive endpoint keeps provider height {height} (pruned); add an archive REST endpoint to the "
            f"provider profile ({error})",
            height,
        ) from None
    return MappingAtTime(when, height, block_time, mapping)


def provider_height_at(source: RestClient | CometRpc, when: datetime, *, job: Job = NO_JOB) -> int:
    """The provider block at or just before ``when``: binary search over block times.

    At most ``ceil(log2(latest height)) + 3`` queries: the head, the earliest kept block (twice when the
    endpoints say they pruned the start of the chain, naming their lowest height) and one per halving.
    Block times only grow with height (BFT time), which is what makes the halving valid.
    """
    return _provider_block_at(source, when, job)[0]


_LOWEST = re.compile(r"lowest height is (\d+)")
"""CometBFT's words for a pruned block store (``height H is not available, lowest height is L``)"""


def _provider_block_at(source: RestClient | CometRpc, when: datetime, job: Job) -> tuple[int, datetime]:
    if when.tzinfo is None:
        raise ValueError(f"the infraction time must carry a time zone, got {when.isoformat()}")
    latest, latest_time = _head(source, job)
    if when >= latest_time:
        return latest, latest_time
    low, low_time = _earliest(source, job)
    if low_time > when and low == 1:
        raise WorkbenchError(
            f"the infraction time {when.isoformat()} is before the provider's first block ({low_time.isoformat()}); "
            "check the evidence's timestamp"
        )
    if low_time > when:
        raise PrunedHeightError(
            f"no endpoint keeps provider blocks from {when.isoformat()}: the earliest kept block is {low} at "
            f"{low_time.isoformat()}; add an archive endpoint to the provider profile",
            low,
        )
    high = latest  # invariant: time(low) <= when < time(high); each probe halves the gap
    steps = math.ceil(math.log2(max(high - low, 1)))
    for step in range(steps):
        if high - low <= 1:
            break
        job.check()
        middle = (low + high) // 2
        middle_time = _block_time(source, middle, job)
        if middle_time <= when:
            low, low_time = middle, middle_time
        else:
            high = middle
        job.progress((step + 1) / steps, "provider block at the infraction time")
    return low, low_time


def _head(source: RestClient | CometRpc, job: Job) -> tuple[int, datetime]:
    if isinstance(source, CometRpc):
        status = source.status(job=job)
        return status.latest_height, status.latest_time
    _, height, time = source.latest_head(job=job)
    return height, time


def _block_time(source: RestClient | CometRpc, height: int, job: Job) -> datetime:
    if isinstance(source, CometRpc):
        return source.header(height, job=job).time
    return source.block_time(height, job=job)


def _earliest(source: RestClient | CometRpc, job: Job) -> tuple[int, datetime]:
    """Block 1 if some endpoint keeps it, else the lowest block the endpoints say they keep."""
    try:
        return 1, _block_time(source, 1, job)
    except (EndpointError, AllEndpointsFailed) as error:
        lowest = [int(m) for m in _LOWEST.findall(str(error))]
        if not lowest:
            raise
    height = min(lowest)
    return height, _block_time(source, height, job)


def _any_state_missing(error: EndpointError | AllEndpointsFailed) -> bool:
    """Some endpoint said it pruned that height (the others, if any, failed as well)."""
    errors = error.errors if isinstance(error, AllEndpointsFailed) else [error]
    return any(state_missing(e) for e in errors)


def _mapping(
    provider: ProviderClient,
    rest: RestClient,
    consumer: ConsumerChain,
    consumer_address: bytes,
    height: int | None,
    job: Job,
) -> ProviderMapping:
    prefix = rest.valcons_prefix
    consumer_valcons = encode_address(consumer_address, prefix)
    # No assigned key: the provider answers "" and falls back to the consumer address itself (the client does).
    provider_valcons = provider.validator_provider_addr(consumer.key, consumer_valcons, height=height, job=job)
    opted_in = _opted_in(provider, consumer, provider_valcons, job) if height is None else None
    mapping = ProviderMapping(consumer_valcons, provider_valcons, provider_valcons != consumer_valcons,
                              opted_in=opted_in)
    validator = _find_validator(rest.validators(bonded_only=False, height=height, job=job), provider_valcons)
    info = _signing_info(rest, provider_valcons, height, job)
    if validator is None:
        return ProviderMapping(**{**asdict(mapping), "tombstoned": info.tombstoned if info else None})
    return ProviderMapping(
        consumer_address=consumer_valcons,
        provider_address=provider_valcons,
        key_assigned=mapping.key_assigned,
        moniker=validator.moniker,
        operator_address=validator.operator_address,
        power=validator.power,
        tokens=validator.tokens,
        status=validator.status,
        jailed=validator.jailed,
        tombstoned=info.tombstoned if info else None,
        opted_in=opted_in,
    )


def _opted_in(provider: ProviderClient, consumer: ConsumerChain, valcons: str, job: Job) -> bool | None:
    """Informative only (the provider does not ask it); None where the provider has no opt-in query (v4)."""
    try:
        return valcons in provider.opted_in(consumer.key, job=job)
    except (EndpointError, AllEndpointsFailed):
        return None


def _find_validator(validators: list[Validator], valcons: str) -> Validator | None:
    return next((v for v in validators if v.consensus_address == valcons), None)


def _signing_info(rest: RestClient, valcons: str, height: int | None, job: Job) -> SigningInfo | None:
    try:
        return rest.signing_info(valcons, height=height, job=job)
    except EndpointError as error:
        if error.kind == "http" and error.status == 404:
            return None
        raise


def admissibility(
    evidence: DuplicateVoteEvidence, consumer: ConsumerChain, mapping: ProviderMapping | None
) -> list[Check]:
    """The provider-side reasons a valid double vote would still be rejected, as checks."""
    checks = _consumer_checks(evidence, consumer)
    if mapping is None:
        checks.append(Check("validator found", Status.SKIPPED, "mapping not queried"))
        return checks
    return checks + _validator_checks(mapping)


def _consumer_checks(evidence: DuplicateVoteEvidence, consumer: ConsumerChain) -> list[Check]:
    """The consumer is launched, and the vote is not older than its initial height."""
    launched = consumer.phase == "LAUNCHED" and bool(consumer.client_id)
    checks = [
        Check(
            "consumer launched",
            Status.PASSED if launched else Status.FAILED,
            f"phase {consumer.phase}, client {consumer.client_id or 'none'}",
        )
    ]
    min_height = consumer.init_params.initial_height_revision_height if consumer.init_params else None
    if min_height is None:
        checks.append(
            Check("at or above minimum evidence height", Status.SKIPPED, "the provider did not report initial_height")
        )
    else:
        ok = evidence.height >= min_height
        checks.append(
            Check(
                "at or above minimum evidence height",
                Status.PASSED if ok else Status.FAILED,
                f"vote height {evidence.height}, minimum {min_height} (initial_height.revision_height)"
                + ("" if ok else ": evidence older than the consumer's initial height is rejected"),
            )
        )
    return checks


def _validator_checks(mapping: ProviderMapping) -> list[Check]:
    """The provider knows the validator, it is not fully unbonded, and it is not tombstoned yet."""
    checks: list[Check] = []
    found = bool(mapping.operator_address)
    checks.append(
        Check(
            "validator found",
            Status.PASSED if found else Status.FAILED,
            f"{mapping.moniker or mapping.provider_address} ({mapping.provider_address})"
            if found
            else f"no provider validator with consensus address {mapping.provider_address} (an unbonded validator "
            "without delegations is deleted); the provider refuses: not associated with any known validator",
        )
    )
    if found:
        unbonded = mapping.status == "BOND_STATUS_UNBONDED"
        # The provider slashes a bonded or still-unbonding validator; once its unbonding completed there is
        # nothing at stake any more and HandleConsumerDoubleVoting fails with "validator is unbonded".
        checks.append(
            Check(
                "validator not unbonded",
                Status.FAILED if unbonded else Status.PASSED,
                f"{mapping.status}: its unbonding completed, the provider refuses (validator is unbonded)"
                if unbonded
                else mapping.status,
            )
        )
    tombstoned = mapping.tombstoned
    checks.append(
        Check(
            "not already tombstoned",
            Status.SKIPPED if tombstoned is None else (Status.FAILED if tombstoned else Status.PASSED),
            "no signing info" if tombstoned is None else ("already tombstoned" if tombstoned else "not tombstoned"),
        )
    )
    return checks


def consequence(consumer: ConsumerChain, mapping: ProviderMapping, slashing: SlashingParams | None) -> dict[str, Any]:
    """Slash amount, jail and tombstone the provider would apply now (ADR-013 adds unbonding stake)."""
    params = consumer.infraction_parameters.double_sign if consumer.infraction_parameters else None
    if params is not None:
        fraction, jail, tombstone, source = (
            params.slash_fraction,
            params.jail_duration_seconds,
            params.tombstone,
            "consumer infraction parameters",
        )
    elif slashing is not None:
        fraction, jail, tombstone, source = (
            slashing.slash_fraction_double_sign,
            None,
            True,
            "provider slashing params (ICS v4/v5)",
        )
    else:
        return {"source": "unknown: no infraction parameters and no slashing params"}
    # The provider slashes (last power + stake unbonding or redelegating away) x fraction, the moving stake first
    # (ADR-013). A validator out of the active set has no last power: only its unbonding stake is certain to
    # lose, its own tokens just where that falls short.
    bonded = mapping.status in ("", "BOND_STATUS_BONDED")  # "": status unknown, assume it still validates
    slashed = int(Decimal(mapping.tokens) * fraction) if bonded else 0
    forever = jail is None or jail >= Decimal(9_000_000_000)  # ICS default: max time.Duration, ~292 years
    note = "unbonding delegations and redelegations since the infraction are slashed too (ADR-013)"
    if not bonded:
        note = (f"{mapping.status}: no voting power left, so the slash falls on the stake still unbonding or "
                "redelegating from it (ADR-013); its own tokens lose only what that does not cover")
    return {
        "source": source,
        "slash_fraction": str(fraction),
        "tokens_slashed_at_least": slashed,
        "tokens_before": mapping.tokens,
        "jail": "forever" if forever else f"{jail} s",
        "tombstone": tombstone,
        "note": note,
    }


def client_consensus_heights(rest: RestClient, client_id: str, *, job: Job = NO_JOB) -> list[tuple[int, int]]:
    """Heights of the consensus states the PROVIDER holds for the consumer's client: the only valid source
    of an infraction header's trusted height (Hermes once took them from the consumer chain by mistake)."""
    url, raw = paginate(
        rest.http, f"/ibc/core/client/v1/consensus_states/{client_id}/heights", "consensus_state_heights", job=job
    )
    heights = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise EndpointError(url, "shape", f"consensus_state_heights[{i}] is not an object")
        try:
            heights.append((int(item.get("revision_number", 0)), int(item["revision_height"])))
        except (KeyError, TypeError, ValueError):
            raise EndpointError(url, "shape", f"consensus_state_heights[{i}] has no integer revision_height") from None
    return heights


def stored_evidence(rest: RestClient, *, job: Job = NO_JOB) -> list[Any]:
    """Everything in the chain's x/evidence store (all pages), decoded like any evidence document.

    On a provider these are ``Equivocation`` records of its own double signs (who/when/power, no votes);
    consumer double votes submitted through ICS do not land here.
    """
    from ics_workbench.evidence.model import ParseError
    from ics_workbench.evidence.parse import parse_evidence_items

    url, raw = paginate(rest.http, "/cosmos/evidence/v1beta1/evidence", "evidence", job=job)
    try:
        return parse_evidence_items(raw, "evidence") if raw else []
    except ParseError as exc:
        raise EndpointError(url, "shape", str(exc)) from None
