"""Seed a v4/v5 devnet the way those releases add consumers: gov *legacy* ConsumerAdditionProposals.

ICS v4 runs on SDK 0.47, where the provider's CLI submits them as gov v1beta1 content
(`tx gov submit-legacy-proposal consumer-addition`); ICS v5 runs on SDK 0.50, whose gov takes legacy content
wrapped in ``MsgExecLegacyContent`` (`tx gov submit-proposal`). Consumers are keyed by chain id, so a
seeded consumer's ``consumer_id`` is its chain id. The same four shapes as on v6/v7 are made, in the
state each shape has on a legacy provider:

- ``topn-1``: Top N 95, launched at its spawn time once the proposal passed;
- ``consumer-1``: opt-in (Top N 0), A and B (with an assigned consumer key) opt in while it is proposed;
- ``initialized-1``: passed with a spawn time a year away: *pending* (the app shows it INITIALIZED);
- ``registered-1``: submitted below the minimum deposit, so it stays *proposed* (shown REGISTERED).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any

from ics_workbench.devnet.keys import ConsensusKey
from ics_workbench.devnet.node import Devnet
from ics_workbench.devnet.process import DevnetError
from ics_workbench.devnet.seed import (
    KIND_INITIALIZED,
    KIND_OPT_IN,
    KIND_REGISTERED,
    KIND_TOP_N,
    PHASE_INITIALIZED,
    PHASE_LAUNCHED,
    PHASE_REGISTERED,
    TOP_N,
    SeededConsumer,
    SeedState,
    event_attribute,
    initialization_parameters,
    utcnow,
)

log = logging.getLogger(__name__)

ADDITION_PROPOSAL = "/interchain_security.ccv.provider.v1.ConsumerAdditionProposal"
MSG_EXEC_LEGACY_CONTENT = "/cosmos.gov.v1.MsgExecLegacyContent"


def addition_content(chain_id: str, name: str, spawn_time: datetime, top_n: int, proto_json: bool) -> dict[str, Any]:
    """A ConsumerAdditionProposal body: protobuf JSON (durations "<s>s") for ``MsgExecLegacyContent``, or the v4
    CLI's Go-JSON file (integer nanosecond durations, ``summary`` for the description)."""

    # The same initialization parameters as MsgCreateConsumer's (a legacy proposal has no connection id).
    shared = {k: v for k, v in initialization_parameters(spawn_time, proto_json).items() if k != "connection_id"}
    body: dict[str, Any] = {
        "title": f"Add {name} ({chain_id})",
        "chain_id": chain_id,
        **shared,
        "top_N": top_n,
        "validators_power_cap": 0,
        "validator_set_cap": 0,
        "allowlist": [],
        "denylist": [],
    }
    description = f"{name}: seeded by the ICS Workbench devnet"
    if proto_json:
        body.update({"@type": ADDITION_PROPOSAL, "description": description})
    else:
        body["summary"] = description
    return body


def submit_addition(
    devnet: Devnet, chain_id: str, name: str, spawn_time: datetime, top_n: int, sender: str, deposit: int
) -> str:
    """Submit a legacy consumer addition the version's own way; returns the proposal id."""
    coins = f"{deposit}{devnet.denom}"
    if devnet.ics.major == 4:
        content = addition_content(chain_id, name, spawn_time, top_n, proto_json=False)
        content["deposit"] = coins
        path = devnet.write_json(f"addition-{chain_id}.json", content)
        tx = devnet.tx("gov", "submit-legacy-proposal", "consumer-addition", str(path), sender=sender)
    else:
        content = addition_content(chain_id, name, spawn_time, top_n, proto_json=True)
        proposal = {
            "messages": [{"@type": MSG_EXEC_LEGACY_CONTENT, "content": content, "authority": devnet.gov_address}],
            "metadata": "",
            "deposit": coins,
            "title": content["title"],
            "summary": content["description"],
            "expedited": False,
        }
        path = devnet.write_json(f"addition-{chain_id}.json", proposal)
        tx = devnet.tx("gov", "submit-proposal", str(path), sender=sender)
    return event_attribute(tx, "submit_proposal", "proposal_id")


_STATUS_NAMES = {
    1: "PROPOSAL_STATUS_DEPOSIT_PERIOD",
    2: "PROPOSAL_STATUS_VOTING_PERIOD",
    3: "PROPOSAL_STATUS_PASSED",
    4: "PROPOSAL_STATUS_REJECTED",
    5: "PROPOSAL_STATUS_FAILED",
}


