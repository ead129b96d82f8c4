"""A small unseeded provider with a 10-minute voting period, for the governance journeys: the session devnet's
8-second voting period ends before a person (or a GUI test) has voted. Starting one costs about 3 seconds."""

from __future__ import annotations

from typing import Any

from ics_workbench.devnet.genesis import ChainSettings
from ics_workbench.devnet.node import Devnet

GOV_SETTINGS = ChainSettings(chain_id="govnet", voting_period="600s", expedited_voting_period="300s")


def submit_text_proposal(chain: Devnet, title: str, deposit: int, sender: str) -> int:
    """A metadata-only proposal (no messages): what any SDK chain accepts. Returns its id from the tx events."""
    body = {"messages": [], "metadata": "ipfs://workbench-test", "deposit": f"{deposit}{chain.denom}",
            "title": title, "summary": f"{title} (test)", "expedited": False}
    tx = chain.tx("gov", "submit-proposal", str(chain.write_json(f"{title[:20].replace(' ', '-')}.json", body)),
                  sender=sender)
    return int(_attribute(tx, "submit_proposal", "proposal_id"))


def _attribute(tx: dict[str, Any], event: str, key: str) -> str:
    for item in tx.get("events", []):
        if item.get("type") == event:
            for attribute in item.get("attributes", []):
                if attribute.get("key") == key:
                    return str(attribute["value"])
    raise AssertionError(f"no {event}.{key} in the tx events")
