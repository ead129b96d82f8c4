"""The one ICS version table: parser boundaries, the feature table against the tags, and guesses."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from ics_workbench.foundation.ics_versions import (
    FEATURES,
    RELEASES,
    IcsVersion,
    VersionError,
    infer_version,
    parse_version,
)
from ics_workbench.proposals.versions import ProviderVersion


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("v7", (7, 0, 0)), ("5.1", (5, 1, 0)), ("v4.3.0-lsm", (4, 3, 0)),
     ("v7.0.0-20250408210344-06e0dc6bf6d6", (7, 0, 0)),
     (" v6.4.1 ", (6, 4, 1)), ("v3.3.0", None), ("main", None), ("", None), (None, None), ("v6.4.1.2", None)],
)  # fmt: skip
def test_one_parser(text: str | None, parsed: tuple[int, int, int] | None) -> None:
    assert parse_version(text) == parsed


def test_old_versions_are_refused_with_a_reason() -> None:
    with pytest.raises(VersionError, match="older than v4"):
        IcsVersion.parse("v3.2.0")


@given(st.text(max_size=40))
def test_parser_never_crashes(text: str) -> None:
    assert parse_version(text) is None or parse_version(text)[0] >= 4  # type: ignore[index]


def test_proposals_and_detection_share_the_class() -> None:
    assert ProviderVersion is IcsVersion


@pytest.mark.parametrize(
    ("version", "present", "absent"),
    [
        ("v4.0.0", {"legacy_proposals"}, {"power_shaping", "epochs", "msg_consumer_addition", "msg_create_consumer"}),
        ("v4.2.0", {"legacy_proposals", "power_shaping", "epochs"}, {"legacy_modification_proposal"}),
        ("v5.0.0", {"msg_consumer_addition", "epochs"}, {"power_shaping", "msg_consumer_modification"}),
        ("v5.2.0", {"msg_consumer_addition", "power_shaping", "legacy_modification_proposal"}, {"msg_create_consumer"}),
        ("v6.4.1", {"msg_create_consumer", "prioritylist", "infraction_parameters", "power_shaping"},
         {"legacy_proposals", "msg_consumer_addition"}),
        ("v7.0.0", {"msg_create_consumer", "allowlisted_reward_denoms", "new_chain_id"}, {"legacy_proposals"}),
    ],
)  # fmt: skip
def test_feature_table(version: str, present: set[str], absent: set[str]) -> None:
    features = IcsVersion.parse(version).features()
    assert present <= features and not (absent & features)


def test_every_feature_exists_in_some_release() -> None:
    for feature in FEATURES:
        assert any(feature.in_release(r[0], r[1]) for r in RELEASES), feature.name


@pytest.mark.parametrize(
    ("consumer_id", "sdk", "ibc", "evidence", "expected"),
    [
        (False, "v0.47.11", None, set(), "v4.0.0"),
        (False, "v0.47.11", None, {"top_N", "blocks_per_epoch"}, "v4.2.0"),
        (False, "v0.50.8", None, {"top_N"}, "v5.1.0"),
        (False, "", 8, set(), "v5.0.0"),
        (True, "v0.50.11", 8, {"prioritylist"}, "v6.4.0"),
        (True, "v0.50.12", 10, set(), "v7.0.0"),
    ],
)
def test_guess_is_the_oldest_release_with_the_proven_fields(
    consumer_id: bool, sdk: str, ibc: int | None, evidence: set[str], expected: str
) -> None:
    guess = infer_version(consumer_id, sdk, ibc, evidence)
    assert (str(guess), guess.guessed) == (expected, True)
    assert "guessed" in guess.display() and str(guess) in guess.display()


def test_chain_id_keyed_provider_is_never_guessed_v6_or_later() -> None:
    for sdk in ("", "v0.47.0", "v0.50.1", "v0.53.0"):
        assert infer_version(False, sdk, None, {"prioritylist", "allowlisted_reward_denoms"}).major < 6
