"""Offline mode opens no network sockets at all (checked in a separate process, since it is irreversible)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60)


def test_offline_mode_refuses_ip_sockets_and_name_resolution() -> None:
    result = run(
        """
        import socket
        from ics_workbench.errors import OfflineError
        from ics_workbench.offline import enable_offline_mode
        enable_offline_mode()
        outcomes = []
        for attempt in (
            lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM),
            lambda: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM),
            lambda: socket.create_connection(("127.0.0.1", 9)),
            lambda: socket.getaddrinfo("localhost", 80),
        ):
            try:
                attempt()
                outcomes.append("opened")
            except OfflineError:
                outcomes.append("refused")
        a, b = socket.socketpair(socket.AF_UNIX)  # local IPC (D-Bus to the keyring) keeps working
        a.close(); b.close()
        print(outcomes)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['refused', 'refused', 'refused', 'refused']"


def test_http_client_in_offline_mode_fails_with_clear_message() -> None:
    result = run(
        """
        from ics_workbench.offline import enable_offline_mode
        from ics_workbench.chain.http import Endpoint, JsonHttp
        from ics_workbench.errors import WorkbenchError
        enable_offline_mode()
        try:
            JsonHttp([Endpoint("http://127.0.0.1:1")], retries=0).get_json("/status")
        except WorkbenchError as error:
            print(type(error).__name__, error)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "offline mode" in result.stdout


def test_cli_offline_flag_refuses_the_network_before_any_connection() -> None:
    """``--offline`` must guard the whole command: a network command then fails with the offline message, not
    with the node's "connection refused" (which is what it says without the flag)."""
    command = [
        sys.executable,
        "-m",
        "ics_workbench",
        "chain",
        "status",
        "--rpc",
        "http://127.0.0.1:9",
        "--timeout",
        "2",
    ]
    offline = subprocess.run([*command[:3], "--offline", *command[3:]], capture_output=True, text=True, timeout=60)
    assert offline.returncode == 1
    assert offline.stderr.strip() == "error: offline mode: network name resolution and connections are not allowed"
    online = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert online.returncode == 1 and "offline mode" not in online.stderr  # the message comes from the flag
