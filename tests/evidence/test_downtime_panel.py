"""The Downtime tab against real local HTTP servers: every page of signing infos mapped to provider validators
(directly and through key assignment on a consumer), the jailing threshold, who is close, the recent
missed-blocks grid from /commit, and cancelling a load."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import Any

import nacl.signing
import pytest
from PySide6.QtCore import Qt

from ics_workbench.addresses import consensus_address, encode_address
from ics_workbench.chain.connect import HttpSettings, connect_urls
from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
from ics_workbench.gui.panels.evidence.downtime_tab import CLOSE_BACKGROUND, JAILED_BACKGROUND, DowntimeTab
from ics_workbench.gui.panels.evidence.panel import EvidencePanel

from .provider_node import CONSUMER_CHAIN_ID, CONSUMER_ID, ROOT, provider_node, signing_info, valcons, validators

VALIDATORS = validators()
TOP = int(json.loads((ROOT / "status.json").read_text())["result"]["sync_info"]["latest_block_height"])
RECENT = 12
ASSIGNED = nacl.signing.SigningKey(bytes([9]) * 32).verify_key.encode()  # validator 1's consumer key


def raw_address(validator: dict[str, Any]) -> bytes:
    raw = consensus_address("ed25519", base64.b64decode(validator["consensus_pubkey"]["key"]))
    assert raw is not None
    return raw


def comet_validator(pubkey_b64: str) -> dict[str, Any]:
    raw = consensus_address("ed25519", base64.b64decode(pubkey_b64))
    assert raw is not None
    return {"address": raw.hex().upper(), "pub_key": {"type": "tendermint/PubKeyEd25519", "value": pubkey_b64},
            "voting_power": "10", "proposer_priority": "0"}


def commit_route(signers: list[str], down: str, absent: str, gate: threading.Event | None = None,
                 started: threading.Event | None = None):
    """/commit: ``down`` misses every third height, ``absent`` never appears; /validators lists all of them."""
    keys = [*signers, down, absent]

    def route(path: str, params: dict[str, str]) -> Any:
        if path == "/validators":
            return {
                "jsonrpc": "2.0",
                "id": -1,
                "result": {
                    "block_height": params.get("height"),
                    "count": str(len(keys)),
                    "total": str(len(keys)),
                    "validators": [comet_validator(k) for k in keys],
                },
            }
        if path != "/commit":
            return None
        if started is not None:
            started.set()
        if gate is not None:
            gate.wait(10)
        height = int(params["height"])
        sigs = [{"block_id_flag": 2, "validator_address": comet_validator(k)["address"],
                 "timestamp": "2026-01-01T00:00:00Z", "signature": base64.b64encode(bytes(64)).decode()}
                for k in signers]
        sigs.append({"block_id_flag": 1 if height % 3 == 0 else 2, "validator_address": comet_validator(down)["address"]
                     if height % 3 else "", "timestamp": "2026-01-01T00:00:00Z", "signature": None})
        return {"jsonrpc": "2.0", "id": -1, "result": {"canonical": True, "signed_header": {
            "header": {"height": str(height)}, "commit": {"height": str(height), "signatures": sigs}}}}

    return route


def key(validator: dict[str, Any]) -> str:
    return str(validator["consensus_pubkey"]["key"])


PROVIDER_INFOS = [
    signing_info(valcons(VALIDATORS[0]), 45),  # 45 of 50 allowed: close
    signing_info(valcons(VALIDATORS[1]), 3),
    signing_info(valcons(VALIDATORS[2]), 0, tombstoned=True, jailed_until="9999-12-31T23:59:59Z"),
    signing_info(valcons(VALIDATORS[3]), 10, jailed_until="2999-01-01T00:00:00Z"),  # jailed per x/slashing
    signing_info(encode_address(bytes([7]) * 20, "cosmosvalcons"), 1),  # not a provider validator
]


def consumer_answers() -> dict[str, Any]:
    """The consumer's own node: another network name, its x/slashing counting by consumer keys."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    status = json.loads((ROOT / "status.json").read_text().replace("provider-test-1", CONSUMER_CHAIN_ID)
                        .replace("__NOW__", now))
    info = json.loads((ROOT / "cosmos/base/tendermint/v1beta1/node_info.json").read_text()
                      .replace("provider-test-1", CONSUMER_CHAIN_ID))
    return {"/status": status, "/cosmos/base/tendermint/v1beta1/node_info": info}


