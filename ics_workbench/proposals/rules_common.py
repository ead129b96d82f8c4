"""Field-level checks shared by several messages, each a copy of the provider's own rule (ICS v4..v7)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from ics_workbench.foundation.coins import valid_denom
from ics_workbench.proposals import gosem
from ics_workbench.proposals.address_checks import describe_wrong_consensus_address
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.models import (
    AllowlistedRewardDenoms,
    ConsumerInitializationParameters,
    ConsumerMetadata,
    Height,
    InfractionParameters,
    PowerShapingParameters,
)
from ics_workbench.proposals.problems import Problem, Severity

MAX_NAME_LENGTH = 50
MAX_DESCRIPTION_LENGTH = 10000
MAX_METADATA_LENGTH = 255
MAX_HASH_LENGTH = 64
MAX_VALIDATOR_COUNT = 1000
MAX_REWARD_DENOMS = 3
MAX_CHAIN_ID_LENGTH = 50  # cometbft types.MaxChainIDLen
RESERVED_CHAIN_IDS = ("neutron-1", "stride-1")



def join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def string_field(path: str, value: str, max_len: int, label: str) -> list[Problem]:
    """ICS ValidateStringField: non-blank after Go's TrimSpace and at most ``max_len`` bytes."""
    if gosem.is_blank(value):
        return [Problem(path, "blank", f"{label} cannot be empty", value)]
    size = gosem.byte_len(value)
    if size > max_len:
        return [Problem(path, "too_long", f"{label} is too long: {size} bytes, max {max_len}", value)]
    return []


def chain_id(path: str, value: str, *, v6_rules: bool) -> list[Problem]:
    if v6_rules:
        problems = string_field(path, value, MAX_CHAIN_ID_LENGTH, "chain id")
        if problems:
            return [Problem(p.path, "chain_id_" + p.rule, p.message, p.value) for p in problems]
        if value in RESERVED_CHAIN_IDS:
            return [
                Problem(
                    path,
                    "chain_id_reserved",
                    "neutron-1 and stride-1 are reserved chain ids (the provider rejects them since v6.0.0)",
                    value,
                )
            ]
        return []
    if gosem.is_blank(value):
        return [Problem(path, "chain_id_blank", "consumer chain id cannot be blank", value)]
    if gosem.byte_len(value) > MAX_CHAIN_ID_LENGTH:
        return [
            Problem(
                path,
                "chain_id_length",
                f"chain id longer than {MAX_CHAIN_ID_LENGTH} characters: CometBFT refuses such a genesis",
                value,
                Severity.WARNING,
            )
        ]
    return []


def parse_revision(chain: str) -> int:
    """ibc-go ``clienttypes.ParseChainID``: the number after the last dash of ``name-N``, else 0."""
    return gosem.parse_chain_revision(chain)


def initial_height_revision(
    path: str, height: Height, chain: str, *, enforced: bool, implied: bool = False
) -> list[Problem]:
    revision = parse_revision(chain)
    if not chain or height.revision_number == revision:
        return []
    text = (
        f"chain id {chain!r} means revision number {revision}, but "
        + ("the default initial height (no initialization_parameters) has revision number 1" if implied
           else f"initial_height.revision_number is {height.revision_number}")
    )
    if enforced:
        return [
            Problem(
                join(path, "revision_number"),
                "initial_height_revision",
                text + "; the provider rejects it",
                height.revision_number,
            )
        ]
    return [
        Problem(
            join(path, "revision_number"),
            "initial_height_revision",
            text + "; relayers (Hermes, ICS #1269) break on the mismatch",
            height.revision_number,
            Severity.WARNING,
        )
    ]


def legacy_dec(value: str) -> Decimal | None:
    """math.LegacyNewDecFromStr, with Go's exact acceptance (see :func:`gosem.legacy_dec`)."""
    return gosem.legacy_dec(value)


def fraction(path: str, value: str, rule: str, label: str, *, allow_zero: bool = True) -> list[Problem]:
    dec = legacy_dec(value)
    if dec is None:
        return [Problem(path, rule, f"{label} is not a decimal number (e.g. \"0.75\")", value)]
    low_ok = dec >= 0 if allow_zero else dec > 0
    if not low_ok or dec > 1:
        bounds = "[0, 1]" if allow_zero else "(0, 1]"
        return [Problem(path, rule, f"{label} must be in {bounds}", value)]
    return []


def positive(path: str, value: int, rule: str, label: str) -> list[Problem]:
    return [] if value > 0 else [Problem(path, rule, f"{label} must be greater than zero", value)]


