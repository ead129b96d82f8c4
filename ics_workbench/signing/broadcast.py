"""Broadcast a signed transaction over REST, track it until it is in a block, and never lose it.

A signed transaction is the product of a slow, careful (possibly air-gapped) ceremony. If the broadcast fails
for any reason - node unreachable, CheckTx rejection, not included before the timeout - the signed bytes are
kept under ``data_dir()/signed/`` (atomic write) and the error says where, so the user can broadcast again
instead of repeating the ceremony.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ics_workbench import paths
from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.errors import CancelledError, EndpointError, WorkbenchError
from ics_workbench.fileio import write_json_atomic
from ics_workbench.tasks import NO_JOB, Job

log = logging.getLogger(__name__)

_SECP256K1_PUBKEY = "/cosmos.crypto.secp256k1.PubKey"


@dataclass(frozen=True)
class AccountInfo:
    """Signer data the chain knows: what SIGN_MODE_* bytes must commit to."""

    address: str
    account_number: int
    sequence: int
    pubkey: str | None  # base64 compressed secp256k1 key, None until the account has signed once
    pubkey_type: str | None


@dataclass(frozen=True)
class TxResult:
    """Outcome of a transaction: CheckTx-only (``height == 0``) or included in a block."""

    txhash: str
    code: int
    codespace: str
    raw_log: str
    height: int
    gas_used: int
    gas_wanted: int
    result_known: bool = True
    """False when inclusion was detected from the account sequence (the node keeps no tx index): the tx is in a
    block, but whether it succeeded is unknown here"""
    events: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = field(default=(), compare=False, repr=False)
    """(type, ((key, value), ...)) of the included tx, as the node reported them (untrusted text)"""

    @property
    def ok(self) -> bool:
        return self.result_known and self.code == 0

    def summary(self) -> str:
        if not self.result_known:
            return (f"tx {self.txhash}: included in a block (the account sequence moved past it; this node keeps no "
                    "tx index, so its result code is unknown here - look it up on an indexing node or explorer)")
        status = "success" if self.ok else f"FAILED code {self.code} ({self.codespace or 'no codespace'})"
        text = f"tx {self.txhash}: {status}, height {self.height}, gas used {self.gas_used}/{self.gas_wanted}"
        return text + (f", log: {self.raw_log}" if self.raw_log and not self.ok else "")


class BroadcastError(WorkbenchError):
    """The transaction was not (successfully) included; ``saved_to`` holds the signed tx kept on disk."""

    def __init__(self, message: str, saved_to: Path, result: TxResult | None = None) -> None:
        self.saved_to = saved_to
        self.result = result
        super().__init__(f"{message}. The signed transaction is kept in {saved_to}; broadcast it again with "
                         f"`ics-workbench tx broadcast {saved_to} --rest URL`")


def tx_hash(tx_bytes: bytes) -> str:
    """CometBFT's transaction hash: upper-case hex SHA-256 of the TxRaw bytes."""
    return hashlib.sha256(tx_bytes).hexdigest().upper()


def _find_base_account(account: dict[str, Any]) -> dict[str, Any]:
    """BaseAccount fields sit at the top, or nested in vesting/module accounts."""
    if "account_number" in account:
        return account
    for key in ("base_account", "base_vesting_account"):
        inner = account.get(key)
        if isinstance(inner, dict):
            return _find_base_account(inner)
    raise EndpointError("", "shape", f"account of type {account.get('@type')!r} has no account_number")


MAX_EVENTS = 1_000
MAX_ATTRIBUTE = 512


