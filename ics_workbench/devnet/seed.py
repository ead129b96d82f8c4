"""Seed a devnet with the consumer chains the workbench shows: every phase and both ways of launching.

All of it goes through the binary's own CLI (`tx provider create-consumer`, `update-consumer`, `opt-in`,
`tx gov submit-proposal/vote`), i.e. the same messages a user's tooling would send, so the state the tests
compare against was produced the real way and recorded here rather than assumed.

Order matters for speed: the Top N proposal is submitted first so its voting period runs while the opt-in
consumer is being set up.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from ics_workbench.devnet.keys import ConsensusKey
from ics_workbench.devnet.node import Devnet
from ics_workbench.devnet.process import DevnetError
from ics_workbench.foundation import phases
from ics_workbench.foundation.phases import proto_phase
from ics_workbench.foundation.times import ZERO_TIME, format_rfc3339

log = logging.getLogger(__name__)

# The provider CLI's spelling, which `seed` compares raw query output against.
PHASE_REGISTERED = proto_phase(phases.REGISTERED)
PHASE_INITIALIZED = proto_phase(phases.INITIALIZED)
PHASE_LAUNCHED = proto_phase(phases.LAUNCHED)

KIND_OPT_IN = "opt_in"
KIND_TOP_N = "top_n"
KIND_REGISTERED = "registered"
KIND_INITIALIZED = "initialized"

TOP_N = 95
MSG_UPDATE_CONSUMER = "/interchain_security.ccv.provider.v1.MsgUpdateConsumer"
_DAY_NS = 86_400 * 10**9


@dataclass(frozen=True)
class SeededConsumer:
    """What the seed created for one consumer, so tests compare the chain's answers against it."""

    consumer_id: str
    chain_id: str
    kind: str
    expected_phase: str
    top_n: int
    owner: str
    opted_in: tuple[str, ...]  # key names of the validators that sent MsgOptIn
    name: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SeedState:
    consumers: tuple[SeededConsumer, ...]
    top_n_proposal_id: str
    # B's consumer key on the opt-in consumer (assigned with its MsgOptIn); the evidence tests sign with it.
    assigned_key: ConsensusKey = field(repr=False)
    assigned_validator: str = "val-b"
    # v4/v5 only: the addition proposal left in its deposit period (its chain stays "proposed")
    registered_proposal_id: str = ""

    def by_kind(self, kind: str) -> SeededConsumer:
        return next(c for c in self.consumers if c.kind == kind)

    @property
    def opt_in(self) -> SeededConsumer:
        return self.by_kind(KIND_OPT_IN)

    @property
    def top_n(self) -> SeededConsumer:
        return self.by_kind(KIND_TOP_N)

    @property
    def launched(self) -> tuple[SeededConsumer, ...]:
        return tuple(c for c in self.consumers if c.expected_phase == PHASE_LAUNCHED)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _launched_or_none(devnet: Devnet, consumer_id: str) -> bool | None:
    return consumer_phase(devnet, consumer_id) == PHASE_LAUNCHED or None


def initialization_parameters(spawn_time: datetime | None, proto_json: bool = False) -> dict[str, Any]:
    """Consumer initialization parameters with initial height {1,1} (all seeded chain ids end in `-1`).

    `create-consumer`/`update-consumer` decode their file with Go's encoding/json (durations are integer
    nanoseconds); a gov proposal file is protobuf JSON (durations are "<seconds>s" strings).
    """

    def duration(days: float) -> Any:
        return f"{int(days * 86_400)}s" if proto_json else int(days * _DAY_NS)

    return {
        "initial_height": {"revision_number": 1, "revision_height": 1},
        "genesis_hash": "",
        "binary_hash": "",
        "spawn_time": format_rfc3339(spawn_time.replace(microsecond=0)) if spawn_time else ZERO_TIME,
        "unbonding_period": duration(20),
        "ccv_timeout_period": duration(28),
        "transfer_timeout_period": duration(1 / 48),
        "consumer_redistribution_fraction": "0.75",
        "blocks_per_distribution_transmission": 1000,
        "historical_entries": 10000,
        "distribution_transmission_channel": "",
        "connection_id": "",
    }


