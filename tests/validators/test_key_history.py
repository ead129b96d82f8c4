"""Dating key assignments from provider transaction events (pure part; the devnet test reads a real index)."""

from __future__ import annotations

from datetime import UTC, datetime

from ics_workbench.validators.key_history import KeyEvent, _pubkey_of, with_assignment_times
from ics_workbench.validators.models import ConsumerInput, KeyAssignment, PowerShapingParams


def test_pubkey_is_read_from_the_event_key_json() -> None:
    assert _pubkey_of('{"@type": "/cosmos.crypto.ed25519.PubKey", "key": "QUJD"}') == "QUJD"
    assert _pubkey_of("") == "" and _pubkey_of("not json") == "" and _pubkey_of('["x"]') == ""


def test_latest_matching_event_dates_the_current_key() -> None:
    consumer = ConsumerInput(
        "3", "c-3", PowerShapingParams(),
        key_assignments=(KeyAssignment("valcons-b", "cv-b", "NEW"), KeyAssignment("valcons-c", "cv-c", "KEYC")),
    )
    events = [
        KeyEvent(10, "valoper-b", "OLD"),  # an earlier key of B: not the current one
        KeyEvent(20, "valoper-b", "NEW"),
        KeyEvent(30, "valoper-b", "NEW"),  # re-sent later: the latest counts
        KeyEvent(15, "valoper-x", "KEYC"),  # same key, other validator: ignored
    ]
    times = {h: datetime(2026, 1, 1, 0, 0, h, tzinfo=UTC) for h in (10, 15, 20, 30)}
    dated = with_assignment_times(consumer, events, times, {"valoper-b": "valcons-b", "valoper-c": "valcons-c"})
    by_validator = {k.provider_valcons: k.assigned_at for k in dated.key_assignments}
    assert by_validator == {"valcons-b": times[30], "valcons-c": None}