def _events(raw: Any) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The tx events, read with limits (count, value length); anything not shaped like events is skipped."""
    if not isinstance(raw, list):
        return ()
    events = []
    for event in raw[:MAX_EVENTS]:
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            continue
        attributes = tuple((str(a.get("key", ""))[:MAX_ATTRIBUTE], str(a.get("value", ""))[:MAX_ATTRIBUTE])
                           for a in event.get("attributes") or [] if isinstance(a, dict))
        events.append((event["type"][:MAX_ATTRIBUTE], attributes))
    return tuple(events)


def parse_tx_response(data: dict[str, Any], url: str = "") -> TxResult:
    response = data.get("tx_response", data)
    try:
        return TxResult(
            txhash=str(response["txhash"]).upper(),
            code=int(response.get("code", 0)),
            codespace=str(response.get("codespace", "")),
            raw_log=str(response.get("raw_log", "")),
            height=int(response.get("height", 0)),
            gas_used=int(response.get("gas_used", 0)),
            gas_wanted=int(response.get("gas_wanted", 0)),
            events=_events(response.get("events")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise EndpointError(url, "shape", f"tx_response is malformed ({type(exc).__name__}: {exc})") from None


def save_signed(document: dict[str, Any], txhash: str, reason: str) -> Path:
    """Keep a signed transaction (as its offline-signing document) so a failed broadcast loses nothing."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = paths.data_dir() / "signed" / f"{stamp}-{txhash[:16]}.json"
    kept = dict(document)
    kept["kept_because"] = reason
    write_json_atomic(path, kept)
    log.warning("signed tx %s kept in %s (%s)", txhash, path, reason)
    return path


