"""What users install: the wheel's metadata, air-gapped installs with no network, the frozen app starting.

The artifacts are built once per session by ``packaging/build.py`` (the same script a release uses) and
installed for real; the air-gapped installs run in a network namespace with no interfaces but loopback.
"""

from __future__ import annotations

import email.parser
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from ics_workbench import __version__

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]


def build(what: str, out: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), what, "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build("bundle", out)
    return out


def without_network(*cmd: str) -> list[str]:
    """Prefix that runs ``cmd`` in a fresh network namespace (root: plain; otherwise a user namespace)."""
    unshare = shutil.which("unshare")
    assert unshare, "util-linux unshare is needed to cut the network for the air-gapped install test"
    for flags in (["-n"], ["-r", "-n"]):
        if subprocess.run([unshare, *flags, "true"], capture_output=True).returncode == 0:
            return [unshare, *flags, "--", *cmd]
    pytest.fail("cannot create a network namespace here, so the offline install cannot be proven")


def install_bundle(artifacts: Path, variant: str, tmp_path: Path) -> Path:
    archive = artifacts / f"ics-workbench-airgap-{variant}-{__version__}.tar.gz"
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path, filter="data")
    bundle = tmp_path / f"ics-workbench-airgap-{variant}-{__version__}"
    prefix = tmp_path / "venv"
    flags = ["--headless"] if variant == "headless" else []
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    env.pop("PIP_INDEX_URL", None)
    result = subprocess.run(
        without_network("bash", str(bundle / "install.sh"), *flags, "--prefix", str(prefix)),
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"ics-workbench {__version__}" in result.stdout
    return prefix


def test_network_namespace_really_has_no_network() -> None:
    probe = "import socket; socket.create_connection(('127.0.0.1', 1), timeout=2)"
    result = subprocess.run(without_network(sys.executable, "-c", probe), capture_output=True, text=True)
    assert result.returncode != 0
    assert "Network is unreachable" in result.stderr or "Connection refused" in result.stderr


def test_wheel_metadata_and_entry_point(artifacts: Path) -> None:
    wheel = next((artifacts / "python").glob("ics_workbench-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = email.parser.Parser().parsestr(zf.read(f"ics_workbench-{__version__}.dist-info/METADATA").decode())
        entry_points = zf.read(f"ics_workbench-{__version__}.dist-info/entry_points.txt").decode()
    assert meta["Name"] == "ics-workbench"
    assert meta["Version"] == __version__
    requires = meta.get_all("Requires-Dist")
    assert "cosmpy==0.12.2" in requires
    assert any(r.startswith("pyside6-essentials==") and 'extra == "gui"' in r for r in map(str.lower, requires))
    assert "ics-workbench = ics_workbench.entry:main" in entry_points
    assert "ics_workbench/cli/__init__.py" in names
    assert not any(n.startswith("tests/") for n in names)
    sdist = next((artifacts / "python").glob("ics_workbench-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        assert any(n.endswith("/pyproject.toml") for n in tar.getnames())


def test_headless_bundle_installs_offline_without_qt(artifacts: Path, tmp_path: Path) -> None:
    prefix = install_bundle(artifacts, "headless", tmp_path)
    no_qt = subprocess.run([prefix / "bin" / "python", "-c", "import PySide6"], capture_output=True, text=True)
    assert "No module named 'PySide6'" in no_qt.stderr
    result = subprocess.run(
        without_network(str(prefix / "bin" / "ics-workbench"), "--offline", "--help"), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # A real headless command on the example proposals the wheel ships: the Hub prop 1012 mistake is caught.
    examples = next(prefix.glob("lib/python3.*/site-packages/ics_workbench/resources/examples/proposals"))
    cli = str(prefix / "bin" / "ics-workbench")
    for name, expected in (("corrected", 0), ("wrong-owner", 1)):
        path = examples / f"hub-1012-stride-opt-in-{name}.gov.json"
        checked = subprocess.run(
            without_network(cli, "--offline", "proposal", "validate", str(path)), capture_output=True, text=True
        )
        assert checked.returncode == expected, (name, checked.stdout, checked.stderr)
    assert "new_owner" in checked.stdout
    # The shipped chain catalogue, and QR images read by zxing-cpp from the bundle's wheels (no system library).
    listed = subprocess.run(without_network(cli, "--offline", "profiles", "catalogue", "--ics"),
                            capture_output=True, text=True)
    assert listed.returncode == 0 and "cosmoshub\tcosmoshub-4" in listed.stdout, listed.stderr
    decoded = subprocess.run(without_network(str(prefix / "bin" / "python"), "-c", (
        "from ics_workbench.signing.qr import split_payload, frame_png, decode_png_frames;"
        "f = split_payload(b'air gap')[0]; assert decode_png_frames([frame_png(f)]) == [f.text()]; print('qr ok')")),
        capture_output=True, text=True)
    assert "qr ok" in decoded.stdout, decoded.stderr
    gui = subprocess.run([prefix / "bin" / "ics-workbench"], capture_output=True, text=True)
    assert gui.returncode == 2
    assert "needs PySide6" in gui.stderr


def test_full_bundle_installs_offline_with_qt(artifacts: Path, tmp_path: Path) -> None:
    prefix = install_bundle(artifacts, "full", tmp_path)
    result = subprocess.run(
        [prefix / "bin" / "python", "-c", "import PySide6.QtWidgets, ics_workbench; print('ok')"],
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_corrupt_bundle_is_refused(artifacts: Path, tmp_path: Path) -> None:
    archive = artifacts / f"ics-workbench-airgap-headless-{__version__}.tar.gz"
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path, filter="data")
    bundle = tmp_path / f"ics-workbench-airgap-headless-{__version__}"
    wheel = next((bundle / "wheelhouse").glob("ics_workbench-*.whl"))
    wheel.write_bytes(wheel.read_bytes()[:-10])
    result = subprocess.run(
        ["bash", str(bundle / "install.sh"), "--headless", "--prefix", str(tmp_path / "venv")],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(tmp_path / "home")},
    )
    assert result.returncode == 1
    assert "checksum mismatch" in result.stderr
    assert not (tmp_path / "venv").exists()


@pytest.fixture(scope="session")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("frozen")
    build("frozen", out)
    return out / "frozen" / "ics-workbench"


def test_frozen_app_runs_headless_commands(frozen_app: Path) -> None:
    result = subprocess.run([frozen_app / "ics-workbench", "--version"], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == f"ics-workbench {__version__}", result.stderr
    assert (frozen_app / "share" / "applications" / "ics-workbench.desktop").exists()
    assert (frozen_app / "share" / "icons" / "hicolor" / "scalable" / "apps" / "ics-workbench.svg").exists()


@pytest.mark.parametrize("platform", ["offscreen", "xcb"])
def test_frozen_app_shows_its_main_window(frozen_app: Path, tmp_path: Path, platform: str) -> None:
    """The frozen GUI starts and logs that its main window was shown (the log line a support request asks for):
    offscreen, and on a real X server (the README test command runs under Xvfb) with the plugins it ships."""
    if platform == "xcb" and not os.environ.get("DISPLAY"):
        pytest.skip("no X display (the README test command provides one through xvfb-run)")
    home = tmp_path / "home"
    env = {**os.environ, "QT_QPA_PLATFORM": platform, "ICS_WORKBENCH_HOME": str(home)}
    process = subprocess.Popen([frozen_app / "ics-workbench"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        shown = False
        while time.monotonic() < deadline and process.poll() is None and not shown:
            shown = any(f"main window shown on platform {platform}" in p.read_text(errors="replace")
                        for p in home.rglob("*.log"))
            time.sleep(0.2)
        assert process.poll() is None, process.communicate()[1].decode()[-2000:]
        assert shown, "the frozen app never logged that its main window was shown"
    finally:
        process.terminate()
        process.wait(timeout=10)
