"""Screenshots of the Validators & Overlaps panel and the consumer overview, against the REAL devnet provider with a
live consumer node (what ``ics-workbench devnet up --consumer-node`` runs), plus the charts on a larger synthetic
provider (the devnet has only two validators, too few to show what the charts are for):

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb .venv/bin/python -m tests.gui.validators_screenshots

Writes ``screenshots/connections-consumer-monikers.png`` and ``screenshots/validators-*.png``.
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "screenshots"


def synthetic_data():  # type: ignore[no-untyped-def]
    """120 validators with a long-tailed power distribution and 12 consumers of every kind."""
    from ics_workbench.validators.load import OverlapData
    from ics_workbench.validators.models import ConsumerInput, PowerShapingParams, ProviderSnapshot
    from tests.validators.factories import validators

    rng = random.Random(7)
    vals = validators(*sorted((int(10_000 / (i + 1) ** 0.9) + rng.randint(0, 50) for i in range(120)), reverse=True))
    snapshot = ProviderSnapshot(vals)
    consumers = []
    kinds = [
        ("Neutron", PowerShapingParams(top_n=66), 0),
        ("Stride", PowerShapingParams(), 35),
        ("Elys", PowerShapingParams(), 40),
        ("Pryzm", PowerShapingParams(validators_power_cap=10), 60),
        ("Nova", PowerShapingParams(validator_set_cap=20), 70),
        ("Apollo", PowerShapingParams(), 8),
        ("Quasar", PowerShapingParams(top_n=50), 12),
        ("Ethos", PowerShapingParams(denylist=tuple(v.valcons for v in vals[:3])), 30),
        ("Bitway", PowerShapingParams(min_stake=500 * 10**6), 90),
        ("Hydro", PowerShapingParams(), 15),
        ("Mantra", PowerShapingParams(validators_power_cap=20), 25),
        ("Atlas", PowerShapingParams(), 4),
    ]
    for index, (name, params, opt_ins) in enumerate(kinds):
        chosen = frozenset(v.valcons for v in rng.sample(vals, opt_ins))
        consumers.append(ConsumerInput(str(index), f"{name.lower()}-1", params, chosen, name=name, phase="LAUNCHED"))
    return OverlapData(snapshot, tuple(consumers), {}, {})


def main() -> int:
    os.environ["ICS_WORKBENCH_HOME"] = tempfile.mkdtemp(prefix="ics-validators-shots-")
    from PySide6.QtCore import QEventLoop, QTimer

    from ics_workbench.chain.profiles import ConnectionProfile
    from ics_workbench.devnet.build import CONSUMER_BINARY, ensure_binary
    from ics_workbench.devnet.consumer import ConsumerNode
    from ics_workbench.devnet.node import Devnet
    from ics_workbench.gui.app import create_application, create_main_window
    from ics_workbench.gui.panels.connections.panel import ConnectionsPanel
    from ics_workbench.gui.panels.validators.panel import ValidatorsPanel

    devnet = Devnet(binary=ensure_binary().binary)
    devnet.start()
    try:
        devnet.seed()
        node = ConsumerNode(devnet, devnet.seeded.opt_in.consumer_id, binary=ensure_binary(name=CONSUMER_BINARY).binary)
        with node:
            node.wait_blocks(2)
            app = create_application()
            window = create_main_window()
            context = window.context
            context.profiles.save(ConnectionProfile.parse({
                "name": "devnet provider", "chain_id": devnet.chain_id, "role": "provider",
                "rpc": [{"url": devnet.rpc_url}], "rest": [{"url": devnet.rest_url}],
            }))
            context.profiles.save(ConnectionProfile.parse({
                "name": "devnet consumer-1", "chain_id": node.chain_id, "role": "consumer",
                "provider_profile": "devnet provider",
                "rpc": [{"url": node.rpc_url}], "rest": [{"url": node.rest_url}],
            }))
            window.resize(1280, 780)
            window.show()

            def wait(signal, ms: int = 60_000) -> None:  # type: ignore[no-untyped-def]
                loop = QEventLoop()
                signal.connect(loop.quit)
                QTimer.singleShot(ms, loop.quit)
                loop.exec()

            def shot(name: str) -> None:
                loop = QEventLoop()
                QTimer.singleShot(400, loop.quit)
                loop.exec()
                window.grab().save(str(OUT / name))
                print("saved", OUT / name)

            connections = window.show_panel("connections")
            assert isinstance(connections, ConnectionsPanel)
            connections.reload_profiles()
            wait(connections.sig_profiles_loaded)
            for name in ("devnet provider", "devnet consumer-1"):
                connections.select(name)
                connections.connect_selected()
                wait(connections.sig_connected)
            shot("connections-consumer-monikers.png")

            panel = window.show_panel("validators")
            assert isinstance(panel, ValidatorsPanel)
            panel.provider_combo.setCurrentText("devnet provider")
            panel.load_button.click()
            wait(panel.sig_loaded)
            panel.tabs.setCurrentIndex(0)
            shot("validators-matrix.png")
            panel.tabs.setCurrentIndex(2)
            shot("validators-charts-devnet.png")
            panel.tabs.setCurrentIndex(5)
            shot("validators-consumer-sets.png")
            labels = [panel.sim_consumer.itemText(i) for i in range(panel.sim_consumer.count())]
            panel.sim_consumer.setCurrentIndex(next(i for i, t in enumerate(labels) if t.startswith("Top N")))
            panel.sim_top_n.setValue(100)  # Top 95 -> Top 100 brings validator-b in
            panel.tabs.setCurrentIndex(6)
            panel.simulate_form()
            wait(panel.sig_simulated)
            shot("validators-simulator.png")

            panel.set_data(synthetic_data())
            wait(panel.sig_loaded)
            panel.tabs.setCurrentIndex(2)
            shot("validators-charts.png")
            panel.tabs.setCurrentIndex(0)
            shot("validators-matrix-synthetic.png")
            panel.sim_consumer.setCurrentIndex(0)  # Neutron, Top 66
            panel.sim_power_cap.setValue(4)
            panel.sim_denylist.setPlainText(panel.matrix_model.row_at(0).validator.valcons)
            panel.tabs.setCurrentIndex(6)
            panel.simulate_form()
            wait(panel.sig_simulated)
            shot("validators-simulator-synthetic.png")
            panel.export_png(OUT / "validators-export.png")
            print("saved", OUT / "validators-export.png")

            # a chain without a provider module (fake Gaia v28) and a consumer whose keys the provider only
            # partly reports (fake v7 provider): the core's note and the shaded "no provider match" rows
            from tests.chain.fakechain import FakeChain

            fakes = [FakeChain(chain_id="cosmoshub-4", family="none", validators=12).start(),
                     FakeChain(family="v7", validators=6, consumers=2).start(),
                     FakeChain(chain_id="consumer-0", family="none", validators=5).start()]
            hub, fake_provider, fake_consumer = fakes
            for data in (
                {"name": "hub (Gaia v28)", "chain_id": "cosmoshub-4", "role": "provider",
                 "rpc": [{"url": hub.url}], "rest": [{"url": hub.url}]},
                {"name": "fake provider", "chain_id": "provider", "role": "provider",
                 "rpc": [{"url": fake_provider.url}], "rest": [{"url": fake_provider.url}]},
                {"name": "fake consumer-0", "chain_id": "consumer-0", "role": "consumer",
                 "provider_profile": "fake provider",
                 "rpc": [{"url": fake_consumer.url}], "rest": [{"url": fake_consumer.url}]},
            ):
                context.profiles.save(ConnectionProfile.parse(data))
            window.show_panel("connections")
            connections.reload_profiles()
            wait(connections.sig_profiles_loaded)
            for name, picture in (("hub (Gaia v28)", "connections-no-provider.png"), ("fake provider", None),
                                  ("fake consumer-0", "connections-consumer-unmatched.png")):
                connections.select(name)
                connections.connect_selected()
                wait(connections.sig_connected)
                if picture:
                    shot(picture)
            for fake in fakes:
                fake.stop()
            window.close()
            context.runtime.shutdown(10_000)
            del app
    finally:
        devnet.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