def power_shaping(top_n: int = 0) -> dict[str, Any]:
    return {
        "top_N": top_n,
        "validators_power_cap": 0,
        "validator_set_cap": 0,
        "allowlist": [],
        "denylist": [],
        "min_stake": 0,
        "allow_inactive_vals": False,
        "prioritylist": [],
    }


def event_attribute(tx: dict[str, Any], event_type: str, key: str) -> str:
    for event in tx.get("events", []):
        if event.get("type") == event_type:
            for attribute in event.get("attributes", []):
                if attribute.get("key") == key:
                    return str(attribute["value"])
    raise KeyError(f"tx {tx.get('txhash')} has no {event_type}.{key} event attribute")


def create_consumer(devnet: Devnet, chain_id: str, name: str, spawn_time: datetime | None, sender: str) -> str:
    """MsgCreateConsumer via `tx provider create-consumer`; returns the new consumer id."""
    body = {
        "chain_id": chain_id,
        "metadata": {"name": name, "description": f"{name}: seeded by the ICS Workbench devnet", "metadata": "{}"},
        "initialization_parameters": initialization_parameters(spawn_time),
        "power_shaping_parameters": power_shaping(),
    }
    path = devnet.write_json(f"create-{chain_id}.json", body)
    tx = devnet.tx("provider", "create-consumer", str(path), sender=sender)
    return event_attribute(tx, "create_consumer", "consumer_id")


def update_consumer(devnet: Devnet, body: dict[str, Any], sender: str) -> dict[str, Any]:
    path = devnet.write_json(f"update-{body['consumer_id']}-{time.monotonic_ns()}.json", body)
    return devnet.tx("provider", "update-consumer", str(path), sender=sender)


def consumer_phase(devnet: Devnet, consumer_id: str) -> str:
    return str(devnet.query("provider", "consumer-chain", consumer_id)["phase"])


def seed(devnet: Devnet, timeout: float = 90.0) -> SeedState:
    """Create the seeded consumers on a freshly started devnet and wait until the launched ones are LAUNCHED.

    v4/v5 providers add consumers by legacy proposals (:mod:`ics_workbench.devnet.seed_legacy`)."""
    if devnet.seeded is not None:
        return devnet.seeded
    if not devnet.ics.permissionless:
        from ics_workbench.devnet.seed_legacy import seed_legacy

        return seed_legacy(devnet, timeout)
    began = time.monotonic()
    a, b = devnet.validator_a.name, devnet.validator_b.name
    top_n, proposal_id = _seed_top_n(devnet, a)
    opt_in, assigned_key = _seed_opt_in(devnet, a, b)
    consumers: list[SeededConsumer] = [top_n, opt_in, *_seed_pre_launch(devnet, a)]
    _wait_for_launch(devnet, consumers, proposal_id, timeout)
    state = SeedState(tuple(consumers), proposal_id, assigned_key, b)
    devnet.seeded = state
    devnet.timings["seed_seconds"] = time.monotonic() - began
    log.info("devnet seeded in %.1fs: %s", devnet.timings["seed_seconds"], [c.consumer_id for c in consumers])
    return state