def proposal_status(devnet: Devnet, proposal_id: str) -> str:
    """The proposal's status name: SDK 0.50 wraps the proposal and its autocli prints the enum as a number,
    SDK 0.47 prints the bare proposal with the enum name."""
    answer = devnet.query("gov", "proposal", proposal_id)
    status = answer.get("proposal", answer)["status"]
    return _STATUS_NAMES.get(status, str(status)) if isinstance(status, int) else str(status)


def launched_chain_ids(devnet: Devnet) -> set[str]:
    return {str(c["chain_id"]) for c in devnet.query("provider", "list-consumer-chains").get("chains") or []}


def seed_legacy(devnet: Devnet, timeout: float = 90.0) -> SeedState:
    """Create the seeded consumers on a fresh v4/v5 devnet; wait until the launched ones run."""
    if devnet.seeded is not None:
        return devnet.seeded
    if devnet.ics.permissionless:
        raise DevnetError(f"ICS {devnet.ics} adds consumers with MsgCreateConsumer; use seed.seed")
    began = time.monotonic()
    a, b = devnet.validator_a.name, devnet.validator_b.name
    gov, deposit = devnet.gov_address, devnet.settings.min_deposit
    now = utcnow()

    # Each proposal is voted on right after its submission: the devnet's voting period is seconds long.
    top_prop = submit_addition(devnet, "topn-1", "Top N consumer", now, TOP_N, a, deposit)
    devnet.tx("gov", "vote", top_prop, "yes", sender=a)
    opt_prop = submit_addition(devnet, "consumer-1", "Opt-in consumer", now, 0, a, deposit)
    # Opting in needs the chain to be proposed (a passed chain past its spawn time launches at once, and
    # without validators it is dropped): done during the voting period, before the vote.
    assigned_key = ConsensusKey.generate()
    devnet.tx("provider", "opt-in", "consumer-1", sender=a)
    devnet.tx("provider", "opt-in", "consumer-1", assigned_key.pubkey_json(), sender=b)
    devnet.tx("gov", "vote", opt_prop, "yes", sender=a)
    pending_prop = submit_addition(
        devnet, "initialized-1", "Initialized consumer", now + timedelta(days=365), 0, a, deposit
    )
    devnet.tx("gov", "vote", pending_prop, "yes", sender=a)
    # below the minimum deposit (but above SDK 0.50's 1% floor per deposit): stays in its deposit period
    registered_prop = submit_addition(devnet, "registered-1", "Registered consumer", now, 0, a, deposit // 10)
    passing = (top_prop, opt_prop, pending_prop)

    def all_passed() -> bool | None:
        statuses = [proposal_status(devnet, p) for p in passing]
        failed = [s for s in statuses if s in ("PROPOSAL_STATUS_REJECTED", "PROPOSAL_STATUS_FAILED")]
        if failed:
            raise DevnetError(f"seed proposals {passing} ended {statuses}")
        return all(s == "PROPOSAL_STATUS_PASSED" for s in statuses) or None

    devnet.wait_for(all_passed, f"proposals {passing} to pass", timeout)
    devnet.wait_for(
        lambda: {"topn-1", "consumer-1"} <= launched_chain_ids(devnet) or None,
        "topn-1 and consumer-1 to launch",
        timeout,
    )
    owner = gov  # legacy consumers have no owner; gov added them
    consumers = (
        SeededConsumer("topn-1", "topn-1", KIND_TOP_N, PHASE_LAUNCHED, TOP_N, owner, (), "Top N consumer"),
        SeededConsumer("consumer-1", "consumer-1", KIND_OPT_IN, PHASE_LAUNCHED, 0, owner, (a, b), "Opt-in consumer"),
        SeededConsumer("registered-1", "registered-1", KIND_REGISTERED, PHASE_REGISTERED, 0, owner, (),
                       "Registered consumer"),  # fmt: skip
        SeededConsumer("initialized-1", "initialized-1", KIND_INITIALIZED, PHASE_INITIALIZED, 0, owner, (),
                       "Initialized consumer"),  # fmt: skip
    )
    state = SeedState(consumers, top_prop, assigned_key, b, registered_proposal_id=registered_prop)
    devnet.seeded = state
    devnet.timings["seed_seconds"] = time.monotonic() - began
    log.info("legacy devnet (ICS %s) seeded in %.1fs", devnet.ics, devnet.timings["seed_seconds"])
    return state
