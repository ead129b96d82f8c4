"""User files: cross-process locking around read-modify-write (GUI and CLI together lose no entry), stale temp
files from a killed writer removed on start, files the app writes are 0600."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from ics_workbench.fileio import locked, remove_stale_temp_files, write_json_atomic

ROOT = Path(__file__).resolve().parents[2]

ADDER = textwrap.dedent(
    """
    import sys
    from ics_workbench.signing.keystore import KeyStore
    from ics_workbench.chain.profiles import ConnectionProfile, ProfileStore
    who, count = sys.argv[1], int(sys.argv[2])
    store, profiles = KeyStore(), ProfileStore()
    for i in range(count):
        store.add_watch(f"{who}-{i}", "cosmos1rvuvwfdfwlte5730tk99xjrr7h4nhv8d93emm3")
        profiles.save(ConnectionProfile.parse({"name": f"{who}-{i}", "chain_id": "c-1", "role": "provider",
                                               "rpc": [{"url": "http://127.0.0.1:1"}], "account_prefix": "cosmos",
                                               "fee_denom": "stake", "gas_prices": "0"}))
    """
)


def test_concurrent_processes_lose_no_key_or_profile(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), ICS_WORKBENCH_HOME=str(tmp_path / "home"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    procs = [subprocess.Popen([sys.executable, "-c", ADDER, who, "15"], env=env, cwd=ROOT, stderr=subprocess.PIPE)
             for who in ("gui", "cli", "other")]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read().decode() if proc.stderr else ""
    check = subprocess.run([sys.executable, "-c", textwrap.dedent(
        """
        from ics_workbench.signing.keystore import KeyStore
        from ics_workbench.chain.profiles import ProfileStore
        print(len(KeyStore().list()), len(ProfileStore().list()))
        """)], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert check.stdout.split() == ["45", "45"], check.stderr


def test_lock_is_exclusive_across_holders(tmp_path: Path) -> None:
    target = tmp_path / "keys.json"
    with locked(target):
        code = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
            from ics_workbench.fileio import locked
            from ics_workbench.errors import WorkbenchError
            try:
                with locked({str(target)!r}, timeout=0.3):
                    print("GOT IT")
            except WorkbenchError as exc:
                print("REFUSED", exc)
            """)], env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=60)
    assert code.stdout.startswith("REFUSED") and "lock: another ics-workbench process" in code.stdout


def test_stale_temp_files_of_a_killed_writer_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / ".keys.json.ab12cd34.tmp"
    fresh = tmp_path / "sub" / ".profiles.json.zz99yy88.tmp"
    unrelated = tmp_path / ".notes.tmp"
    fresh.parent.mkdir()
    for path in (stale, fresh, unrelated):
        path.write_text("x")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(unrelated, (old, old))
    assert remove_stale_temp_files([tmp_path]) == [stale]
    assert fresh.exists() and unrelated.exists()  # a write in progress elsewhere is left alone


def test_written_files_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    old = os.umask(0o022)
    try:
        write_json_atomic(path, {"a": 1})
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