@pytest.fixture
def tab(qtbot, qapp) -> Iterator[Any]:
    """``tab(provider_route, consumer=bool)`` -> the Evidence panel's Downtime tab with live connections."""
    with ExitStack() as stack:
        ctx = AppContext()
        panels: list[EvidencePanel] = []  # qtbot only keeps a weak reference

        def make(dynamic: Any = None, *, consumer: bool = False) -> DowntimeTab:
            assignment = {
                "provider_address": valcons(VALIDATORS[1]),
                "consumer_address": encode_address(consensus_address("ed25519", ASSIGNED) or b"", "cosmosvalcons"),
                "consumer_key": {"ed25519": base64.b64encode(ASSIGNED).decode()},
            }
            url = stack.enter_context(
                provider_node(
                    signing_infos=PROVIDER_INFOS,
                    dynamic=dynamic,
                    extra={
                        f"/interchain_security/ccv/provider/address_pairs/{CONSUMER_ID}": {
                            "pair_val_con_addr": [assignment]
                        }
                    },
                )
            )
            settings = HttpSettings(timeout=15, retries=0)
            conn = stack.enter_context(connect_urls([url], [url], settings=settings))
            ctx.set_connection(ConnectionState("hub", "provider", LinkState.CONNECTED, conn.chain_id, connection=conn))
            if consumer:
                consumer_infos = [
                    signing_info(encode_address(consensus_address("ed25519", ASSIGNED) or b"", "consumervalcons"), 30),
                    signing_info(encode_address(raw_address(VALIDATORS[0]), "consumervalcons"), 2),
                    # fine on the consumer, but tombstoned / jailed per the PROVIDER's x/slashing
                    signing_info(encode_address(raw_address(VALIDATORS[2]), "consumervalcons"), 0),
                    signing_info(encode_address(raw_address(VALIDATORS[3]), "consumervalcons"), 1),
                ]
                b64 = base64.b64encode(ASSIGNED).decode()
                c_url = stack.enter_context(provider_node(
                    signing_infos=consumer_infos, extra=consumer_answers(),
                    dynamic=commit_route([key(VALIDATORS[0])], b64, key(VALIDATORS[3]))))
                c_conn = stack.enter_context(connect_urls([c_url], [c_url], settings=settings))
                ctx.set_connection(ConnectionState("pion", "consumer", LinkState.CONNECTED, c_conn.chain_id,
                                                   connection=c_conn))
            panel = EvidencePanel(ctx)
            panels.append(panel)
            qtbot.addWidget(panel)
            panel.tabs.setCurrentWidget(panel.downtime)
            panel.downtime.recent_spin.setValue(RECENT)
            return panel.downtime

        yield make
        assert ctx.runtime.shutdown(10_000)


