"""Downtime: the x/slashing jailing threshold, rows mapped to provider validators through key assignment,
and the recent missed-blocks view read from real commit answers of a local server."""

from __future__ import annotations

from decimal import Decimal

from ics_workbench.addresses import encode_address
from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.chain.models import Commission, KeyAssignment, SigningInfo, SlashingParams, Validator
from ics_workbench.evidence.downtime import downtime_rows, max_missed, missed_blocks

from .rpcserver import serve


def params(window: int, min_signed: str) -> SlashingParams:
    return SlashingParams(
        signed_blocks_window=window,
        min_signed_per_window=Decimal(min_signed),
        downtime_jail_duration_seconds=Decimal(600),
        slash_fraction_double_sign=Decimal("0.05"),
        slash_fraction_downtime=Decimal("0.0001"),
    )


def test_allowed_misses_follow_x_slashing_rounding() -> None:
    assert max_missed(params(100, "0.5")) == 50
    assert max_missed(params(10000, "0.05")) == 9500
    assert max_missed(params(5, "0.5")) == 3  # 2.5 rounds half to even -> 2 signed required
    assert max_missed(params(7, "0.5")) == 3  # 3.5 -> 4


def validator(name: str, raw: bytes, jailed: bool = False) -> Validator:
    return Validator(
        moniker=name, operator_address=f"cosmosvaloper1{name}", consensus_pubkey_type="ed25519",
        consensus_pubkey="", consensus_address=encode_address(raw, "cosmosvalcons"), consensus_hex=raw.hex().upper(),
        tokens=10**6, power=1, share=0.5, jailed=jailed, status="BOND_STATUS_BONDED",
        commission=Commission(rate=Decimal("0.1"), max_rate=Decimal("0.2"), max_change_rate=Decimal("0.01")),
    )


def info(address: str, missed: int, tombstoned: bool = False) -> SigningInfo:
    return SigningInfo(address=address, start_height=1, index_offset=0, jailed_until=None, tombstoned=tombstoned,
                       missed_blocks_counter=missed)


def test_consumer_rows_map_assigned_and_unassigned_keys_to_provider_validators() -> None:
    a_raw, b_raw, b_consumer_raw = b"\x0a" * 20, b"\x0b" * 20, b"\xcb" * 20
    validators = [validator("alice", a_raw), validator("bob", b_raw, jailed=True)]
    assignments = [KeyAssignment(provider_address=encode_address(b_raw, "cosmosvalcons"),
                                 consumer_address=encode_address(b_consumer_raw, "consumervalcons"))]
    infos = [
        info(encode_address(a_raw, "consumervalcons"), 10),
        info(encode_address(b_consumer_raw, "consumervalcons"), 45),
    ]
    rows = downtime_rows("consumer-1", infos, params(100, "0.5"), validators, assignments)
    assert [r.moniker for r in rows] == ["bob", "alice"]  # most at risk first
    bob, alice = rows
    assert bob.remaining == 5 and bob.close_to_jail and bob.jailed
    assert alice.remaining == 40 and not alice.close_to_jail
    assert alice.provider_address == encode_address(a_raw, "cosmosvalcons")  # no assignment: same key bytes


def test_unknown_signer_is_kept_without_a_name() -> None:
    rows = downtime_rows("p", [info(encode_address(b"\x01" * 20, "cosmosvalcons"), 0)], params(100, "0.5"), [])
    assert rows[0].moniker == "" and rows[0].provider_address == ""


def test_missed_blocks_from_commit_signatures() -> None:
    signer, sleeper = "AA" * 20, "BB" * 20

    def route(path: str, query: dict[str, str]):
        if path != "/commit":
            return None
        height = int(query["height"])
        sigs = [{"block_id_flag": 2, "validator_address": signer, "signature": "x"}]
        sigs.append({"block_id_flag": 2 if height % 2 else 1, "validator_address": sleeper if height % 2 else "",
                     "signature": None})
        if height == 4:
            sigs[1] = {"block_id_flag": 3, "validator_address": sleeper, "signature": "y"}  # voted nil
        return {"result": {"signed_header": {"commit": {"height": str(height), "signatures": sigs}}}}

    with serve(route) as url, JsonHttp([Endpoint(url)]) as http:
        view = missed_blocks(http, [1, 2, 3, 4, 5], expected=[signer, sleeper, "CC" * 20])
    assert view.missed_heights(signer) == []
    assert view.missed_heights(sleeper) == [2, 4]
    assert view.missed_heights("CC" * 20) == [1, 2, 3, 4, 5]  # down the whole time: never in a commit
