"""How long the GUI thread ever stops answering while the app does its heavy work, in the real main window.

A 1 ms timer on the GUI thread records the longest gap between its ticks (minus the interval) during each
phase, driven like a user would: connect + provider overview (500 validators, 50 consumers, 20 ms per request
from a local fake node), load the overlaps of that provider (500 x 50 matrix, charts), the Governance panel's
proposal list, the Evidence panel's "Search chain" over a loopback CometBFT node (``tests/evidence/fakecomet.py``
in its own process, 4,000 blocks, 50 validators, evidence in 10 blocks; the panel is handed a connection to it
as the Connections panel would, since that fake node serves only CometBFT RPC), typing into a Proposals draft
(a key every 40 ms, 300 ms after each word: each pause re-validates against the connected provider's facts,
re-renders the preview and autosaves), and "Show as QR…" of a 35
KB signing request. Goal: no gap over 50 ms. Figures go to
``bench/results/gui_stall.json``; with ``--append`` the run is added to the runs already recorded there (the
figures vary with the machine's load, so one run proves little). This script starts its own offscreen Qt
platform: ``.venv/bin/python bench/gui_stall.py [--append]``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ICS_WORKBENCH_HOME"] = tempfile.mkdtemp(prefix="ics-stall-")

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer  # noqa: E402

from tests.chain.fakechain import serve_in_process as serve_provider  # noqa: E402

VALIDATORS, CONSUMERS, LATENCY = 500, 50, 0.020
EVIDENCE_BLOCKS, EVIDENCE_AT = 4000, tuple(range(150, 4000, 400))
KEY_MS, WORD_PAUSE_MS = 40, 300
TYPED = "Raise the Top N of consumer 0 to 95 so the smaller validators share the security load"
REQUEST_BYTES = 35_000
GOAL_MS = 50.0


class StallMeter:
    """Longest gap between ticks of a 1 ms timer on the GUI thread: what a user feels as a frozen window."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.worst = 0.0
        self.last = 0

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        self.worst = max(self.worst, (now - self.last) / 1e6 - 1.0)
        self.last = now

    def start(self) -> None:
        self.worst = 0.0
        self.clock.start()
        self.last = self.clock.nsecsElapsed()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return round(self.worst, 1)


