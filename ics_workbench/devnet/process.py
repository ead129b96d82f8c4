"""A devnet node as a process: its errors, free loopback ports, waiting on it (with its log tail when it dies),
stopping its whole process group, and the CometBFT RPC polling the provider and consumer handles share.

Kept apart from ``node`` (the provider's home, keys and transactions) so ``consumer`` builds on the same
process handling without the provider's setup.
"""

from __future__ import annotations

import abc
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

from ics_workbench.errors import WorkbenchError

T = TypeVar("T")


class DevnetError(WorkbenchError):
    """The devnet could not be created or started, or a command against it failed."""


class DevnetTxError(DevnetError):
    """A transaction was rejected (CheckTx) or failed in its block; the message holds the chain's raw log."""

    def __init__(self, message: str, code: int, raw_log: str, txhash: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.raw_log = raw_log
        self.txhash = txhash


def free_port() -> int:
    """A loopback TCP port that is free right now (the node binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_process_group(holder: list[subprocess.Popen[bytes]], root: Path) -> None:
    """Stop the node's whole process group and delete its directory (also runs at interpreter exit)."""
    for proc in holder:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=10)
    holder.clear()
    shutil.rmtree(root, ignore_errors=True)


def poll(
    probe: Callable[[], T | None],
    what: str,
    timeout: float,
    procs: list[subprocess.Popen[bytes]],
    log_tail: Callable[[], str],
    every: float = 0.2,
) -> T:
    """Poll `probe` until it returns something other than None/False; raise DevnetError with the node's log
    tail if the node process (procs[0]) exited meanwhile or the time ran out."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value is not None and value is not False:
            return value
        if procs and procs[0].poll() is not None:
            raise DevnetError(
                f"the node exited (code {procs[0].returncode}) while waiting for {what}; log tail:\n{log_tail()}"
            )
        if time.monotonic() > deadline:
            raise DevnetError(f"timed out after {timeout:.0f}s waiting for {what}; node log tail:\n{log_tail()}")
        time.sleep(every)


class NodeRpc(abc.ABC):
    """CometBFT RPC polling shared by the provider (:class:`Devnet`) and consumer (``ConsumerNode``) handles;
    they provide ``rpc_url``, an ``http`` client and ``wait_for``."""

    rpc_url: str
    rest_url: str

    @property
    @abc.abstractmethod
    def http(self) -> httpx.Client: ...

    @abc.abstractmethod
    def wait_for(self, probe: Callable[[], T | None], what: str, timeout: float = 60.0) -> T: ...

    def rpc(self, path: str, **params: Any) -> dict[str, Any]:
        """GET a CometBFT RPC method (e.g. `status`, `validators`) and return its `result`."""
        response = self.http.get(f"{self.rpc_url}/{path}", params=params or None)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        if "result" not in body:
            raise DevnetError(f"RPC {self.rpc_url}/{path} returned no result: {body.get('error')}")
        return body["result"]  # type: ignore[no-any-return]

    def height(self) -> int:
        """Latest committed block height (0 while the node is not answering yet)."""
        try:
            return int(self.rpc("status")["sync_info"]["latest_block_height"])
        except (httpx.HTTPError, DevnetError, KeyError, ValueError):
            return 0

    def rest_ready(self) -> bool | None:
        """Whether the REST API answers yet (it comes up a moment after the first block)."""
        try:
            return self.http.get(f"{self.rest_url}/cosmos/base/tendermint/v1beta1/node_info").status_code == 200
        except httpx.HTTPError:
            return None

    def wait_blocks(self, n: int = 1, timeout: float | None = None) -> int:
        """Wait until `n` more blocks are committed; return the new height."""
        target = self.height() + n
        limit = timeout if timeout is not None else 10.0 + 5.0 * n
        return self.wait_for(lambda: (h if (h := self.height()) >= target else None), f"height {target}", limit)
