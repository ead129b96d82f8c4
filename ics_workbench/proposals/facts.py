"""What the rules need to know about the provider chain, as plain data so they are testable without a network.

``chain_facts.fetch_provider_facts`` fills this from a live chain; tests and the offline signer build it by
hand (or leave parts None: a rule that needs a missing fact does not fire).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ics_workbench.addresses import module_address
from ics_workbench.proposals.models import (
    AllowlistedRewardDenoms,
    Coin,
    ConsumerInitializationParameters,
    ConsumerMetadata,
    InfractionParameters,
    PowerShapingParameters,
)
from ics_workbench.ics_versions import LATEST, IcsVersion

PHASE_REGISTERED = "CONSUMER_PHASE_REGISTERED"
PHASE_INITIALIZED = "CONSUMER_PHASE_INITIALIZED"
PHASE_LAUNCHED = "CONSUMER_PHASE_LAUNCHED"
PHASE_STOPPED = "CONSUMER_PHASE_STOPPED"
PHASE_DELETED = "CONSUMER_PHASE_DELETED"
ACTIVE_PHASES = (PHASE_REGISTERED, PHASE_INITIALIZED, PHASE_LAUNCHED)
PRELAUNCH_PHASES = (PHASE_REGISTERED, PHASE_INITIALIZED)


@dataclass(frozen=True)
class GovParams:
    min_deposit: tuple[Coin, ...] = ()
    expedited_min_deposit: tuple[Coin, ...] = ()
    min_initial_deposit_ratio: str = "0"


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