def _seed_top_n(devnet: Devnet, a: str) -> tuple[SeededConsumer, str]:
    """The Top N consumer and the id of the gov proposal that launches it (voted yes, not yet passed)."""
    # Top N: create (owner A), hand ownership to gov, then a gov proposal makes it Top N and sets spawn time.
    top_id = create_consumer(devnet, "topn-1", "Top N consumer", None, a)
    update_consumer(devnet, {"consumer_id": top_id, "new_owner_address": devnet.gov_address}, a)
    proposal = {
        "messages": [
            {
                "@type": MSG_UPDATE_CONSUMER,
                "owner": devnet.gov_address,
                "consumer_id": top_id,
                "new_owner_address": "",
                "initialization_parameters": initialization_parameters(utcnow(), proto_json=True),
                "power_shaping_parameters": power_shaping(TOP_N),
                "new_chain_id": "",
            }
        ],
        "metadata": "",
        "deposit": f"{devnet.settings.min_deposit}{devnet.denom}",
        "title": f"Make consumer {top_id} (topn-1) Top {TOP_N} and launch it",
        "summary": "Seeded by the ICS Workbench devnet.",
        "expedited": False,
    }
    submitted = devnet.tx("gov", "submit-proposal", str(devnet.write_json("topn-proposal.json", proposal)), sender=a)
    proposal_id = event_attribute(submitted, "submit_proposal", "proposal_id")
    devnet.tx("gov", "vote", proposal_id, "yes", sender=a)
    top_n = SeededConsumer(top_id, "topn-1", KIND_TOP_N, PHASE_LAUNCHED, TOP_N, devnet.gov_address, (),
                           "Top N consumer")
    return top_n, proposal_id


def _seed_opt_in(devnet: Devnet, a: str, b: str) -> tuple[SeededConsumer, ConsensusKey]:
    """The opt-in consumer and the consumer key B assigned when opting in."""
    # Opt-in: A opts in with its provider key, B with a freshly generated consumer key; then set spawn time.
    opt_id = create_consumer(devnet, "consumer-1", "Opt-in consumer", None, a)
    assigned_key = ConsensusKey.generate()
    devnet.tx("provider", "opt-in", opt_id, sender=a)
    devnet.tx("provider", "opt-in", opt_id, assigned_key.pubkey_json(), sender=b)
    update_consumer(
        devnet, {"consumer_id": opt_id, "initialization_parameters": initialization_parameters(utcnow())}, a
    )
    opt_in = SeededConsumer(opt_id, "consumer-1", KIND_OPT_IN, PHASE_LAUNCHED, 0, devnet.validator_a.address, (a, b),
                            "Opt-in consumer")
    return opt_in, assigned_key


def _seed_pre_launch(devnet: Devnet, a: str) -> list[SeededConsumer]:
    """The REGISTERED and INITIALIZED consumers."""
    # Pre-launch phases: no spawn time (REGISTERED), spawn time a year away (INITIALIZED).
    reg_id = create_consumer(devnet, "registered-1", "Registered consumer", None, a)
    registered = SeededConsumer(reg_id, "registered-1", KIND_REGISTERED, PHASE_REGISTERED, 0,
                                devnet.validator_a.address, (), "Registered consumer")
    init_id = create_consumer(devnet, "initialized-1", "Initialized consumer", utcnow() + timedelta(days=365), a)
    initialized = SeededConsumer(init_id, "initialized-1", KIND_INITIALIZED, PHASE_INITIALIZED, 0,
                                 devnet.validator_a.address, (), "Initialized consumer")
    return [registered, initialized]


def _wait_for_launch(devnet: Devnet, consumers: list[SeededConsumer], proposal_id: str, timeout: float) -> None:
    """Wait until the Top N proposal passed and every consumer expected LAUNCHED is."""

    def proposal_passed() -> bool | None:
        status = devnet.query("gov", "proposal", proposal_id)["proposal"]["status"]
        if status in ("PROPOSAL_STATUS_REJECTED", "PROPOSAL_STATUS_FAILED"):
            raise DevnetError(f"seed proposal {proposal_id} ended {status}")
        return status == "PROPOSAL_STATUS_PASSED" or None

    devnet.wait_for(proposal_passed, f"proposal {proposal_id} to pass", timeout)
    for consumer in consumers:
        if consumer.expected_phase == PHASE_LAUNCHED:
            devnet.wait_for(
                partial(_launched_or_none, devnet, consumer.consumer_id),
                f"consumer {consumer.consumer_id} ({consumer.chain_id}) to launch",
                timeout,
            )
