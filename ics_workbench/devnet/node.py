"""One running local ICS provider chain: a fresh home, free loopback ports, throwaway keys, always cleaned up.

The node is the real `interchain-security-pd` binary in its own process group, so stopping it also stops
anything it spawned. Cleanup runs from `stop()`, the context manager, a `weakref.finalize` (which also fires
at interpreter exit) — whichever comes first — so a failing test or a Ctrl-C never leaves a node or its
files behind.
"""

from __future__ import annotations

import json
import logging
import subprocess
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ics_workbench.addresses import convert_address, module_address
from ics_workbench.devnet.build import ICS_VERSION, check_version, ensure_binary
from ics_workbench.devnet.genesis import DENOM, ChainSettings, patch_config_toml, patch_genesis
from ics_workbench.devnet.keys import (
    ACCOUNT_PREFIX,
    VALOPER_PREFIX,
    ConsensusKey,
    DevnetAccount,
    new_mnemonic,
)
from ics_workbench.devnet.process import (
    DevnetError as DevnetError,
    DevnetTxError as DevnetTxError,
    NodeRpc,
    free_port,
    poll,
    stop_process_group,
)
from ics_workbench.foundation.ics_versions import IcsVersion

if TYPE_CHECKING:
    from ics_workbench.devnet.seed import SeedState

log = logging.getLogger(__name__)

T = TypeVar("T")

# Key names in the devnet's test keyring.
VALIDATOR_A = "val-a"
VALIDATOR_B = "val-b"
VALIDATOR_C = "val-c"
USER = "user"

_ACCOUNT_BALANCE = 1_000_000_000_000_000
_SELF_DELEGATION = {VALIDATOR_A: 100_000_000_000, VALIDATOR_B: 1_000_000_000, VALIDATOR_C: 500_000_000}
DEFAULT_GAS = 2_000_000
_WRONG_SEQUENCE = "account sequence mismatch"
_CODE_WRONG_SEQUENCE = 32  # the SDK's ErrWrongSequence


def _last_json(text: str) -> Any:
    """The JSON document in a CLI's stdout (some commands print a note line before it)."""
    text = text.strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        for line in reversed(text.splitlines()):
            line = line.strip()
            if line.startswith(("{", "[")):
                return json.loads(line)
        raise


