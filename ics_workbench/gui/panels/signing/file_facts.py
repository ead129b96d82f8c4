"""What the signing tab says about a signing file besides its review: the state badge, the fee line, and the
names a signed or saved copy gets. Shared by the tab and its air-gap routes."""

from __future__ import annotations

from pathlib import Path

from ics_workbench.signing.offline_file import SigningFile

STATE_STYLES = {
    "unsigned": ("UNSIGNED", "#b9770e"),
    "partially_signed": ("PARTIALLY SIGNED", "#7d3c98"),
    "signed": ("SIGNED", "#1e8449"),
    "broadcast": ("BROADCAST", "#1f618d"),
}


def state_text(state: str) -> str:
    return STATE_STYLES[state][0]


def signed_path(path: Path) -> Path:
    """Where a signature is written: beside the request as ``*.signed.json`` (in place if already there)."""
    if path.name.endswith(".signed.json"):
        return path
    return path.with_name(path.name.removesuffix(".json") + ".signed.json")


def suggested_name(file: SigningFile) -> str:
    """``<chain>-<account>-seq<N>[.signed].json``: says what the file is before anyone opens it."""
    safe_chain = "".join(c if c.isalnum() or c in "-_." else "_" for c in file.chain_id)
    suffix = ".signed.json" if file.state in ("signed", "broadcast") else ".json"
    return f"{safe_chain}-{file.address[-8:]}-seq{file.sequence}{suffix}"


def fee_text(file: SigningFile) -> str:
    fee = file.unsigned.auth_info.fee
    coins = ", ".join(f"{c.amount}{c.denom}" for c in fee.amount) or "no fee"
    return f"{coins} (gas limit {fee.gas_limit})"
