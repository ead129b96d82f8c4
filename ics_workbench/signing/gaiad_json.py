"""The JSON form of a transaction that `gaiad tx ... --generate-only` prints and `gaiad tx sign|broadcast` read.

`{"body": {"messages": [{"@type": ...}], "memo", "timeout_height", "extension_options", ...},
  "auth_info": {"signer_infos": [...], "fee": {...}, "tip": null}, "signatures": ["<base64>", ...]}`

Written with the SDK's conventions (proto field names, defaults printed, int64 as strings, LegacyDec as decimals).
Fields newer than SDK v0.50 (`unordered`, `timeout_timestamp`) are left out while unset, because a v0.50 gaiad
refuses JSON with fields it does not know. Reading re-encodes deterministically, which gives the same bytes gaiad
(gogoproto) produces for the same tx.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from ics_workbench.errors import WorkbenchError
from ics_workbench.proto import registry
from ics_workbench.signing.tx import UnsignedTx, tx_pb2

_NEWER_BODY_FIELDS = ("unordered", "timeout_timestamp")


def tx_to_json(unsigned: UnsignedTx, signatures: Sequence[bytes] = ()) -> dict[str, Any]:
    """gaiad JSON of the tx (decoded from its exact bytes), with `signatures` (empty list when unsigned)."""
    body = registry.to_proto_json(unsigned.body, ics_version=unsigned.ics_version, with_type=False)
    for name in _NEWER_BODY_FIELDS:
        if body.get(name) in (False, None):
            body.pop(name, None)
    auth_info = registry.to_proto_json(unsigned.auth_info, with_type=False)
    auth_info.setdefault("tip", None)
    return {"body": body, "auth_info": auth_info,
            "signatures": [base64.b64encode(s).decode() for s in signatures]}


def tx_from_json(doc: Any, *, ics_version: str | None = None) -> tuple[UnsignedTx, list[bytes]]:
    """Parse gaiad's JSON (unsigned or signed) back into exact bytes and signatures."""
    if not isinstance(doc, dict) or not isinstance(doc.get("body"), dict) or not isinstance(doc.get("auth_info"), dict):
        raise WorkbenchError('a transaction JSON needs "body" and "auth_info" objects (gaiad --generate-only form)')
    body = registry.from_proto_json(doc["body"], cls=tx_pb2.TxBody, ics_version=ics_version)
    auth_info = registry.from_proto_json(doc["auth_info"], cls=tx_pb2.AuthInfo)
    raw_sigs = doc.get("signatures", [])
    if not isinstance(raw_sigs, list):
        raise WorkbenchError('"signatures" must be a list of base64 strings')
    signatures = []
    for i, text in enumerate(raw_sigs):
        try:
            signatures.append(base64.b64decode(text, validate=True))
        except (binascii.Error, TypeError):
            raise WorkbenchError(f"signatures[{i}] is not base64") from None
    unsigned = UnsignedTx(body.SerializeToString(deterministic=True),
                          auth_info.SerializeToString(deterministic=True), ics_version)
    return unsigned, signatures
