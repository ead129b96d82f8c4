"""``chain status|overview`` and ``profiles`` commands, run in-process against local nodes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from ics_workbench.chain.profiles import ProfileStore
from ics_workbench.cli import main
from tests.chain.fakechain import FakeChain

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples" / "chain-registry"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_status_json_reports_status_app_and_capabilities(
    fake_chain: Callable[..., FakeChain], capsys: pytest.CaptureFixture[str]
) -> None:
    chain = fake_chain(family="v7")
    code, out, err = run(capsys, "chain", "status", "--rpc", chain.url, "--rest", chain.url, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["chain_id"], data["role"], data["latest_height"], data["catching_up"]) == (
        "provider",
        "provider",
        1000,
        False,
    )
    assert (data["node_version"], data["app_name"], data["app_version"]) == ("0.38.17", "gaiad", "v25.1.0")
    caps = data["capabilities"]
    assert (caps["has_provider"], caps["ics_major"], caps["keyed_by"]) == (True, 7, "consumer_id")
    assert data["summary"].startswith("ICS provider v7.0.0-")
    assert data["endpoints"][0]["url"] == chain.url and data["endpoints"][0]["lag_blocks"] == 0


def test_status_text(fake_chain: Callable[..., FakeChain], capsys: pytest.CaptureFixture[str]) -> None:
    chain = fake_chain(family="v5", catching_up=True)
    code, out, _ = run(capsys, "chain", "status", "--rpc", chain.url, "--rest", chain.url)
    assert code == 0
    assert "chain id:      provider (provider)" in out
    assert "(CATCHING UP)" in out and "warning: " in out
    assert "ICS provider v5.1.1 (chain-id keyed, legacy proposals)" in out


def test_overview_json_provider_and_consumer(
    fake_chain: Callable[..., FakeChain], capsys: pytest.CaptureFixture[str]
) -> None:
    provider = fake_chain(family="v7", validators=7, consumers=4)
    consumer = fake_chain(chain_id="consumer-0", family="none", validators=3)
    code, out, _ = run(capsys, "chain", "overview", "--rpc", provider.url, "--rest", provider.url, "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data["consumers"]) == 4 and len(data["validators"]) == 7
    assert data["consumers"][0]["owner"] == "cosmos1owner0000"
    code, out, _ = run(
        capsys,
        "chain",
        "overview",
        "--rpc",
        consumer.url,
        "--rest",
        consumer.url,
        "--provider-rpc",
        provider.url,
        "--provider-rest",
        provider.url,
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["chain_id"] == "consumer-0" and len(data["validators"]) == 3
    assert data["consumer"]["consumer_id"] == "0" and data["provider_chain_id"] == "provider"


def test_overview_text_lists_consumers_and_validators(
    fake_chain: Callable[..., FakeChain], capsys: pytest.CaptureFixture[str]
) -> None:
    chain = fake_chain(family="v7", validators=3, consumers=2)
    code, out, _ = run(capsys, "chain", "overview", "--rpc", chain.url, "--rest", chain.url)
    assert code == 0
    assert "consumer chains (2):" in out and "cosmos1owner0001" in out
    assert "bonded validators (3, total power 6000):" in out and "validator-2" in out


def test_profiles_lifecycle_and_capabilities_saved_on_connect(
    fake_chain: Callable[..., FakeChain], capsys: pytest.CaptureFixture[str]
) -> None:
    chain = fake_chain(family="v7")
    code, out, _ = run(
        capsys,
        "profiles",
        "add",
        "--name",
        "local",
        "--chain-id",
        "provider",
        "--role",
        "provider",
        "--rpc",
        chain.url,
        "--rest",
        chain.url,
        "--fee-denom",
        "stake",
        "--gas-prices",
        "0",
    )
    assert (code, out) == (0, "saved profile 'local'\n")
    code, out, _ = run(capsys, "profiles", "list")
    assert out.startswith("local\tprovider\tprovider\t") and "not connected yet" in out
    code, out, _ = run(capsys, "chain", "status", "--profile", "local", "--json")
    assert code == 0 and json.loads(out)["capabilities"]["keyed_by"] == "consumer_id"
    saved = ProfileStore().get("local")
    assert saved.capabilities is not None and saved.capabilities.ics_major == 7
    code, out, _ = run(capsys, "profiles", "show", "local")
    assert "detected:    ICS provider v7" in out
    code, out, _ = run(capsys, "profiles", "show", "local", "--json")
    assert json.loads(out)["fee_denom"] == "stake"
    code, out, _ = run(capsys, "profiles", "remove", "local")
    assert (code, out) == (0, "removed profile 'local'\n")
    code, _, err = run(capsys, "profiles", "show", "local")
    assert (code, err) == (1, "error: no profile named 'local' (known: none saved)\n")


def test_profiles_import(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "profiles", "import", str(EXAMPLES / "stride.json"), "--role", "consumer")
    assert code == 0
    assert out == "imported profile 'Stride': stride-1 (consumer), 1 RPC, 1 REST, fees 0.005ustrd\n"
    assert ProfileStore().get("Stride").account_prefix == "stride"
    code, _, err = run(capsys, "profiles", "import", str(EXAMPLES / "broken-no-chain-id.json"))
    assert code == 2 and err.endswith("chain.json has no 'chain_id'\n")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["chain", "status"], 2, "error: give --profile NAME or at least one --rpc URL"),
        (["chain", "status", "--rpc", "localhost:26657"], 2, "error: invalid URL 'localhost:26657': must start with"),
        (["chain", "status", "--profile", "x", "--rpc", "http://a"], 2, "error: give either --profile or --rpc/--rest"),
        (["chain", "status", "--profile", "nope"], 1, "error: no profile named 'nope'"),
        (
            ["profiles", "add", "--name", "a", "--chain-id", "bad id", "--role", "provider", "--rpc", "http://a"],
            2,
            "error: invalid profile: chain_id: must be 1-49",
        ),
        (
            [
                "profiles",
                "add",
                "--name",
                "a",
                "--chain-id",
                "ok-1",
                "--role",
                "provider",
                "--rpc",
                "http://a",
                "--gas-prices",
                "cheap",
            ],
            2,
            "error: --gas-prices must be a number (got 'cheap')",
        ),
    ],
)
def test_bad_input_gets_one_precise_line(
    capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    got, out, err = run(capsys, *args)
    assert got == code and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_offline_mode_refuses_to_connect_in_one_line() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "ics_workbench", "--offline", "chain", "status", "--rpc", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == "error: offline mode: network name resolution and connections are not allowed\n"