def identifier(path: str, value: str, rule: str, label: str, min_len: int, *, blank_ok: bool = False) -> list[Problem]:
    """ICS ValidateDistributionTransmissionChannel (only "" is "none") and ValidateConnectionIdentifier
    (any Go-blank text is "none"), both on ibc-go's identifier validator."""
    if value == "" or (blank_ok and gosem.is_blank(value)):
        return []
    wrong = gosem.ibc_identifier_error(value, min_len)
    if wrong:
        return [Problem(path, rule, f"{label} must be empty or a valid IBC identifier: {wrong}", value)]
    return []


def consumer_id(path: str, value: str) -> list[Problem]:
    """ccv ValidateConsumerId: Go-blank is refused, then strconv.ParseUint(id, 10, 64) (no spaces, ASCII digits)."""
    if gosem.is_blank(value):
        return [Problem(path, "consumer_id_invalid", "consumer id cannot be blank", value)]
    if gosem.parse_uint(value) is None:
        return [
            Problem(
                path,
                "consumer_id_invalid",
                'consumer id must be an unsigned 64-bit decimal integer (e.g. "0"), nothing around it',
                value,
            )
        ]
    return []


def metadata(path: str, md: ConsumerMetadata) -> list[Problem]:
    out = []
    for name, limit in (
        ("name", MAX_NAME_LENGTH),
        ("description", MAX_DESCRIPTION_LENGTH),
        ("metadata", MAX_METADATA_LENGTH),
    ):
        for p in string_field(join(path, name), getattr(md, name), limit, f"metadata {name}"):
            out.append(Problem(p.path, "metadata_" + p.rule, p.message, p.value))
    return out


def spawn_time(path: str, value: datetime | None, facts: ProviderFacts, *, required: bool) -> list[Problem]:
    if value is None:
        if required:
            return [Problem(path, "spawn_time_zero", "spawn time cannot be zero", None)]
        return [
            Problem(
                path,
                "spawn_time_zero",
                "no spawn time: the consumer stays REGISTERED and will not launch until a spawn time is set",
                None,
                Severity.WARNING,
            )
        ]
    now = facts.now or datetime.now(UTC)
    if value < now:
        return [
            Problem(
                path,
                "spawn_time_past",
                "spawn time is in the past: the provider does not refuse it, the chain launches at the next "
                "block after the proposal executes, leaving validators no time to assign keys and opt in",
                value.isoformat(),
                Severity.WARNING,
            )
        ]
    return []


def unbonding_vs_provider(path: str, value_ns: int, facts: ProviderFacts) -> list[Problem]:
    if facts.unbonding_period_ns is None or value_ns <= facts.unbonding_period_ns:
        return []
    return [
        Problem(
            path,
            "unbonding_longer_than_provider",
            "consumer unbonding period is advised to be smaller than the provider's "
            f"({facts.unbonding_period_ns // 1_000_000_000}s); this is not a security risk but effectively "
            "lengthens unbonding on the provider",
            value_ns,
            Severity.WARNING,
        )
    ]


def init_params_core(
    path: str,
    ip: ConsumerInitializationParameters,
    *,
    hashes_required: bool,
) -> list[Problem]:
    """ICS ValidateInitializationParameters (v6+) and the v4/v5 ConsumerAddition field rules."""
    out: list[Problem] = []
    if ip.initial_height.revision_number == 0 and ip.initial_height.revision_height == 0:
        out.append(Problem(join(path, "initial_height"), "initial_height_zero", "initial height cannot be zero", "0-0"))
    out += hashes(path, ip.genesis_hash, ip.binary_hash, required=hashes_required)
    out += fraction(
        join(path, "consumer_redistribution_fraction"),
        ip.consumer_redistribution_fraction,
        "redistribution_fraction",
        "consumer redistribution fraction",
    )
    out += positive(
        join(path, "blocks_per_distribution_transmission"),
        ip.blocks_per_distribution_transmission,
        "blocks_per_distribution_transmission",
        "blocks per distribution transmission",
    )
    out += identifier(
        join(path, "distribution_transmission_channel"),
        ip.distribution_transmission_channel,
        "channel_id",
        "distribution transmission channel",
        8,
    )
    out += positive(join(path, "historical_entries"), ip.historical_entries, "historical_entries", "historical entries")
    for name in ("ccv_timeout_period", "transfer_timeout_period", "unbonding_period"):
        out += positive(join(path, name), getattr(ip, name), "duration_positive", name.replace("_", " "))
    out += identifier(
        join(path, "connection_id"), ip.connection_id, "connection_id", "connection id", 10, blank_ok=True
    )
    return out


