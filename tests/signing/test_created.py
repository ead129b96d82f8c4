"""What a tx created, from its events: only digit ids, nothing else shown."""

from __future__ import annotations

from ics_workbench.signing.broadcast import parse_tx_response
from ics_workbench.signing.created import Created, created_objects


def test_new_ids_come_from_the_events_and_odd_values_are_ignored() -> None:
    result = parse_tx_response({"tx_response": {"txhash": "ab", "events": [
        {"type": "create_consumer", "attributes": [{"key": "consumer_id", "value": "12"}]},
        {"type": "submit_proposal", "attributes": [{"key": "proposal_id", "value": "7"}]},
        {"type": "proposal_deposit", "attributes": [{"key": "proposal_id", "value": "7"}]},
        {"type": "proposal_vote", "attributes": [{"key": "proposal_id", "value": "<a href=x>3</a>"}]},
        {"type": "submit_proposal", "attributes": "not a list"},
        "not an event",
    ]}})
    assert created_objects(result) == [Created("consumer", "12", "created"), Created("proposal", "7", "created")]
    assert created_objects(result)[1].describe() == "new proposal 7"


def test_vote_and_deposit_name_the_proposal() -> None:
    result = parse_tx_response({"tx_response": {"txhash": "ab", "events": [
        {"type": "proposal_vote", "attributes": [{"key": "proposal_id", "value": "3"}]}]}})
    assert [c.describe() for c in created_objects(result)] == ["proposal 3 voted on"]