def test_provider_signing_infos_are_mapped_and_ranked(tab, qtbot, qtmodeltester) -> None:
    downtime = tab(commit_route([key(VALIDATORS[0]), key(VALIDATORS[2])], key(VALIDATORS[1]), key(VALIDATORS[3])))
    assert [downtime.provider_combo.itemText(i) for i in range(downtime.provider_combo.count())] == ["hub"]
    with qtbot.waitSignal(downtime.sig_loaded, timeout=15_000) as loaded:
        downtime.load_button.click()
    (view,) = loaded.args[0]
    qtmodeltester.check(downtime.model)
    rows = [e.row for e in downtime.model.rows]
    assert len(rows) == len(PROVIDER_INFOS)  # all three pages of signing infos
    assert view.allowed == 50 and "jailed after 50 misses" in downtime.params_label.text()
    first = downtime.model.rows[0]
    assert (first.row.moniker, first.row.missed, first.row.remaining) == (
        VALIDATORS[0]["description"]["moniker"],
        45,
        5,
    )
    assert first.operator == VALIDATORS[0]["operator_address"]
    states = {r.moniker: (r.close_to_jail, r.tombstoned) for r in rows}
    assert states[VALIDATORS[0]["description"]["moniker"]] == (True, False)
    assert states[VALIDATORS[2]["description"]["moniker"]][1] is True
    assert "" in states  # the signing address no provider validator owns stays visible, unnamed

    model = downtime.model
    def background(i: int) -> Any:
        return model.data(model.index(i, 0), Qt.ItemDataRole.BackgroundRole)
    assert background(0) == CLOSE_BACKGROUND
    tombstoned = next(i for i, e in enumerate(model.rows) if e.row.tombstoned)
    assert background(tombstoned) == JAILED_BACKGROUND
    assert model.data(model.index(tombstoned, 6)) == "tombstoned"
    assert model.data(model.index(tombstoned, 7)).startswith("9999-12-31")
    jailed = next(i for i, e in enumerate(model.rows) if e.row.moniker == VALIDATORS[3]["description"]["moniker"])
    assert model.data(model.index(jailed, 6)) == "jailed" and background(jailed) == JAILED_BACKGROUND

    # The grid: the last RECENT heights, one grid row per table row, in the table's order.
    grid = downtime.grid
    assert grid.heights == tuple(range(TOP - RECENT + 1, TOP + 1))
    assert [r.label for r in grid.rows][0] == VALIDATORS[0]["description"]["moniker"]
    by_label = {r.label: r.flags for r in grid.rows}
    down = by_label[VALIDATORS[1]["description"]["moniker"]]
    assert [h for h, ok in zip(grid.heights, down, strict=True) if not ok] == [h for h in grid.heights if h % 3 == 0]
    assert not any(by_label[VALIDATORS[3]["description"]["moniker"]])  # never in a commit: missed them all
    assert all(by_label[VALIDATORS[0]["description"]["moniker"]])
    grid.resize(grid.sizeHint())
    grid.repaint()  # paints without error at its natural size


def test_consumer_rows_map_to_provider_validators_through_key_assignment(tab, qtbot) -> None:
    downtime = tab(commit_route([key(VALIDATORS[0])], key(VALIDATORS[1]), key(VALIDATORS[3])), consumer=True)
    downtime.consumer_combo.setCurrentText("pion")
    with qtbot.waitSignal(downtime.sig_loaded, timeout=15_000) as loaded:
        downtime.load_button.click()
    assert downtime.error_label.text() == ""
    provider_view, consumer_view = loaded.args[0]
    assert (provider_view.role, consumer_view.role) == ("provider", "consumer")
    assert downtime.current_view() is consumer_view  # the consumer is shown first
    rows = {e.row.moniker: e.row for e in downtime.model.rows}
    assigned, plain = rows[VALIDATORS[1]["description"]["moniker"]], rows[VALIDATORS[0]["description"]["moniker"]]
    assert assigned.moniker == VALIDATORS[1]["description"]["moniker"] and assigned.missed == 30
    assert assigned.provider_address == valcons(VALIDATORS[1]) and assigned.address.startswith("consumervalcons")
    assert plain.moniker == VALIDATORS[0]["description"]["moniker"]  # no assignment: its provider key
    flags = {r.label: r.flags for r in downtime.grid.rows}[assigned.moniker]
    assert [h for h, ok in zip(downtime.grid.heights, flags, strict=True) if not ok] == [
        h for h in downtime.grid.heights if h % 3 == 0
    ]
    downtime.chain_combo.setCurrentIndex(0)
    assert len(downtime.model.rows) == len(PROVIDER_INFOS)


