"""One chain's downtime picture for the GUI: slashing params, every signing info mapped to a provider
validator, and the recent missed-blocks grid, fetched in one cancellable call.

The rows come from the chain's own x/slashing (a consumer counts by consumer keys), the recent grid from the
chain's ``/commit`` signatures, which carry hex addresses; each row gets its hex address so the grid and the
table line up without a second lookup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ics_workbench.addresses import AddressError, address_bytes
from ics_workbench.chain.http import JsonHttp
from ics_workbench.chain.models import KeyAssignment, SlashingParams, Validator
from ics_workbench.chain.rest import RestClient
from ics_workbench.evidence.downtime import DowntimeRow, MissedBlocks, downtime_rows, max_missed, missed_blocks
from ics_workbench.evidence.rpc import latest_height
from ics_workbench.tasks import NO_JOB, Job

MAX_RECENT = 10_000
"""Heights one view may ask ``/commit`` for (the CLI's limit too)."""


@dataclass(frozen=True)
class ChainDowntime:
    chain_id: str
    role: str
    """"provider" or "consumer": which keys the signing infos are counted under"""
    params: SlashingParams
    rows: tuple[DowntimeRow, ...]
    recent: MissedBlocks | None
    """None when no RPC was given or ``recent`` was 0"""
    validators: Mapping[str, Validator] = field(default_factory=dict, repr=False)
    """provider validators by provider consensus address (operator address, power)"""

    @property
    def allowed(self) -> int:
        return max_missed(self.params)

    def hex_address(self, row: DowntimeRow) -> str:
        """The row's signing address as the upper-case hex ``/commit`` uses ("" if it is not bech32)."""
        try:
            return address_bytes(row.address).hex().upper()
        except AddressError:
            return ""

    def operator(self, row: DowntimeRow) -> str:
        validator = self.validators.get(row.provider_address)
        return validator.operator_address if validator else ""

    def recent_flags(self, row: DowntimeRow) -> tuple[bool, ...] | None:
        """Signed/missed per recent height for ``row`` (all missed if it never appears in a commit)."""
        if self.recent is None:
            return None
        return self.recent.signed.get(self.hex_address(row), (False,) * len(self.recent.heights))


def chain_downtime(
    chain_id: str,
    role: str,
    rest: RestClient,
    provider_validators: Sequence[Validator],
    *,
    assignments: Sequence[KeyAssignment] = (),
    provider_rest: RestClient | None = None,
    rpc: JsonHttp | None = None,
    recent: int = 0,
    job: Job = NO_JOB,
) -> ChainDowntime:
    """Params, all signing infos (every page) and, with ``rpc``, the last ``recent`` heights' signatures.

    For a consumer, pass ``provider_rest``: a validator jailed or tombstoned on the provider is then shown so,
    whatever the consumer's own x/slashing says."""
    if not 0 <= recent <= MAX_RECENT:
        raise ValueError(f"recent must be between 0 and {MAX_RECENT}, got {recent}")
    params = rest.slashing_params(job=job)
    job.progress(0.2, f"{chain_id}: signing infos")
    infos = rest.signing_infos(job=job)
    # The provider's own signing infos: the chain's when it is the provider, else asked (tombstone, jail-until).
    provider_infos = infos if role == "provider" else (provider_rest.signing_infos(job=job) if provider_rest else ())
    rows = downtime_rows(chain_id, infos, params, provider_validators, assignments, provider_infos)
    view: MissedBlocks | None = None
    if rpc is not None and recent:
        job.progress(0.5, f"{chain_id}: last {recent} commits")
        top = latest_height(rpc, job=job)
        heights = list(range(max(1, top - recent + 1), top + 1))
        view = missed_blocks(rpc, heights, job=job)
    by_address = {v.consensus_address: v for v in provider_validators if v.consensus_address}
    return ChainDowntime(chain_id, role, params, tuple(rows), view, by_address)
