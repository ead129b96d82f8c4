"""--offline opens 0 sockets even when code calls ``_socket`` directly (the audit hook under the Python guard)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import json, os, sys
    def sockets():
        n = 0
        for fd in os.listdir("/proc/self/fd"):
            try:
                n += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
            except OSError:
                pass
        return n
    from ics_workbench.offline import enable_offline_mode
    import _socket, socket
    original_socket_class = socket.socket  # a library that kept its own reference before the guard
    before = sockets()
    enable_offline_mode()
    import ics_workbench.offline as offline
    offline._enabled = False  # the hook has no switch: flipping module state changes nothing
    attempts = {
        "_socket.socket AF_INET": lambda: _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM),
        "_socket.socket AF_INET6": lambda: _socket.socket(_socket.AF_INET6, _socket.SOCK_DGRAM),
        "_socket.socket AF_PACKET": lambda: _socket.socket(17, _socket.SOCK_RAW),
        "_socket.getaddrinfo": lambda: _socket.getaddrinfo("localhost", 80),
        "_socket.gethostbyname": lambda: _socket.gethostbyname("localhost"),
        "_socket.gethostbyaddr": lambda: _socket.gethostbyaddr("127.0.0.1"),
        "socket.create_connection": lambda: socket.create_connection(("127.0.0.1", 9), timeout=1),
        "C init under the guard": lambda: _socket.socket.__init__(original_socket_class.__new__(original_socket_class),
                                                                 socket.AF_INET),
        "httpx": lambda: __import__("httpx").get("http://127.0.0.1:9", timeout=1),
    }
    refused = {}
    for name, attempt in attempts.items():
        try:
            attempt()
            refused[name] = "ALLOWED"
        except Exception as exc:
            refused[name] = type(exc).__name__ + ": " + str(exc)[:80]
    unix = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)  # the keyring's D-Bus still works
    unix_ok = unix.family == _socket.AF_UNIX
    unix.close()
    print(json.dumps({"new_sockets": sockets() - before, "refused": refused, "unix_ok": unix_ok}))
    """
)


def test_offline_mode_opens_no_socket_even_through_underscore_socket() -> None:
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120, cwd=ROOT,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["new_sockets"] == 0
    assert report["unix_ok"]
    for name, outcome in report["refused"].items():
        assert "offline mode" in outcome, (name, outcome)


def test_cli_offline_command_is_covered_by_the_hook(tmp_path: Path) -> None:
    """The CLI's --offline installs the hook for the whole process (a network command fails offline)."""
    result = subprocess.run([sys.executable, "-m", "ics_workbench", "--offline", "chain", "status", "--rpc",
                             "http://127.0.0.1:9"], capture_output=True, text=True, timeout=120, cwd=ROOT,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "ICS_WORKBENCH_HOME": str(tmp_path)})
    assert result.returncode != 0
    assert "offline mode" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