def wait_until(condition, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark step did not finish")
        QTimer.singleShot(5, loop.quit)
        loop.exec()


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def big_request(path: Path) -> int:
    """An unsigned request of about 35 KB (a governance proposal with a long summary)."""
    from cosmpy.protos.cosmos.gov.v1 import tx_pb2

    from ics_workbench.signing.offline_file import create_request
    from ics_workbench.signing.tx import Coin, Fee, SignerSpec, build_unsigned_tx
    from tests.signing.offline_helpers import address_of

    pubkey = bytes.fromhex("02" + "11" * 32)
    address = address_of(pubkey)
    summary = "".join(f"Paragraph {i}: the community pool funds relayers for consumer chains. " for i in range(140))
    message = tx_pb2.MsgSubmitProposal(proposer=address, title="Relayer budget", summary=summary)
    unsigned = build_unsigned_tx([message], signers=[SignerSpec(pubkey, sequence=0)],
                                 fee=Fee((Coin("stake", 5000),), 200_000))
    create_request(unsigned, chain_id="provider", address=address, account_number=1, sequence=0).save(path)
    return path.stat().st_size


def evidence_search(window, context) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The Search chain tab scanning a loopback node served from another process (its JSON encoding must not
    share the GUI process's GIL, or the figure would measure the fake node)."""
    from types import SimpleNamespace

    from ics_workbench.chain.http import Endpoint, JsonHttp
    from ics_workbench.gui.context import ConnectionState, LinkState
    from tests.evidence.factory import Key, double_vote, evidence_to_rpc_json
    from tests.evidence.fakecomet import serve_in_process

    key = Key(83)
    evidence = {h: [evidence_to_rpc_json(double_vote(key, "consumer-1", height=h - 1))] for h in EVIDENCE_AT}
    settings = {"latest": EVIDENCE_BLOCKS, "evidence": evidence, "validators": 50, "latency": 0.002}
    spawn = multiprocessing.get_context("spawn")  # no fork of a process that runs Qt threads
    urls, stop = spawn.Queue(), spawn.Event()
    node = spawn.Process(target=serve_in_process, args=(settings, urls, stop), daemon=True)
    node.start()
    figures: dict[str, float] = {}
    # The fake connection serves only CometBFT RPC and has no client for liveness looks: a look would mark it
    # failed, drop it from the tab's chain list and leave the Search button disabled (a rare hang of this step).
    window.liveness.timer.stop()
    try:
        with JsonHttp([Endpoint(urls.get(timeout=30))], retries=0) as http:
            context.set_connection(ConnectionState("consumer", "consumer", LinkState.CONNECTED, "consumer-1",
                                                   connection=SimpleNamespace(
                                                       chain_id="consumer-1", rpc_http=http, rest_http=None,
                                                       profile=SimpleNamespace(rest=(), rpc=()), close=lambda: None)))
            panel = window.show_panel("evidence")
            tab = panel.search
            panel.tabs.setCurrentWidget(tab)
            tab.chain_combo.setCurrentText("consumer")
            tab.from_spin.setValue(1)
            settle(300)
            done: list[object] = []
            tab.sig_finished.connect(done.append)
            tab.sig_failed.connect(done.append)
            meter.start()
            began = time.perf_counter()
            tab.search_button.click()
            wait_until(lambda: bool(done))
            settle(300)
            figures["evidence_search_ms"] = meter.stop()
            figures["evidence_search_wall_s"] = round(time.perf_counter() - began, 2)
            if len(tab.model.rows) != len(EVIDENCE_AT):
                raise RuntimeError(f"the search listed {len(tab.model.rows)} items, not {len(EVIDENCE_AT)}: {done}")
            figures["evidence_items_found"] = len(tab.model.rows)
            context.drop_connection("consumer")
    finally:
        window.liveness.timer.start()
        stop.set()
        node.join(10)
    return figures


def draft_validation(window) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Type into the title of a new MsgUpdateConsumer draft a key at a time, as a user would."""
    from PySide6.QtTest import QTest

    panel = window.show_panel("proposals")
    panel.new("update-consumer")
    settle(300)
    validated: list[object] = []
    panel.sig_validated.connect(validated.append)
    panel.title_edit.setFocus()
    panel.title_edit.clear()
    typed = iter(TYPED)
    keys = QTimer()
    keys.setInterval(KEY_MS)

    def press() -> None:
        char = next(typed, None)
        if char is None:
            keys.stop()
        else:
            QTest.keyClicks(panel.title_edit, char)
            keys.setInterval(WORD_PAUSE_MS if char == " " else KEY_MS)  # a pause after each word re-validates

    keys.timeout.connect(press)
    meter.start()
    began = time.perf_counter()
    keys.start()
    wait_until(lambda: not keys.isActive() and panel.title_edit.text() == TYPED and bool(validated))
    settle(400)  # the last pause's validation
    figures = {"draft_validation_typing_ms": meter.stop(),
               "draft_validation_wall_s": round(time.perf_counter() - began, 2),
               "draft_validations": len(validated)}
    if panel.draft is None or panel.draft.title != TYPED:
        raise RuntimeError("the typed title did not reach the draft")
    return figures


@contextmanager
def provider_node() -> Iterator[SimpleNamespace]:
    """The 500-validator fake provider, served from another process like the evidence node: in this process its
    JSON encoding held the GIL and showed up as GUI-thread stalls (py-spy: the GUI thread waiting in
    Shiboken's GilState while the node's request threads encoded answers)."""
    spawn = multiprocessing.get_context("spawn")
    urls, stop = spawn.Queue(), spawn.Event()
    settings = {"chain_id": "provider", "family": "v7", "validators": VALIDATORS, "consumers": CONSUMERS,
                "latency": LATENCY}
    node = spawn.Process(target=serve_provider, args=(settings, urls, stop), daemon=True)
    node.start()
    try:
        yield SimpleNamespace(url=urls.get(timeout=60), chain_id=settings["chain_id"])
    finally:
        stop.set()
        node.join(10)


meter: StallMeter


def main() -> None:
    from ics_workbench.chain.profiles import ConnectionProfile
    from ics_workbench.gui.app import create_application
    from ics_workbench.gui.collector import CollectorPolicy
    from ics_workbench.gui.context import AppContext
    from ics_workbench.gui.main_window import MainWindow

    global meter
    load_at_start = round(os.getloadavg()[0], 1)
    app = create_application([])
    meter = StallMeter()
    figures: dict[str, float] = {}
    with provider_node() as chain:
        context = AppContext()
        context.profiles.save(ConnectionProfile.parse({
            "name": "big", "chain_id": chain.chain_id, "role": "provider", "rpc": [{"url": chain.url}],
            "rest": [{"url": chain.url}]}))
        window = MainWindow(context)
        CollectorPolicy(app, context.runtime)  # as run_gui installs it
        window.resize(1280, 720)
        window.show()
        settle(500)

        connections = window.page("connections")
        wait_until(lambda: "big" in connections.profiles)
        connections.select("big")
        meter.start()
        began = time.perf_counter()
        connections.connect_button.click()
        wait_until(lambda: (s := context.connection("big")) is not None and s.overview is not None)
        settle(300)  # the overview tables fill and paint
        figures["connect_and_overview_ms"] = meter.stop()
        figures["connect_and_overview_wall_s"] = round(time.perf_counter() - began, 2)

        overlaps = window.show_panel("validators")
        settle(200)
        meter.start()
        began = time.perf_counter()
        overlaps.load_button.click()
        wait_until(lambda: overlaps.matrix_model.rowCount() == VALIDATORS)
        settle(300)
        figures["overlaps_500x50_ms"] = meter.stop()
        figures["overlaps_wall_s"] = round(time.perf_counter() - began, 2)
        overlaps.tabs.setCurrentIndex(2)  # the charts
        meter.start()
        settle(500)
        figures["overlap_charts_paint_ms"] = meter.stop()

        governance = window.show_panel("governance")
        meter.start()
        settle(1500)
        figures["governance_list_ms"] = meter.stop()
        del governance

        figures.update(evidence_search(window, context))
        figures.update(draft_validation(window))

        request = Path(os.environ["ICS_WORKBENCH_HOME"]) / "big-request.json"
        size = big_request(request)
        signing = window.show_panel("signing")
        signing.files.open_file(request)
        settle(200)
        shown: list[object] = []
        signing.files.sig_qr_shown.connect(shown.append)
        meter.start()
        began = time.perf_counter()
        signing.files.qr_button.click()
        wait_until(lambda: bool(shown))
        settle(1600)  # two frame changes
        figures["qr_export_35kb_ms"] = meter.stop()
        figures["qr_export_wall_s"] = round(time.perf_counter() - began, 2)
        figures["qr_frames"] = len(shown[0].frames)  # type: ignore[attr-defined]
        figures["request_bytes"] = size
        shown[0].accept()  # type: ignore[attr-defined]

        meter.start()
        began = time.perf_counter()
        window.close()
        figures["quit_ms"] = round((time.perf_counter() - began) * 1000, 1)
        meter.stop()
    stalls = {k: v for k, v in figures.items() if k.endswith("_ms") and k != "quit_ms"}
    out = ROOT / "bench" / "results" / "gui_stall.json"
    earlier = json.loads(out.read_text(encoding="utf-8")).get("runs", []) if "--append" in sys.argv else []
    run = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "load_average_1m_at_start": load_at_start, "load_average_1m_at_end": round(os.getloadavg()[0], 1),
           "worst_stall_ms": max(stalls.values()), "results": figures}
    runs = [*earlier, run]
    result = {
        "benchmark": "longest GUI-thread stall per phase (1 ms timer), real main window, offscreen platform",
        "goal_ms": GOAL_MS,
        "setup": {"validators": VALIDATORS, "consumers": CONSUMERS, "request_latency_s": LATENCY},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(),
                    "load_average_1m_at_end": round(os.getloadavg()[0], 1),
                    "note": "a shared machine: a load far above the core count starves the GUI thread of CPU, "
                            "which the figures include"},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "results": figures,
        "worst_stall_ms": max(stalls.values()),
        "within_goal": all(v <= GOAL_MS for v in stalls.values()),
        "findings": {
            "evidence_search": "before 2026-12-05 the phase measured 37-75 ms: "
                               "each found item was its own model insert, "
                               "and one insert made the view and proxy call the Python model ~1,060 times (index via "
                               "rowCount+columnCount, data for 7 roles per visible cell, flags), each call waiting for "
                               "the GIL held by the scan's 16 request threads (GUI-thread CPU was 3-10 ms of a 40-70 "
                               "ms gap). Now items and progress are applied in one insert per 30 ms batch and "
                               "RowTableModel.index is one Python call per cell; status/progress text costs no model "
                               "calls (measured). /proc schedstat then showed the rest of a long gap was mostly the "
                               "GUI thread waiting on the run queue behind the request threads: background work now "
                               "runs niced 10 below the GUI thread (runtime.BACKGROUND_NICE), which took run-queue "
                               "waits to ~0; GIL waits remain (gaps of 10-45 ms at load 2-3).",
            "draft_validation_typing": "8 ms alone but 45-92 ms in full runs 4-12: py-spy showed the GUI thread "
                                       "waiting in Shiboken's GilState while the fake provider's request threads, in "
                                       "the same process, JSON-encoded 500-validator answers. The node now runs in its "
                                       "own process (a real node never shares the app's interpreter): 5-15 ms.",
            "garbage_collector": "with the node out of process the QR export phase showed 47-62 ms: one full "
                                 "(generation 2) collection of ~139,000 objects took 49 ms in the QR worker while "
                                 "holding the GIL (gc.callbacks). gui/collector.py freezes what survives each finished "
                                 "task and runs full passes only when the window loses focus or every 10 min while "
                                 "no task runs (run_gui installs it; so does this benchmark): QR export 11-17 ms.",
        },
        "runs": runs,
        "worst_stall_ms_over_runs": max(r["worst_stall_ms"] for r in runs),
        "runs_within_goal": sum(r["worst_stall_ms"] <= GOAL_MS for r in runs),
    }
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    app.quit()


if __name__ == "__main__":
    main()
