"""What each ICS provider release accepts, in one table, so every rule asks "does this version have X?".

Facts from the interchain-security tags v4.0.0..v7.0.0 (see shared/docs/ics-protocol-notes.md §1.1-1.4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ics_workbench.errors import WorkbenchError

_VERSION_RE = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$")


@dataclass(frozen=True, order=True)
class ProviderVersion:
    major: int
    minor: int = 0
    patch: int = 0

    @classmethod
    def parse(cls, text: str) -> ProviderVersion:
        match = _VERSION_RE.match(text.strip())
        if not match:
            raise WorkbenchError(f"not an ICS version: {text!r} (expected e.g. v7, v5.1.0)")
        major, minor, patch = (int(g) if g else 0 for g in match.groups())
        if major < 4:
            raise WorkbenchError(f"ICS {text} is older than v4, which the workbench does not support")
        return cls(major, minor, patch)

    def __str__(self) -> str:
        return f"v{self.major}.{self.minor}.{self.patch}"

    def at_least(self, major: int, minor: int = 0, patch: int = 0) -> bool:
        return (self.major, self.minor, self.patch) >= (major, minor, patch)

    # --- message routing ---------------------------------------------------------------------------------
    @property
    def permissionless(self) -> bool:
        """MsgCreateConsumer/MsgUpdateConsumer/MsgRemoveConsumer exist (consumer ids instead of chain ids)."""
        return self.major >= 6

    @property
    def legacy_proposal_handler(self) -> bool:
        """The gov v1beta1 Content handler (ConsumerAdditionProposal etc.) is wired (removed in v6.0.0)."""
        return self.major < 6

    @property
    def has_msg_consumer_addition(self) -> bool:
        return self.major == 5

    @property
    def has_msg_consumer_modification(self) -> bool:
        return self.major == 5 and self.minor >= 1

    @property
    def has_legacy_modification_proposal(self) -> bool:
        return (self.major == 4 and self.minor >= 3) or (self.major == 5 and self.minor >= 1)

    @property
    def has_msg_update_params(self) -> bool:
        return self.major >= 5

    @property
    def has_routable_change_reward_denoms(self) -> bool:
        """MsgChangeRewardDenoms has an rpc only from v6.0.0 (v5 registered the type without a handler)."""
        return self.major >= 6

    @property
    def pss_in_legacy_proposals(self) -> bool:
        """top_N, caps and lists in ConsumerAdditionProposal / MsgConsumerAddition (v4.2+, v5.1+)."""
        return (self.major == 4 and self.minor >= 2) or (self.major == 5 and self.minor >= 1) or self.major >= 6

    # --- fields of the permissionless messages -------------------------------------------------------------
    @property
    def has_allowlisted_reward_denoms(self) -> bool:
        return self.at_least(6, 2)

    @property
    def has_v64_fields(self) -> bool:
        """prioritylist, infraction_parameters, new_chain_id, connection_id (v6.4.0+)."""
        return self.at_least(6, 4)

    @property
    def validates_initial_height_revision(self) -> bool:
        """SetConsumerInitializationParameters rejects a revision number that does not match the chain id."""
        return self.at_least(6, 3)

    @property
    def consumer_addition_authority_field(self) -> int:
        """Field number of MsgConsumerAddition.authority: 13 in v5.0.x, 18 from v5.1.0 (13 became top_N)."""
        return 13 if (self.major == 5 and self.minor == 0) else 18


DEFAULT_VERSION = ProviderVersion(7, 0, 0)