class Broadcaster:
    """REST client for the account query, BROADCAST_MODE_SYNC and inclusion tracking."""

    def __init__(self, rest_url: str, *, timeout: float = 10.0, poll_interval: float = 1.0,
                 inclusion_timeout: float = 60.0) -> None:
        self.rest_url = rest_url.rstrip("/")
        self.poll_interval = poll_interval
        self.inclusion_timeout = inclusion_timeout
        self._http = JsonHttp([Endpoint(self.rest_url)], timeout=timeout, retries=1)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Broadcaster:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def chain_id(self, *, job: Job = NO_JOB) -> str:
        """The node's chain id, so a file signed for another chain is refused before broadcasting."""
        data = self._http.get_json("/cosmos/base/tendermint/v1beta1/node_info", job=job)
        network = (data.get("default_node_info") or {}).get("network") if isinstance(data, dict) else None
        if not isinstance(network, str) or not network:
            raise EndpointError(f"{self.rest_url}/cosmos/base/tendermint/v1beta1/node_info", "shape",
                                "answer has no field 'default_node_info.network'")
        return network

    def account(self, address: str, *, job: Job = NO_JOB) -> AccountInfo:
        try:
            data = self._http.get_json(f"/cosmos/auth/v1beta1/accounts/{address}", job=job)
        except EndpointError as error:
            if error.status == 404:
                raise WorkbenchError(
                    f"account {address} does not exist on the chain at {self.rest_url} yet (an account appears "
                    "when it first receives tokens)"
                ) from None
            raise
        url = f"{self.rest_url}/cosmos/auth/v1beta1/accounts/{address}"
        if not isinstance(data, dict) or not isinstance(data.get("account"), dict):
            raise EndpointError(url, "shape", "answer has no field 'account'")
        base = _find_base_account(data["account"])
        pub = base.get("pub_key") or None
        try:
            return AccountInfo(
                address=str(base.get("address", address)),
                account_number=int(base["account_number"]),
                sequence=int(base.get("sequence", 0)),
                pubkey=pub.get("key") if isinstance(pub, dict) else None,
                pubkey_type=pub.get("@type") if isinstance(pub, dict) else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise EndpointError(url, "shape", f"account is malformed ({type(exc).__name__}: {exc})") from None

    def _post_sync(self, tx_bytes: bytes) -> TxResult:
        """Sent at most once (JsonHttp's one-shot POST): a retried broadcast could land twice."""
        path = "/cosmos/tx/v1beta1/txs"
        body = {"tx_bytes": base64.b64encode(tx_bytes).decode(), "mode": "BROADCAST_MODE_SYNC"}
        answer = self._http.post(path, body)
        if not isinstance(answer.data, dict) or "tx_response" not in answer.data:
            raise EndpointError(answer.url, "shape", f"answer has no field 'tx_response': {str(answer.data)[:200]}")
        return parse_tx_response(answer.data, answer.url)

    def _lookup(self, txhash: str, job: Job) -> TxResult | None:
        """The indexed result, None while not (yet) found; raises EndpointError when the node cannot say
        (e.g. HTTP 500 "transaction indexing is disabled", common on public nodes)."""
        try:
            data = self._http.get_json(f"/cosmos/tx/v1beta1/txs/{txhash}", job=job)
        except EndpointError as error:
            if error.status in (400, 404) or error.kind in ("unreachable", "timeout"):
                return None  # not indexed yet (or a hiccup): keep polling until the deadline
            raise
        return parse_tx_response(data)

    def _included_by_sequence(self, txhash: str, signer: tuple[str, int] | None, job: Job) -> TxResult | None:
        """Without a tx index: the tx is in a block once the signer's account sequence has moved past the
        sequence it was signed with (CheckTx accepted it, so nothing else can have used that sequence... except
        a competing tx, which is why the result is reported as unknown)."""
        if signer is None:
            return None
        address, sequence = signer
        try:
            account = self.account(address, job=job)
        except WorkbenchError as error:
            log.info("sequence check of %s failed: %s", address, error)
            return None
        if account.sequence > sequence:
            return TxResult(txhash, -1, "", "", 0, 0, 0, result_known=False)
        return None

    def broadcast(self, tx_bytes: bytes, document: dict[str, Any], *, job: Job = NO_JOB) -> TxResult:
        """Broadcast (sync), wait for inclusion, return the included result.

        ``document`` (the signed offline-signing file) is what gets kept on disk if anything goes wrong - on
        EVERY path after the POST may have reached the node: a POST error, a malformed answer, a polling error,
        the deadline, a cancel or Ctrl-C. When the node keeps no tx index, inclusion is detected from the
        signer's account sequence (``document["signer"]``). A tx included with a non-zero code is returned (its
        sequence is used up; re-sending cannot help).
        """
        txhash = tx_hash(tx_bytes)
        stage = "broadcast"
        try:
            try:
                checked = self._post_sync(tx_bytes)
            except EndpointError as error:
                raise BroadcastError(f"broadcast of {txhash} failed: {error}",
                                     save_signed(document, txhash, f"broadcast failed: {error}")) from None
            if not checked.ok:
                reason = f"CheckTx rejected it with code {checked.code} ({checked.codespace}): {checked.raw_log}"
                raise BroadcastError(f"the node refused tx {txhash}: {reason}", save_signed(document, txhash, reason),
                                     checked)
            stage = "waiting for inclusion (it was accepted into the mempool)"
            job.progress(0.3, f"accepted into the mempool as {txhash}; waiting for a block")
            return self._track(txhash, _signer_of(document), document, job)
        except BroadcastError:
            raise
        except (Exception, KeyboardInterrupt) as error:  # cancel, Ctrl-C, anything: the tx may be on its way
            why = "cancelled" if isinstance(error, (CancelledError, KeyboardInterrupt)) else f"{error}"
            saved = save_signed(document, txhash, f"{stage}: {why}")
            raise BroadcastError(f"tx {txhash}: {why} while {stage}; it may still be included", saved) from error

    def _track(self, txhash: str, signer: tuple[str, int] | None, document: dict[str, Any], job: Job) -> TxResult:
        deadline = time.monotonic() + self.inclusion_timeout
        no_index: EndpointError | None = None
        while True:
            if no_index is None:
                try:
                    included = self._lookup(txhash, job)
                except EndpointError as error:
                    log.warning("tx lookup unavailable (%s); watching the account sequence instead", error)
                    no_index = error
                    included = self._included_by_sequence(txhash, signer, job)
            else:
                included = self._included_by_sequence(txhash, signer, job)
            if included is not None:
                return included
            if time.monotonic() >= deadline:
                reason = f"not included within {self.inclusion_timeout:g} s"
                if no_index is not None:
                    reason += (f" (the node cannot look transactions up: {no_index.detail}"
                               + ("" if signer else "; no signer sequence to watch") + ")")
                raise BroadcastError(f"tx {txhash} was accepted by CheckTx but {reason}",
                                     save_signed(document, txhash, reason))
            job.wait(self.poll_interval)


def _signer_of(document: dict[str, Any]) -> tuple[str, int] | None:
    """(address, sequence) of the offline-signing file's signer, when it names them."""
    signer = document.get("signer") if isinstance(document, dict) else None
    if not isinstance(signer, dict):
        return None
    address, sequence = signer.get("address"), signer.get("sequence")
    if not isinstance(address, str) or not isinstance(sequence, (str, int)) or not str(sequence).isdigit():
        return None
    return address, int(sequence)