class Devnet(NodeRpc):
    """A local ICS provider chain with validators A (>2/3 power, runs the node), B (~1%, genesis only),
    optionally C (~0.5%, genesis only) and a funded non-validator account ``user``.

    Use as a context manager, or call `start()` / `stop()`. After `start()`: `rpc_url`, `rest_url`,
    `grpc_address`, `chain_id`, `home`, `binary`, `accounts` (name -> DevnetAccount with mnemonic, address,
    valoper, valcons and consensus key) are set. `seed()` creates the consumers (see `ics_workbench.devnet.seed`).
    """

    def __init__(
        self,
        binary: Path | None = None,
        settings: ChainSettings | None = None,
        with_validator_c: bool = False,
        log_level: str = "info",
        ics_version: str = ICS_VERSION,
    ) -> None:
        self.ics_version = check_version(ics_version)
        self.ics = IcsVersion.parse(ics_version)
        """what the devnet's seeding and tests branch on (legacy proposals on v4/v5, consumer ids on v6+)"""
        self.binary = binary
        # Legacy seeding opts A and B in while the addition proposal is still being voted on (v4/v5 accept an
        # opt-in only for a proposed chain): that takes a few CLI round trips, so the vote runs longer there.
        self.settings = settings or (ChainSettings() if self.ics.permissionless else ChainSettings(voting_period="15s"))
        self.chain_id = self.settings.chain_id
        self.with_validator_c = with_validator_c
        self.log_level = log_level
        self.accounts: dict[str, DevnetAccount] = {}
        self.timings: dict[str, float] = {}
        self.seeded: SeedState | None = None
        self.root: Path | None = None
        self.home: Path | None = None
        self.rpc_url = ""
        self.rest_url = ""
        self.grpc_address = ""
        self.p2p_port = 0
        self._procs: list[subprocess.Popen[bytes]] = []
        self._finalizer: weakref.finalize[Any, Devnet] | None = None
        self._tx_lock = threading.Lock()
        self._http: httpx.Client | None = None

    # ----- lifecycle -------------------------------------------------------------------------------------

    def __enter__(self) -> Devnet:
        if self._finalizer is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return bool(self._procs) and self._procs[0].poll() is None

    @property
    def pid(self) -> int | None:
        return self._procs[0].pid if self._procs else None

    @property
    def log_path(self) -> Path:
        return self._root() / "node.log"

    def start(self, timeout: float = 120.0) -> Devnet:
        """Create genesis in a fresh temp home, start the node and return once it has produced a block."""
        if self._finalizer is not None:
            raise DevnetError("this devnet was already started; create a new Devnet for a fresh chain")
        if self.binary is None:
            self.binary = ensure_binary(version=self.ics_version).binary
        self.root = Path(tempfile.mkdtemp(prefix="ics-devnet-"))
        self.home = self.root / "home"
        self._finalizer = weakref.finalize(self, stop_process_group, self._procs, self.root)
        try:
            began = time.monotonic()
            self._init_home()
            self.timings["init_seconds"] = time.monotonic() - began
            self._launch(timeout)
            if self._late_validators:
                self._create_late_validators()
            self.timings["start_seconds"] = time.monotonic() - began
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the node (process group) and remove its home; safe to call more than once."""
        if self._http is not None:
            self._http.close()
            self._http = None
        if self._finalizer is not None:
            self._finalizer()

    def _root(self) -> Path:
        if self.root is None:
            raise DevnetError("the devnet has not been started")
        return self.root

    # ----- genesis ---------------------------------------------------------------------------------------

    def _home_args(self) -> list[str]:
        return ["--home", str(self.home), "--keyring-backend", "test"]

    def _add_key(self, name: str) -> tuple[str, str]:
        mnemonic = new_mnemonic()
        out = self.cli("keys", "add", name, "--recover", "--output", "json", *self._home_args(), stdin=mnemonic)
        return _last_json(out.stdout)["address"], mnemonic

    def _init_home(self) -> None:
        root = self._root()
        self.cli("init", "node-a", "--chain-id", self.chain_id, "--home", str(self.home))
        config = root / "home" / "config"
        key_a = ConsensusKey.generate()
        (config / "priv_validator_key.json").write_text(key_a.priv_validator_key_json())
        consensus = {VALIDATOR_A: key_a, VALIDATOR_B: ConsensusKey.generate()}
        if self.with_validator_c:
            consensus[VALIDATOR_C] = ConsensusKey.generate()
        for name in [*consensus, USER]:
            address, mnemonic = self._add_key(name)
            key = consensus.get(name)
            self.accounts[name] = DevnetAccount(
                name=name,
                address=address,
                mnemonic=mnemonic,
                valoper=convert_address(address, VALOPER_PREFIX) if key else None,
                consensus_key=key,
                self_delegation=_SELF_DELEGATION.get(name, 0),
            )
        self._fund_genesis_accounts()
        genesis_path = config / "genesis.json"
        genesis = patch_genesis(json.loads(genesis_path.read_text()), self.settings)
        genesis_path.write_text(json.dumps(genesis, indent=1))
        gentx_dir = root / "gentx"
        gentx_dir.mkdir()
        for name, key in consensus.items():
            if name != VALIDATOR_A and self._late_validators:
                continue
            self.cli(
                "genesis", "gentx", name, f"{_SELF_DELEGATION[name]}{DENOM}",
                "--chain-id", self.chain_id, "--moniker", f"validator-{name[-1]}",
                "--pubkey", key.pubkey_json(), "--output-document", str(gentx_dir / f"{name}.json"),
                *self._home_args(),
            )  # fmt: skip
        self.cli("genesis", "collect-gentxs", "--gentx-dir", str(gentx_dir), "--home", str(self.home))
        config_toml = config / "config.toml"
        config_toml.write_text(patch_config_toml(config_toml.read_text(), self.settings))

    @property
    def _late_validators(self) -> bool:
        """CometBFT 0.38 before 0.38.17 (ICS v5, v6) block-syncs whenever genesis has a validator other than the
        node's own, and with no peer to sync from it never starts consensus. There, B (and C) join with
        MsgCreateValidator right after the first block instead of a gentx: same keys and stake, and still
        never signing (the large signed_blocks_window keeps them unjailed)."""
        return self.ics.major in (5, 6)

    def _create_late_validators(self) -> None:
        for account in self.validators:
            if account.name == VALIDATOR_A or account.consensus_key is None:
                continue
            body = {
                "pubkey": json.loads(account.consensus_key.pubkey_json()),
                "amount": f"{account.self_delegation}{DENOM}",
                "moniker": f"validator-{account.name[-1]}",
                "commission-rate": "0.1",
                "commission-max-rate": "0.2",
                "commission-max-change-rate": "0.01",
                "min-self-delegation": "1",
            }
            path = self.write_json(f"validator-{account.name}.json", body)
            self.tx("staking", "create-validator", str(path), sender=account.name)
        self.wait_blocks(1)

    def _fund_genesis_accounts(self) -> None:
        if self.ics.major < 7:  # before v7 the genesis command has no bulk-add-genesis-account
            for account in self.accounts.values():
                self.cli("genesis", "add-genesis-account", account.address, f"{_ACCOUNT_BALANCE}{DENOM}",
                         "--home", str(self.home))  # fmt: skip
            return
        balances = [
            {"address": account.address, "coins": [{"denom": DENOM, "amount": str(_ACCOUNT_BALANCE)}]}
            for account in self.accounts.values()
        ]
        self.cli("genesis", "bulk-add-genesis-account", str(self.write_json("balances.json", balances)),
                 "--home", str(self.home))  # fmt: skip

    # ----- process ---------------------------------------------------------------------------------------

    def _launch(self, timeout: float) -> None:
        rpc, api, grpc, self.p2p_port = free_port(), free_port(), free_port(), free_port()
        self.rpc_url = f"http://127.0.0.1:{rpc}"
        self.rest_url = f"http://127.0.0.1:{api}"
        self.grpc_address = f"127.0.0.1:{grpc}"
        args = [
            str(self.binary), "start", "--home", str(self.home),
            "--rpc.laddr", f"tcp://127.0.0.1:{rpc}", "--p2p.laddr", f"tcp://127.0.0.1:{self.p2p_port}",
            "--grpc.address", self.grpc_address, "--api.enable", "--api.address", f"tcp://127.0.0.1:{api}",
            "--rpc.pprof_laddr", "", "--minimum-gas-prices", f"0{DENOM}",
            "--log_level", self.log_level, "--log_no_color",
        ]  # fmt: skip
        with open(self.log_path, "ab") as log_file:
            proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._procs.append(proc)
        launched = time.monotonic()
        self.wait_for(lambda: self.height() >= 1 or None, "the first block", timeout)
        self.timings["start_to_first_block_seconds"] = time.monotonic() - launched
        self.wait_for(self.rest_ready, "the REST API", timeout)
        log.info("devnet %s up: rpc %s rest %s", self.chain_id, self.rpc_url, self.rest_url)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except (OSError, DevnetError):
            return "(no node log)"

    # ----- accessors -------------------------------------------------------------------------------------

    @property
    def validator_a(self) -> DevnetAccount:
        return self.accounts[VALIDATOR_A]

    @property
    def validator_b(self) -> DevnetAccount:
        return self.accounts[VALIDATOR_B]

    @property
    def validator_c(self) -> DevnetAccount | None:
        return self.accounts.get(VALIDATOR_C)

    @property
    def user(self) -> DevnetAccount:
        return self.accounts[USER]

    @property
    def validators(self) -> list[DevnetAccount]:
        return [a for a in self.accounts.values() if a.is_validator]

    @property
    def gov_address(self) -> str:
        return module_address("gov", ACCOUNT_PREFIX)

    @property
    def denom(self) -> str:
        return DENOM

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(timeout=10.0)
        return self._http

    # ----- commands --------------------------------------------------------------------------------------

    def cli(self, *args: str, stdin: str | None = None, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
        """Run the provider binary; raise DevnetError with its output if it exits non-zero."""
        if self.binary is None:
            raise DevnetError("no provider binary")
        try:
            out = subprocess.run(
                [str(self.binary), *args], input=stdin, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired as exc:
            raise DevnetError(f"`{args[0]} {args[1] if len(args) > 1 else ''}` timed out after {timeout}s") from exc
        if out.returncode != 0:
            shown = " ".join(a for a in args if len(a) < 200)
            raise DevnetError(f"`interchain-security-pd {shown}` failed (exit {out.returncode}): "
                              f"{(out.stderr or out.stdout).strip()}")  # fmt: skip
        return out

    def query(self, *args: str) -> Any:
        """`interchain-security-pd query <args> --output json` against this node, parsed."""
        out = self.cli("query", *args, "--node", self.node_address, "--output", "json")
        return _last_json(out.stdout)

    @property
    def node_address(self) -> str:
        return self.rpc_url.replace("http://", "tcp://")

    def tx(self, *args: str, sender: str, gas: int | str = DEFAULT_GAS, timeout: float = 30.0) -> dict[str, Any]:
        """Broadcast `tx <args>` signed by key `sender`, wait until it is in a block and succeeded.

        Returns the `query tx` JSON (txhash, height, code, events, ...). Raises DevnetTxError with the raw log
        when CheckTx rejects it or the delivered tx has a non-zero code. Serialised per devnet, because the
        CLI reads the account sequence from the last committed block.
        """
        with self._tx_lock:
            sent = self._broadcast(args, sender, gas)
            txhash = sent.get("txhash", "")
            if int(sent.get("code", 0)) != 0:
                raise DevnetTxError(
                    f"tx {' '.join(args[:2])} rejected (code {sent['code']}): {sent.get('raw_log', '')}",
                    int(sent["code"]), str(sent.get("raw_log", "")), txhash,
                )  # fmt: skip
            self.wait_for(lambda: self._tx_included(txhash), f"tx {txhash} to be included", timeout)
            result: dict[str, Any] = self.query("tx", txhash)
        if int(result.get("code", 0)) != 0:
            raise DevnetTxError(
                f"tx {' '.join(args[:2])} failed in block {result.get('height')} (code {result['code']}): "
                f"{result.get('raw_log', '')}",
                int(result["code"]), str(result.get("raw_log", "")), txhash,
            )  # fmt: skip
        return result

    def _broadcast(self, args: tuple[str, ...], sender: str, gas: int | str) -> dict[str, Any]:
        """One `tx ... --broadcast-mode sync`, sent again (up to 3 more times, a block apart) when the node
        refused it at CheckTx for a stale sequence: the CLI reads the sequence from the latest committed state,
        which can trail the block that just included the sender's previous tx. Such a refusal never reached a
        block, so sending again cannot apply the tx twice."""
        retries = 3
        while True:
            try:
                out = self.cli(
                    "tx", *args, "--from", sender, "--chain-id", self.chain_id, *self._home_args(),
                    "--node", self.node_address, "--gas", str(gas), "--fees", f"0{DENOM}",
                    "--broadcast-mode", "sync", "--yes", "--output", "json",
                )  # fmt: skip
                sent: dict[str, Any] = _last_json(out.stdout)
                stale = int(sent.get("code", 0)) == _CODE_WRONG_SEQUENCE
            except DevnetError as exc:
                if _WRONG_SEQUENCE not in str(exc) or retries == 0:
                    raise
                stale, sent = True, {}
            if not stale or retries == 0:
                return sent
            log.info("tx %s from %s: stale sequence at CheckTx, sending again", " ".join(args[:2]), sender)
            retries -= 1
            time.sleep(1.0)

    def _tx_included(self, txhash: str) -> bool | None:
        try:
            response = self.http.get(f"{self.rpc_url}/tx", params={"hash": f"0x{txhash}"})
        except httpx.HTTPError:
            return None
        return True if response.status_code == 200 and "result" in response.json() else None

    def write_json(self, name: str, data: Any) -> Path:
        """Write a JSON input file for a CLI command into the devnet's scratch dir (removed with the devnet)."""
        files = self._root() / "files"
        files.mkdir(exist_ok=True)
        path = files / name
        path.write_text(json.dumps(data, indent=1))
        return path

    # ----- waiting ---------------------------------------------------------------------------------------

    def wait_for(self, probe: Callable[[], T | None], what: str, timeout: float = 60.0, every: float = 0.2) -> T:
        """Poll `probe` until it returns something other than None/False; fail with the node log if the node
        died or the time ran out."""
        return poll(probe, what, timeout, self._procs, self.log_tail, every)

    # ----- seeding ---------------------------------------------------------------------------------------

    def seed(self) -> SeedState:
        """Create the consumers the workbench shows (see `ics_workbench.devnet.seed.seed`)."""
        from ics_workbench.devnet.seed import seed

        return seed(self)

    def summary(self, show_mnemonics: bool = False) -> dict[str, Any]:
        """Endpoints and accounts as plain data (mnemonics only when asked)."""
        accounts = []
        for account in self.accounts.values():
            entry: dict[str, Any] = {"name": account.name, "address": account.address}
            if account.valoper:
                entry.update(valoper=account.valoper, valcons=account.valcons)
            if show_mnemonics:
                entry["mnemonic"] = account.mnemonic
            accounts.append(entry)
        data: dict[str, Any] = {
            "chain_id": self.chain_id,
            "rpc": self.rpc_url,
            "rest": self.rest_url,
            "grpc": self.grpc_address,
            "home": str(self.home),
            "binary": str(self.binary),
            "ics_version": self.ics_version,
            "accounts": accounts,
        }
        if self.seeded is not None:
            data["consumers"] = [c.as_dict() for c in self.seeded.consumers]
        return data