def test_consumer_rows_join_the_providers_tombstone_and_jail(tab, qtbot) -> None:
    """A validator tombstoned or jailed on the provider is not "ok" on the consumer, whose own x/slashing
    knows nothing of it (and it misses every consumer block: the provider removed it from the set)."""
    downtime = tab(commit_route([key(VALIDATORS[0])], key(VALIDATORS[1]), key(VALIDATORS[3])), consumer=True)
    downtime.consumer_combo.setCurrentText("pion")
    with qtbot.waitSignal(downtime.sig_loaded, timeout=15_000):
        downtime.load_button.click()
    rows = {e.row.moniker: e.row for e in downtime.model.rows}
    tombstoned, jailed = rows[VALIDATORS[2]["description"]["moniker"]], rows[VALIDATORS[3]["description"]["moniker"]]
    assert (tombstoned.tombstoned, tombstoned.provider_tombstoned, tombstoned.state()) == (False, True, "tombstoned")
    assert (jailed.missed, jailed.state()) == (1, "jailed") and jailed.provider_jailed_until.year == 2999
    assert rows[VALIDATORS[0]["description"]["moniker"]].state() == "ok"
    state_column = [c.header for c in downtime.model.columns].index("State")
    states = {downtime.model.rows[r].row.moniker: downtime.model.data(downtime.model.index(r, state_column))
              for r in range(downtime.model.rowCount())}
    assert states[tombstoned.moniker] == "tombstoned" and states[jailed.moniker] == "jailed"
    assert downtime.model.data(downtime.model.index(list(states).index(jailed.moniker), 0),
                               Qt.ItemDataRole.BackgroundRole) == JAILED_BACKGROUND


def test_a_thousand_block_grid_scrolls_instead_of_overflowing(qtbot, qapp) -> None:
    from PySide6.QtWidgets import QScrollArea

    from ics_workbench.gui.panels.evidence.missed_grid import GridRow, MissedBlocksGrid

    grid = MissedBlocksGrid()
    scroll = QScrollArea()
    scroll.setWidget(grid)
    scroll.setWidgetResizable(True)
    qtbot.addWidget(scroll)
    scroll.resize(640, 200)
    scroll.show()
    heights = range(10_001, 11_001)
    grid.set_data(heights, [GridRow(f"validator {i}", tuple(h % (i + 2) != 0 for h in heights)) for i in range(5)])
    qtbot.waitUntil(lambda: grid.width() > 640)
    assert grid.painted_right() <= grid.width()  # every one of the 1,000 cells is drawn inside the widget
    assert scroll.horizontalScrollBar().maximum() > 0  # reached by scrolling
    right = grid.cell_at(grid.width() - 61, 20)
    assert right is not None and grid.heights[right[1]] >= 10_990  # the newest heights are reachable
    grid.repaint()


def test_cancel_stops_the_load(tab, qtbot) -> None:
    gate, started = threading.Event(), threading.Event()
    downtime = tab(commit_route([key(VALIDATORS[0])], key(VALIDATORS[1]), key(VALIDATORS[3]), gate, started))
    try:
        with qtbot.waitSignal(downtime.sig_failed, timeout=20_000) as failed:
            downtime.load_button.click()
            assert downtime.cancel_button.isEnabled() and not downtime.load_button.isEnabled()
            qtbot.waitUntil(started.is_set, timeout=10_000)
            downtime.cancel_button.click()
            gate.set()
    finally:
        gate.set()
    assert "cancel" in failed.args[0].lower()
    assert downtime.load_button.isEnabled() and not downtime.cancel_button.isEnabled()
    assert downtime.model.rows == ()


def test_load_without_a_provider_says_so(qtbot, qapp) -> None:
    ctx = AppContext()
    downtime = DowntimeTab(ctx)
    qtbot.addWidget(downtime)
    assert not downtime.load_button.isEnabled()
    with qtbot.waitSignal(downtime.sig_failed, timeout=2_000):
        downtime.load()
    assert "connect a provider" in downtime.error_label.text()
    assert ctx.runtime.shutdown(10_000)