def hashes(path: str, genesis: bytes, binary: bytes, *, required: bool) -> list[Problem]:
    out = []
    for name, value in (("genesis_hash", genesis), ("binary_hash", binary)):
        if required and not value:
            out.append(
                Problem(join(path, name), "hash_empty", f"{name.replace('_', ' ')} cannot be empty before ICS v6", "")
            )
        elif not required and len(value) > MAX_HASH_LENGTH:
            out.append(
                Problem(
                    join(path, name),
                    "hash_length",
                    f"hash is too long: {len(value)} bytes, max {MAX_HASH_LENGTH}",
                    len(value),
                )
            )
    return out


def cons_address_list(path: str, values: list[str], facts: ProviderFacts, label: str) -> list[Problem]:
    out = []
    if len(values) > MAX_VALIDATOR_COUNT:
        out.append(
            Problem(path, "list_too_long", f"{label} has {len(values)} entries, max {MAX_VALIDATOR_COUNT}", len(values))
        )
    for i, address in enumerate(values):
        wrong = describe_wrong_consensus_address(address, facts.account_prefix)
        if wrong:
            out.append(Problem(f"{path}[{i}]", "consensus_address", wrong, address))
    return out


def pss_ranges(path: str, top_n: int, power_cap: int) -> list[Problem]:
    out = []
    if top_n != 0 and not 50 <= top_n <= 100:
        out.append(
            Problem(
                join(path, "top_N"), "top_n_range", "Top N can either be 0 (opt-in) or in the range [50, 100]", top_n
            )
        )
    if power_cap > 100:
        out.append(
            Problem(
                join(path, "validators_power_cap"),
                "power_cap_range",
                "validators power cap has to be in the range [0, 100]",
                power_cap,
            )
        )
    return out


def power_shaping(path: str, ps: PowerShapingParameters, facts: ProviderFacts) -> list[Problem]:
    out = pss_ranges(path, ps.top_N, ps.validators_power_cap)
    for name in ("allowlist", "denylist", "prioritylist"):
        out += cons_address_list(join(path, name), getattr(ps, name), facts, name)
    return out


def sdk_denom_valid(denom: str) -> bool:
    return valid_denom(denom)


def ibc_or_base_denom(denom: str) -> str | None:
    """ccv ValidateIBCDenom: any SDK base denom (``factory/...`` and ``gamm/pool/1`` included) except ``ibc``
    itself, and ``ibc/<hash>`` only with a 32-byte hex hash."""
    if not sdk_denom_valid(denom):
        return "not a valid denom (letters first, 3..128 characters of [a-zA-Z0-9/:._-])"
    if denom == "ibc":
        return "\"ibc\" alone is not a denom: write ibc/<64 hex characters>"
    head, sep, tail = denom.partition("/")
    if sep and head == "ibc":
        if gosem.is_blank(tail):
            return "an IBC denom needs its hash: ibc/<64 hex characters>"
        try:
            raw = (
                bytes.fromhex(tail) if len(tail) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in tail) else None
            )
        except ValueError:
            raw = None
        if raw is None or len(raw) != 32:
            return "an IBC voucher is ibc/<64 hex characters> (a 32-byte hash)"
    return None


def reward_denoms(path: str, ard: AllowlistedRewardDenoms) -> list[Problem]:
    out = []
    if len(ard.denoms) > MAX_REWARD_DENOMS:
        out.append(
            Problem(
                join(path, "denoms"),
                "reward_denoms_count",
                f"at most {MAX_REWARD_DENOMS} reward denoms per consumer",
                len(ard.denoms),
            )
        )
    for i, denom in enumerate(ard.denoms):
        wrong = ibc_or_base_denom(denom)
        if wrong:
            out.append(Problem(f"{join(path, 'denoms')}[{i}]", "reward_denom_invalid", wrong, denom))
    return out


def infraction(path: str, ip: InfractionParameters) -> list[Problem]:
    out = []
    for name in ("double_sign", "downtime"):
        sjp = getattr(ip, name)
        if sjp is None:
            continue
        sub = join(path, name)
        if sjp.jail_duration < 0:
            out.append(
                Problem(
                    join(sub, "jail_duration"),
                    "jail_duration_negative",
                    "jail duration cannot be negative",
                    sjp.jail_duration,
                )
            )
        out += fraction(join(sub, "slash_fraction"), sjp.slash_fraction, "slash_fraction_range", "slash fraction")
    return out


def kind_not_available(name: str, facts: ProviderFacts, why: str) -> Problem:
    """The message kind does not exist on this provider release."""
    return Problem(
        "@type", "kind_not_available", f"{name} {why}; this provider runs ICS {facts.version.display()}", name
    )
