"""What the rules need to know about the provider chain, as plain data so they are testable without a network.

``chain_facts.fetch_provider_facts`` fills this from a live chain; tests and the offline signer build it by
hand (or leave parts None: a rule that needs a missing fact does not fire).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ics_workbench.addresses import module_address
from ics_workbench.chain.models import GovParams
from ics_workbench.foundation.ics_versions import LATEST, IcsVersion
from ics_workbench.foundation.phases import (
    ACTIVE_PHASES as ACTIVE_PHASES,  # re-exported: rules import it from here
    LAUNCHED as PHASE_LAUNCHED,
    PRELAUNCH_PHASES,
    REGISTERED as PHASE_REGISTERED,
    normalize_phase,
)
from ics_workbench.proposals.models import (
    AllowlistedRewardDenoms,
    ConsumerInitializationParameters,
    ConsumerMetadata,
    InfractionParameters,
    PowerShapingParameters,
)


@dataclass
class ConsumerState:
    """A consumer as the provider stores it now (``/consumer_chain/{id}``)."""

    consumer_id: str
    chain_id: str = ""
    owner_address: str = ""
    phase: str = PHASE_REGISTERED
    metadata: ConsumerMetadata | None = None
    init_params: ConsumerInitializationParameters | None = None
    power_shaping_params: PowerShapingParameters | None = None
    infraction_parameters: InfractionParameters | None = None
    allowlisted_reward_denoms: AllowlistedRewardDenoms | None = None

    def __post_init__(self) -> None:
        self.phase = normalize_phase(self.phase)

    @property
    def launched(self) -> bool:
        return self.phase == PHASE_LAUNCHED

    @property
    def prelaunched(self) -> bool:
        return self.phase in PRELAUNCH_PHASES


@dataclass
class ProviderFacts:
    version: IcsVersion = LATEST
    account_prefix: str = "cosmos"
    gov_address: str = ""
    bond_denom: str = ""
    unbonding_period_ns: int | None = None
    gov: GovParams | None = None
    provider_params: dict[str, Any] | None = None
    consumers: dict[str, ConsumerState] = field(default_factory=dict)
    now: datetime | None = None  # None: the wall clock at validation time
    create_consumer_disabled: bool = False  # Gaia v27+ ante handler rejects MsgCreateConsumer
    # stateful facts read from a chain; "not there" (looked up, absent) is told apart from "not asked"
    missing_consumers: dict[str, str] = field(default_factory=dict)  # id looked up and absent -> the chain's answer
    # IBC connections on the provider -> the chain id of their Tendermint client ("" for other client types)
    connection_chains: dict[str, str] | None = None
    max_validator_tokens: int | None = None  # the largest bonded stake (min_stake above it: nobody validates)
    chain_id: str = ""
    height: int | None = None  # the block these facts were read at
    # v4/v5: chain id -> "running"/"pending"/"proposed" (proposals.legacy_chain_ids); None when not read
    legacy_chains: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if not self.gov_address:
            self.gov_address = module_address("gov", self.account_prefix)

    @property
    def valcons_prefix(self) -> str:
        return self.account_prefix + "valcons"

    def consumer(self, consumer_id: str) -> ConsumerState | None:
        return self.consumers.get(consumer_id)
