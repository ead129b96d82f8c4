"""Keys in a real Secret Service (gnome-keyring in a private D-Bus session), created through the real CLI.

The checks live in ``secret_service_checks.py`` and run inside ``scripts/with-secret-service.sh``; this test
starts that session, so a plain ``pytest`` run exercises the real keyring (the README test command installs
the system packages it needs, and their absence is a failure, not a skip).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.keyring_service

ROOT = Path(__file__).resolve().parents[2]
WRAPPER = ROOT / "scripts" / "with-secret-service.sh"
CHECKS = Path(__file__).with_name("secret_service_checks.py")


def test_real_secret_service_via_wrapper() -> None:
    missing = [t for t in ("dbus-run-session", "gnome-keyring-daemon", "secret-tool") if not shutil.which(t)]
    if missing:
        pytest.fail(f"system packages missing ({', '.join(missing)}): run scripts/install-system-deps.sh")
    result = subprocess.run(
        [str(WRAPPER), sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(CHECKS.relative_to(ROOT))],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 passed" in result.stdout
