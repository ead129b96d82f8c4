"""ICS provider releases and what each one has: the one version parser and the one feature table of the core.

Every part of the workbench that asks "does this provider have X?" — detection (``chain/detect.py``), the
proposal rules and codecs, the overlap simulation — reads :data:`FEATURES` through :class:`IcsVersion`, so a
new ICS release is one edit here. Facts come from the interchain-security tags v4.0.0..v7.0.0 (their
``.proto`` files and keepers) and were checked against real v4.2.0, v5.2.0, v6.4.1 and v7.0.0 providers on
the devnet.

A version read from the chain (build dependency, app version) is *exact*; one inferred from the REST routes,
the SDK version and the fields the chain's answers carry is a *guess* (``IcsVersion.guessed``), shown as
such, and never claims more than the evidence proves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ics_workbench.errors import WorkbenchError

_VERSION_RE = re.compile(r"^v?(\d{1,4})(?:\.(\d{1,4}))?(?:\.(\d{1,4}))?(?:[-+].*)?$")

OLDEST_SUPPORTED_MAJOR = 4


@dataclass(frozen=True)
class Feature:
    """One capability of the provider and the releases that have it.

    ``since`` lists (major, minor) pairs: a release has the feature when its major line is listed and its minor
    reaches the listed one, or when its major is above every listed major (until ``until_major``, the first
    major without it). ``evidence`` names JSON keys in the provider's REST answers that only releases with the
    feature emit (the gateway prints zero values, so the key's presence is proof).
    """

    name: str
    since: tuple[tuple[int, int], ...]
    doc: str
    until_major: int | None = None
    evidence: tuple[str, ...] = ()

    def in_release(self, major: int, minor: int) -> bool:
        if self.until_major is not None and major >= self.until_major:
            return False
        for line, first_minor in self.since:
            if major == line:
                return minor >= first_minor
        return major > max(line for line, _ in self.since)


FEATURES: tuple[Feature, ...] = (
    Feature("legacy_proposals", ((4, 0),), "consumer additions/removals are gov legacy Content proposals", 6),
    Feature("msg_create_consumer", ((6, 0),), "permissionless MsgCreateConsumer/MsgUpdateConsumer/MsgRemoveConsumer"),
    Feature("consumer_msgs_via_gov", ((6, 0),), "Top N changes go through gov-owned MsgUpdateConsumer"),
    Feature("msg_consumer_addition", ((5, 0),), "MsgConsumerAddition/MsgConsumerRemoval (gov authority)", 6),
    Feature("msg_consumer_modification", ((5, 1),), "MsgConsumerModification (gov authority)", 6),
    Feature("legacy_modification_proposal", ((4, 3), (5, 1)), "ConsumerModificationProposal content", 6),
    Feature("msg_update_params", ((5, 0),), "provider MsgUpdateParams"),
    Feature("routable_change_reward_denoms", ((6, 0),), "MsgChangeRewardDenoms has an rpc (v5 lacked a handler)"),
    Feature(
        "power_shaping",
        ((4, 2), (5, 1)),
        "top N, caps, allow/deny lists (also in legacy addition proposals)",
        evidence=("top_N", "validators_power_cap", "power_shaping_params"),
    ),
    Feature("epochs", ((4, 1),), "`blocks_per_epoch` provider parameter", evidence=("blocks_per_epoch",)),
    Feature(
        "max_provider_consensus_validators",
        ((6, 0),),
        "provider parameter",
        evidence=("max_provider_consensus_validators",),
    ),
    Feature("validates_initial_height_revision", ((6, 3),), "initial height revision must match the chain id"),
    Feature(
        "allowlisted_reward_denoms",
        ((6, 2),),
        "per-consumer reward denom allowlist",
        evidence=("allowlisted_reward_denoms",),
    ),
    Feature(
        "infraction_parameters",
        ((6, 4),),
        "per-consumer slash/jail parameters",
        evidence=("infraction_parameters",),
    ),
    Feature("prioritylist", ((6, 4),), "power shaping priority list", evidence=("prioritylist",)),
    Feature("connection_reuse", ((6, 4),), "`init_params.connection_id`", evidence=("connection_id",)),
    Feature("new_chain_id", ((6, 4),), "MsgUpdateConsumer.new_chain_id"),
)
FEATURE_BY_NAME = {f.name: f for f in FEATURES}

# The releases the workbench knows; a guess is always one of them (the oldest that has every proven feature).
RELEASES: tuple[tuple[int, int, int], ...] = (
    (4, 0, 0), (4, 1, 0), (4, 2, 0), (4, 3, 0), (4, 4, 0), (4, 5, 0),
    (5, 0, 0), (5, 1, 0), (5, 2, 0),
    (6, 0, 0), (6, 1, 0), (6, 2, 0), (6, 3, 0), (6, 4, 0),
    (7, 0, 0),
)  # fmt: skip


class VersionError(WorkbenchError):
    """Text that is not an ICS version, or a release older than the workbench supports."""


@dataclass(frozen=True, order=True)
class IcsVersion:
    """An ICS release (major.minor.patch); ``guessed`` marks one inferred rather than read from the chain."""

    major: int
    minor: int = 0
    patch: int = 0
    guessed: bool = field(default=False, compare=False)
    basis: str = field(default="", compare=False)
    """for a guess: what it rests on (shown to the user)"""

    @classmethod
    def parse(cls, text: str) -> IcsVersion:
        """``"v7"``, ``"5.1.0"``, ``"v7.0.0-20250408210344-06e0dc6bf6d6"``; raises :class:`VersionError`."""
        match = _VERSION_RE.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise VersionError(f"not an ICS version: {text!r} (expected e.g. v7, v5.1.0)")
        major, minor, patch = (int(g) if g else 0 for g in match.groups())
        if major < OLDEST_SUPPORTED_MAJOR:
            raise VersionError(f"ICS {text} is older than v4, which the workbench does not support")
        return cls(major, minor, patch)

    @classmethod
    def try_parse(cls, text: str | None) -> IcsVersion | None:
        """Like :meth:`parse`, but None for anything that is not a supported version (e.g. a build without tags)."""
        if not text:
            return None
        try:
            return cls.parse(text)
        except VersionError:
            return None

    def __str__(self) -> str:
        return f"v{self.major}.{self.minor}.{self.patch}"

    def display(self) -> str:
        """``v7.0.0``, or ``v5.1.0 (guessed from …)`` for a guess, so a guess is never shown as a fact."""
        if not self.guessed:
            return str(self)
        family = "v6 or later" if self.major >= 6 else f"v{self.major}.x"
        why = f" from {self.basis}" if self.basis else ""
        return f"{family} (exact version unknown; treated as at least {self}, guessed{why})"

    def has(self, feature: str) -> bool:
        return FEATURE_BY_NAME[feature].in_release(self.major, self.minor)

    def features(self) -> frozenset[str]:
        return frozenset(f.name for f in FEATURES if f.in_release(self.major, self.minor))

    # --- names the proposal rules and codecs read --------------------------------------------------------
    @property
    def permissionless(self) -> bool:
        """MsgCreateConsumer/MsgUpdateConsumer/MsgRemoveConsumer exist (consumer ids instead of chain ids)."""
        return self.has("msg_create_consumer")

    @property
    def legacy_proposal_handler(self) -> bool:
        """The gov v1beta1 Content handler (ConsumerAdditionProposal etc.) is wired (removed in v6.0.0)."""
        return self.has("legacy_proposals")

    @property
    def has_msg_consumer_addition(self) -> bool:
        return self.has("msg_consumer_addition")

    @property
    def has_msg_consumer_modification(self) -> bool:
        return self.has("msg_consumer_modification")

    @property
    def has_legacy_modification_proposal(self) -> bool:
        return self.has("legacy_modification_proposal")

    @property
    def has_msg_update_params(self) -> bool:
        return self.has("msg_update_params")

    @property
    def has_routable_change_reward_denoms(self) -> bool:
        """MsgChangeRewardDenoms has an rpc only from v6.0.0 (v5 registered the type without a handler)."""
        return self.has("routable_change_reward_denoms")

    @property
    def pss_in_legacy_proposals(self) -> bool:
        """top_N, caps and lists in ConsumerAdditionProposal / MsgConsumerAddition (v4.2+, v5.1+)."""
        return self.has("power_shaping")

    @property
    def has_allowlisted_reward_denoms(self) -> bool:
        return self.has("allowlisted_reward_denoms")

    @property
    def has_v64_fields(self) -> bool:
        """prioritylist, infraction_parameters, new_chain_id, connection_id (v6.4.0+)."""
        return self.has("infraction_parameters")

    @property
    def validates_initial_height_revision(self) -> bool:
        """SetConsumerInitializationParameters rejects a revision number that does not match the chain id."""
        return self.has("validates_initial_height_revision")


LATEST = IcsVersion(7, 0, 0)
"""The newest release: the default only where no chain is involved (offline drafting); a connected chain's
rules always use its detected version (:meth:`Capabilities.provider_version`)."""


def parse_version(text: str | None) -> tuple[int, int, int] | None:
    """(major, minor, patch) of an ICS version text, or None (unversioned, malformed or older than v4)."""
    version = IcsVersion.try_parse(text)
    return (version.major, version.minor, version.patch) if version else None


def features_proven_by(keys: Iterable[str]) -> frozenset[str]:
    """The features whose evidence keys occur in the provider's answers."""
    present = set(keys)
    return frozenset(f.name for f in FEATURES if present.intersection(f.evidence))


def family_major(keyed_by_consumer_id: bool, sdk_version: str = "", ibc_major: int | None = None) -> int:
    """The ICS major line implied by the routes, the SDK and ibc-go (ICS v4: SDK 0.47 / ibc-go v7; v5: SDK 0.50
    / ibc-go v8; v6: ibc-go v8; v7: ibc-go v10). Unknown SDK on a chain-id keyed provider: v4, the older line."""
    if keyed_by_consumer_id:
        return 7 if ibc_major is not None and ibc_major >= 10 else 6
    sdk = re.match(r"^v?0\.(\d+)", sdk_version.strip())
    if ibc_major == 8 or (sdk is not None and int(sdk[1]) >= 50):
        return 5
    return 4


def infer_version(
    keyed_by_consumer_id: bool, sdk_version: str = "", ibc_major: int | None = None, evidence: Iterable[str] = ()
) -> IcsVersion:
    """A guessed release: the family from routes/SDK/ibc-go, then the oldest release of that family that has
    every feature the chain's answers prove (so no feature is claimed without proof, none proven is denied)."""
    major = family_major(keyed_by_consumer_id, sdk_version, ibc_major)
    proven = features_proven_by(evidence)
    candidates = [r for r in RELEASES if r[0] == major]
    chosen = next(
        (r for r in candidates if all(FEATURE_BY_NAME[f].in_release(r[0], r[1]) for f in proven)), candidates[-1]
    )
    basis = ", ".join(
        part
        for part in (
            "consumer-id keyed routes" if keyed_by_consumer_id else "chain-id keyed routes",
            f"SDK {sdk_version}" if sdk_version else "",
            f"ibc-go v{ibc_major}" if ibc_major else "",
            f"fields in the chain's answers ({', '.join(sorted(proven))})" if proven else "",
        )
        if part
    )
    return IcsVersion(*chosen, guessed=True, basis=basis)
