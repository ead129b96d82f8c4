"""CometBFT JSON-RPC (over HTTP GET) client; raw answers become :mod:`.models` here and nowhere else.

Shapes follow CometBFT v0.37/v0.38 (`rpc/core/types`): int64 as strings, bytes as hex (hashes, addresses)
or base64 (keys, signatures), Amino-JSON public keys ``{"type": "tendermint/PubKeyEd25519", "value": b64}``.
"""

from __future__ import annotations

from typing import Any

from ics_workbench.chain import decode as d
from ics_workbench.chain.block_id import BlockId, PartSetHeader
from ics_workbench.chain.http import JsonHttp, jsonrpc_error_text
from ics_workbench.chain.models import (
    Block,
    CometValidator,
    Commit,
    CommitSig,
    Header,
    NodeStatus,
    SignedHeader,
)
from ics_workbench.errors import EndpointError
from ics_workbench.netlimits import limits
from ics_workbench.tasks import NO_JOB, Job

VALIDATORS_PER_PAGE = 100
"""CometBFT's maximum ``per_page``."""


class CometRpc:
    """Queries one chain's RPC endpoints (with the failover, retries and errors of :class:`JsonHttp`)."""

    def __init__(self, http: JsonHttp) -> None:
        self.http = http

    def _result(
        self, path: str, params: dict[str, Any] | None = None, *, archive: bool = False, job: Job
    ) -> tuple[str, dict[str, Any]]:
        answer = self.http.fetch(path, params, archive=archive, job=job)
        url, data = answer.url, answer.data
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            raise EndpointError(url, "rpc", jsonrpc_error_text(data["error"]))
        result = d.obj(data, "result", url=url)
        return url, result

    def status(self, *, job: Job = NO_JOB) -> NodeStatus:
        """``/status`` of the first endpoint that answers."""
        url, result = self._result("/status", job=job)
        return decode_status(result, url)

    def validators(self, height: int | None = None, *, job: Job = NO_JOB) -> tuple[int, list[CometValidator]]:
        """(height, every validator) — all pages, each page pinned to the first page's height."""
        validators: list[CometValidator] = []
        page, total, pinned = 1, None, height
        seen: set[str] = set()
        max_pages = limits().max_pages
        while total is None or len(validators) < total:
            params: dict[str, Any] = {"page": page, "per_page": VALIDATORS_PER_PAGE}
            if pinned is not None:
                params["height"] = pinned
            url, result = self._result("/validators", params, archive=height is not None, job=job)
            pinned = d.integer(result, "block_height", url=url)
            page_total = d.integer(result, "total", url=url)
            if total is not None and page_total != total:
                raise EndpointError(url, "shape", f"page {page} says {page_total} validators, page 1 said {total}")
            total = page_total
            if -(-total // VALIDATORS_PER_PAGE) > max_pages:
                raise EndpointError(url, "limit", f"{total} validators would take more than the {max_pages}-page "
                                                  "limit; giving up")
            items = d.lst(result, "validators", url=url)
            if not items and len(validators) < total:
                raise EndpointError(url, "shape", f"page {page} is empty but total says {total} validators")
            decoded = [decode_comet_validator(v, url, f"validators[{i}]") for i, v in enumerate(items)]
            # A node answering every page with the same validators would never reach ``total``: a validator seen
            # on an earlier page means the pages repeat.
            if any(v.address in seen for v in decoded):
                raise EndpointError(url, "limit", f"page {page} repeats validators of an earlier page; the list "
                                                  "would never end")
            seen.update(v.address for v in decoded)
            validators.extend(decoded)
            if page >= max_pages:
                raise EndpointError(url, "limit", f"more than the {max_pages}-page limit; giving up")
            page += 1
            job.progress(min(len(validators) / max(total, 1), 1.0), "validators")
        return pinned or 0, validators

    def block(self, height: int | None = None, *, job: Job = NO_JOB) -> Block:
        params = {"height": height} if height is not None else None
        url, result = self._result("/block", params, archive=height is not None, job=job)
        block = d.obj(result, "block", url=url)
        data = d.obj(block, "data", url=url, where="block", optional=True)
        evidence = d.obj(block, "evidence", url=url, where="block", optional=True)
        last_commit = block.get("last_commit")
        return Block(
            block_id=decode_block_id(d.obj(result, "block_id", url=url), url, "block_id"),
            header=decode_header(d.obj(block, "header", url=url, where="block"), url, "block.header"),
            tx_count=len(d.lst(data, "txs", url=url, where="block.data")),
            evidence_count=len(d.lst(evidence, "evidence", url=url, where="block.evidence")),
            last_commit=decode_commit(last_commit, url, "block.last_commit") if last_commit else None,
        )

    def commit(self, height: int | None = None, *, job: Job = NO_JOB) -> SignedHeader:
        params = {"height": height} if height is not None else None
        url, result = self._result("/commit", params, archive=height is not None, job=job)
        signed = d.obj(result, "signed_header", url=url)
        return SignedHeader(
            header=decode_header(d.obj(signed, "header", url=url, where="signed_header"), url, "signed_header.header"),
            commit=decode_commit(d.obj(signed, "commit", url=url, where="signed_header"), url, "signed_header.commit"),
            canonical=bool(result.get("canonical", True)),
        )

    def header(self, height: int | None = None, *, job: Job = NO_JOB) -> Header:
        params = {"height": height} if height is not None else None
        url, result = self._result("/header", params, archive=height is not None, job=job)
        return decode_header(d.obj(result, "header", url=url), url, "header")


def decode_status(result: dict[str, Any], url: str) -> NodeStatus:
    """``url`` is the ``/status`` URL that answered; the model keeps the endpoint's base URL."""
    node = d.obj(result, "node_info", url=url)
    sync = d.obj(result, "sync_info", url=url)
    earliest = sync.get("earliest_block_height")
    return NodeStatus(
        url=url.removesuffix("/status"),
        chain_id=d.text(node, "network", url=url, where="node_info"),
        node_version=d.text(node, "version", url=url, where="node_info"),
        moniker=d.text(node, "moniker", url=url, where="node_info", default=""),
        node_id=d.text(node, "id", url=url, where="node_info", default=""),
        latest_height=d.integer(sync, "latest_block_height", url=url, where="sync_info"),
        latest_time=d.timestamp(sync, "latest_block_time", url=url, where="sync_info"),
        catching_up=d.boolean(sync, "catching_up", url=url, where="sync_info"),
        earliest_height=d.integer(sync, "earliest_block_height", url=url, where="sync_info") if earliest else None,
    )


def decode_comet_validator(raw: Any, url: str, where: str) -> CometValidator:
    key = d.obj(raw, "pub_key", url=url, where=where)
    return CometValidator(
        address=d.text(raw, "address", url=url, where=where).upper(),
        pub_key_type=d.text(key, "type", url=url, where=f"{where}.pub_key"),
        pub_key=d.text(key, "value", url=url, where=f"{where}.pub_key"),
        voting_power=d.integer(raw, "voting_power", url=url, where=where),
        proposer_priority=d.integer(raw, "proposer_priority", url=url, where=where, default=0),
    )


def decode_block_id(raw: Any, url: str, where: str) -> BlockId:
    parts = d.obj(raw, "parts", url=url, where=where, optional=True)
    return BlockId(
        hash=d.hexbytes(raw, "hash", url=url, where=where, default=""),
        part_set_header=PartSetHeader(
            total=d.integer(parts, "total", url=url, where=f"{where}.parts", default=0),
            hash=d.hexbytes(parts, "hash", url=url, where=f"{where}.parts", default=""),
        ),
    )


def decode_header(raw: Any, url: str, where: str) -> Header:
    last = raw.get("last_block_id") if isinstance(raw, dict) else None
    return Header(
        chain_id=d.text(raw, "chain_id", url=url, where=where),
        height=d.integer(raw, "height", url=url, where=where),
        time=d.timestamp(raw, "time", url=url, where=where),
        proposer_address=d.text(raw, "proposer_address", url=url, where=where, default=""),
        validators_hash=d.text(raw, "validators_hash", url=url, where=where, default=""),
        next_validators_hash=d.text(raw, "next_validators_hash", url=url, where=where, default=""),
        app_hash=d.text(raw, "app_hash", url=url, where=where, default=""),
        last_block_id=decode_block_id(last, url, f"{where}.last_block_id") if isinstance(last, dict) else None,
    )


def decode_commit(raw: Any, url: str, where: str) -> Commit:
    signatures = []
    for i, sig in enumerate(d.lst(raw, "signatures", url=url, where=where)):
        at = f"{where}.signatures[{i}]"
        stamp = sig.get("timestamp") if isinstance(sig, dict) else None
        # Absent votes carry the zero time "0001-01-01T00:00:00Z"; keep None for them.
        signatures.append(
            CommitSig(
                block_id_flag=d.integer(sig, "block_id_flag", url=url, where=at),
                validator_address=d.text(sig, "validator_address", url=url, where=at, default=""),
                timestamp=d.timestamp(sig, "timestamp", url=url, where=at)
                if stamp and not (isinstance(stamp, str) and stamp.startswith("0001-"))
                else None,
                signature=d.text(sig, "signature", url=url, where=at, default=""),
            )
        )
    return Commit(
        height=d.integer(raw, "height", url=url, where=where),
        round=d.integer(raw, "round", url=url, where=where, default=0),
        block_id=decode_block_id(d.obj(raw, "block_id", url=url, where=where), url, f"{where}.block_id"),
        signatures=tuple(signatures),
    )
