"""A live consumer chain node for a LAUNCHED consumer of a devnet, started from the provider's own genesis.

Why: the workbench reads consumer RPCs (`/validators`, `/block`, `/commit`) to compare a consumer's real
validator set with what the provider planned, and that needs a consumer that produces blocks. It does: the
consumer's initial validator set comes from `query provider consumer-genesis`, and validator A (opted in
without a key assignment, so its consumer key is its provider key) holds far more than 2/3 of it, so A's
node alone commits blocks. No relayer runs, so no CCV channel exists; block production does not need one.
"""

from __future__ import annotations

import json
import logging
import subprocess
import tempfile
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

from ics_workbench.devnet.build import CONSUMER_BINARY, ensure_binary
from ics_workbench.devnet.genesis import DENOM, patch_config_toml
from ics_workbench.devnet.keys import ConsensusKey
from ics_workbench.devnet.node import Devnet
from ics_workbench.devnet.process import DevnetError, NodeRpc, free_port, poll, stop_process_group
from ics_workbench.foundation.phases import LAUNCHED, normalize_phase

log = logging.getLogger(__name__)

T = TypeVar("T")


class ConsumerNode(NodeRpc):
    """`interchain-security-cd` validating consumer `consumer_id` of `devnet` with validator A's key.

    After `start()`: `chain_id`, `rpc_url`, `rest_url`, `home`, `pid`; `rpc(path, **params)`, `height()`,
    `wait_blocks(n)`. Stop it with `stop()` or the context manager; it is also stopped at interpreter exit.
    """

    def __init__(self, devnet: Devnet, consumer_id: str, binary: Path | None = None,
                 genesis_from: ConsumerNode | None = None) -> None:
        self.devnet = devnet
        self.consumer_id = consumer_id
        self.binary = binary
        self.genesis_from = genesis_from
        """another running node of the same consumer: this one starts from ITS genesis file (same genesis time,
        so block 1 is the same) with the same validator key, unpeered — a fork (see :meth:`fork`)"""
        self.chain_id = ""
        self.root: Path | None = None
        self.home: Path | None = None
        self.rpc_url = ""
        self.rest_url = ""
        self.timings: dict[str, float] = {}
        self._procs: list[subprocess.Popen[bytes]] = []
        self._finalizer: weakref.finalize[Any, ConsumerNode] | None = None
        self._http = httpx.Client(timeout=10.0)

    def __enter__(self) -> ConsumerNode:
        if self._finalizer is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        return self._procs[0].pid if self._procs else None

    @property
    def running(self) -> bool:
        return bool(self._procs) and self._procs[0].poll() is None

    def start(self, timeout: float = 90.0) -> ConsumerNode:
        if self._finalizer is not None:
            raise DevnetError("this consumer node was already started")
        if self.binary is None:
            self.binary = ensure_binary(name=CONSUMER_BINARY, version=self.devnet.ics_version).binary
        key = self.devnet.validator_a.consensus_key
        if key is None:
            raise DevnetError("validator A has no consensus key")
        self.chain_id = self._launched_chain_id()
        consumer_genesis = self.devnet.query("provider", "consumer-genesis", self.consumer_id)
        self.root = Path(tempfile.mkdtemp(prefix=f"ics-consumer-{self.chain_id}-"))
        self.home = self.root / "home"
        self._finalizer = weakref.finalize(self, stop_process_group, self._procs, self.root)
        try:
            began = time.monotonic()
            self._init_home(consumer_genesis, key)
            self._launch(timeout)
            self.timings["start_seconds"] = time.monotonic() - began
        except BaseException:
            self.stop()
            raise
        return self

    def _launched_chain_id(self) -> str:
        """The consumer's chain id, after checking the provider launched it (v4/v5: it is the id itself)."""
        if not self.devnet.ics.permissionless:
            running = self.devnet.query("provider", "list-consumer-chains").get("chains") or []
            if self.consumer_id not in {c.get("chain_id") for c in running}:
                raise DevnetError(f"consumer {self.consumer_id} is not running on the provider: it has no genesis yet")
            return self.consumer_id
        chain = self.devnet.query("provider", "consumer-chain", self.consumer_id)
        if normalize_phase(chain["phase"]) != LAUNCHED:
            raise DevnetError(f"consumer {self.consumer_id} is {chain['phase']}, not LAUNCHED: it has no genesis yet")
        return str(chain["chain_id"])

    def stop(self) -> None:
        self._http.close()
        if self._finalizer is not None:
            self._finalizer()

    def _cli(self, *args: str) -> None:
        out = subprocess.run([str(self.binary), *args], capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise DevnetError(f"`interchain-security-cd {args[0]}` failed: {(out.stderr or out.stdout).strip()}")

    def fork(self) -> ConsumerNode:
        """A second node of this consumer from the same genesis and with the same validator key (A, which holds
        more than 2/3 of the consumer's power), not peered with this one: both commit their own blocks from
        height 2 on, each signed by A — an equivocation a light client sees as a light-client attack."""
        if self.home is None:
            raise DevnetError("start the consumer node before forking it")
        return ConsumerNode(self.devnet, self.consumer_id, binary=self.binary, genesis_from=self)

    def _init_home(self, consumer_genesis: dict[str, Any], key: ConsensusKey) -> None:
        self._cli("init", "consumer-node-a", "--chain-id", self.chain_id, "--home", str(self.home))
        config = Path(str(self.home)) / "config"
        (config / "priv_validator_key.json").write_text(key.priv_validator_key_json())
        genesis_path = config / "genesis.json"
        if self.genesis_from is not None and self.genesis_from.home is not None:
            genesis_path.write_text((self.genesis_from.home / "config" / "genesis.json").read_text())
        else:
            genesis = json.loads(genesis_path.read_text())
            genesis["app_state"]["ccvconsumer"] = consumer_genesis
            genesis_path.write_text(json.dumps(genesis, indent=1))
        config_toml = config / "config.toml"
        config_toml.write_text(patch_config_toml(config_toml.read_text(), self.devnet.settings))

    @property
    def log_path(self) -> Path:
        if self.root is None:
            raise DevnetError("the consumer node has not been started")
        return self.root / "node.log"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except (OSError, DevnetError):
            return "(no node log)"

    def _launch(self, timeout: float) -> None:
        rpc, api, grpc, p2p = free_port(), free_port(), free_port(), free_port()
        self.rpc_url = f"http://127.0.0.1:{rpc}"
        self.rest_url = f"http://127.0.0.1:{api}"
        args = [
            str(self.binary), "start", "--home", str(self.home),
            "--rpc.laddr", f"tcp://127.0.0.1:{rpc}", "--p2p.laddr", f"tcp://127.0.0.1:{p2p}",
            "--grpc.address", f"127.0.0.1:{grpc}", "--api.enable", "--api.address", f"tcp://127.0.0.1:{api}",
            "--rpc.pprof_laddr", "", "--minimum-gas-prices", f"0{DENOM}", "--log_no_color",
        ]  # fmt: skip
        with open(self.log_path, "ab") as log_file:
            proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._procs.append(proc)
        launched = time.monotonic()
        self.wait_for(lambda: self.height() >= 1 or None, f"the first block of {self.chain_id}", timeout)
        self.timings["start_to_first_block_seconds"] = time.monotonic() - launched
        self.wait_for(self.rest_ready, f"the REST API of {self.chain_id}", timeout)
        log.info("consumer %s (%s) up: rpc %s rest %s", self.consumer_id, self.chain_id, self.rpc_url, self.rest_url)

    @property
    def http(self) -> httpx.Client:
        return self._http

    def wait_for(self, probe: Callable[[], T | None], what: str, timeout: float = 60.0) -> T:
        return poll(probe, what, timeout, self._procs, self.log_tail)
