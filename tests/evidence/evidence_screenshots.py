"""Screenshots of the Evidence panel (list + detail with checks, mapped validator and the pre-check; a blocked
submission; the Downtime tab) against the local provider/consumer nodes the tests use. Run under Xvfb:

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb .venv/bin/python \\
        tests/evidence/evidence_screenshots.py
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "screenshots"


def commit_route(keys: list[str], outage: dict[int, range | set[int]]):
    """/validators lists ``keys``; /commit has every key signing except ``outage[i]`` heights for key i."""
    from tests.evidence.test_downtime_panel import comet_validator

    def route(path: str, params: dict[str, str]) -> Any:
        if path == "/validators":
            return {"jsonrpc": "2.0", "id": -1, "result": {"count": str(len(keys)), "total": str(len(keys)),
                                                           "validators": [comet_validator(k) for k in keys]}}
        if path != "/commit":
            return None
        height = int(params["height"])
        sigs = [{"block_id_flag": 2, "validator_address": comet_validator(k)["address"],
                 "timestamp": "2026-01-01T00:00:00Z", "signature": base64.b64encode(bytes(64)).decode()}
                for i, k in enumerate(keys) if height not in outage.get(i, ())]
        return {"jsonrpc": "2.0", "id": -1, "result": {"canonical": True, "signed_header": {
            "header": {"height": str(height)}, "commit": {"height": str(height), "signatures": sigs}}}}

    return route


def main() -> int:
    os.environ.setdefault("ICS_WORKBENCH_HOME", tempfile.mkdtemp(prefix="ics-evidence-shots-"))
    from PySide6.QtCore import QEventLoop, QTimer

    from ics_workbench.chain.connect import HttpSettings, connect_urls
    from ics_workbench.gui.app import create_application
    from ics_workbench.gui.context import AppContext, ConnectionState, LinkState
    from ics_workbench.gui.main_window import MainWindow
    from ics_workbench.signing.keystore import KeyStore
    from tests.evidence import test_downtime_panel as dt, test_panel_submit as sub
    from tests.evidence.factory import double_vote, evidence_to_rpc_json
    from tests.evidence.provider_node import CONSUMER_ID, provider_node, signing_info, valcons

    app = create_application()
    KeyStore().add_watch("relayer-ops", sub.ALICE)

    def wait(signal: Any, ms: int = 30_000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def settle() -> None:
        loop = QEventLoop()
        QTimer.singleShot(400, loop.quit)
        loop.exec()

    V = dt.VALIDATORS
    keys = [dt.key(v) for v in V[:5]]
    top = dt.TOP
    provider_outage = {
        1: set(range(top - 70, top - 40)),
        3: {h for h in range(top - 99, top + 1) if h % 7 == 0},
        4: set(range(top - 99, top + 1)),
    }
    assigned_valcons = dt.encode_address(dt.consensus_address("ed25519", dt.ASSIGNED) or b"", "cosmosvalcons")
    assignment = {"provider_address": valcons(V[1]), "consumer_address": assigned_valcons,
                  "consumer_key": {"ed25519": base64.b64encode(dt.ASSIGNED).decode()}}
    infos = [signing_info(valcons(V[0]), 12), signing_info(valcons(V[1]), 44), signing_info(valcons(V[2]), 0),
             signing_info(valcons(V[3]), 15), signing_info(valcons(V[4]), 50, jailed_until="2026-11-22T02:10:00Z"),
             signing_info(valcons(V[5]), 0, tombstoned=True, jailed_until="9999-12-31T23:59:59Z")]
    with ExitStack() as stack:
        extra = {**sub._provider_answers(tombstoned=False),
                 f"/interchain_security/ccv/provider/address_pairs/{CONSUMER_ID}": {"pair_val_con_addr": [assignment]}}
        url = stack.enter_context(provider_node(extra=extra, signing_infos=infos,
                                                dynamic=commit_route(keys, provider_outage)))
        settings = HttpSettings(timeout=10, retries=0)
        conn = stack.enter_context(connect_urls([url], [url], settings=settings))
        ctx = AppContext()
        ctx.set_connection(ConnectionState("cosmos hub testnet", "provider", LinkState.CONNECTED, conn.chain_id,
                                           connection=conn))
        window = MainWindow(ctx)
        window.resize(1280, 780)
        window.show()
        panel = window.show_panel("evidence")
        panel.provider_combo.setCurrentText("cosmos hub testnet")
        panel.chain_id_edit.setText(sub.CONSUMER_CHAIN_ID)
        panel.pubkey_edit.setText(sub.KEY.public_b64)
        forged = double_vote(sub.KEY, "other-chain", height=12)
        document = json.dumps([evidence_to_rpc_json(sub.EVIDENCE), evidence_to_rpc_json(forged)]).encode()
        panel.set_document(document, "pion-1-evidence.json")
        wait(panel.sig_prepared)
        panel.submitter_combo.setCurrentIndex(panel.submitter_combo.findData(sub.ALICE))
        settle()
        window.grab().save(str(OUT / "evidence-list-detail.png"))
        panel.evidence_table.view.selectRow(1)
        settle()
        window.grab().save(str(OUT / "evidence-forged-blocked.png"))

        consumer_infos = [
            signing_info(dt.encode_address(dt.consensus_address("ed25519", dt.ASSIGNED) or b"", "consumervalcons"), 38),
            signing_info(dt.encode_address(dt.raw_address(V[0]), "consumervalcons"), 3),
            signing_info(dt.encode_address(dt.raw_address(V[3]), "consumervalcons"), 0),
        ]
        consumer_keys = [keys[0], base64.b64encode(dt.ASSIGNED).decode(), keys[3]]
        c_url = stack.enter_context(
            provider_node(
                signing_infos=consumer_infos,
                extra=dt.consumer_answers(),
                dynamic=commit_route(consumer_keys, {1: set(range(top - 99, top - 20))}),
            )
        )
        c_conn = stack.enter_context(connect_urls([c_url], [c_url], settings=settings))
        ctx.set_connection(ConnectionState("pion", "consumer", LinkState.CONNECTED, c_conn.chain_id, connection=c_conn))
        downtime = panel.downtime
        panel.tabs.setCurrentWidget(downtime)
        downtime.consumer_combo.setCurrentText("pion")
        downtime.load()
        wait(downtime.sig_loaded)
        downtime.chain_combo.setCurrentIndex(0)
        settle()
        window.grab().save(str(OUT / "evidence-downtime-provider.png"))
        downtime.chain_combo.setCurrentIndex(1)
        settle()
        window.grab().save(str(OUT / "evidence-downtime-consumer.png"))
        window.close()
        assert ctx.runtime.shutdown(10_000)
    app.processEvents()
    for name in (
        "evidence-list-detail",
        "evidence-forged-blocked",
        "evidence-downtime-provider",
        "evidence-downtime-consumer",
    ):
        print("saved", OUT / f"{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
