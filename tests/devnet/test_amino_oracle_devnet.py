"""Oracle: ICS provider messages signed in SIGN_MODE_LEGACY_AMINO_JSON by the app's engine and by the provider
binary's own `tx sign --sign-mode amino-json` (offline, no chain) give the SAME TxRaw bytes.

secp256k1 signing is deterministic (RFC 6979, low-s), so equal signatures mean equal StdSignDoc bytes; the TxRaw
(`tx encode` of the binary's output) also pins the body and AuthInfo bytes. The cases cover every provider message
a signer sends, with the boundaries of the encoder's rules: zero values (omitted), the largest encodable Duration,
Timestamps at both ends of the range, LegacyDec extremes, nested messages, repeated fields, empty lists, and
strings that JSON must escape. The one encoding the chain refuses (a Duration past int64 nanoseconds) is refused
by both.
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ics_workbench import addresses
from ics_workbench.proto import registry
from ics_workbench.signing import amino, keys
from ics_workbench.signing.hdpath import DEFAULT_HD_PATH, parse_hd_path
from ics_workbench.signing.secp256k1 import PrivateKeySigner
from ics_workbench.signing.sign_modes import SignModeUnavailable, mode_support
from ics_workbench.signing.tx import (
    Fee,
    SignerData,
    SignerSpec,
    SignMode,
    assemble,
    build_unsigned_tx,
    decode_tx_raw,
    sign,
)

MNEMONIC = ("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art")
PROVIDER = "/interchain_security.ccv.provider.v1."
DATA = SignerData(chain_id="oracle-provider", account_number=42, sequence=9)
ED25519 = '{"@type":"/cosmos.crypto.ed25519.PubKey","key":"Ui5Gf1+mtWUdH8u3xlmzdKID+F3PK0sfXZ73GZ6q6is="}'
MAX_NS = f"{amino.MAX_DURATION_SECONDS}.999999999s"


def _key() -> PrivateKeySigner:
    return PrivateKeySigner(keys.derive_private_key(keys.mnemonic_to_seed(MNEMONIC), parse_hd_path(DEFAULT_HD_PATH)))


def _cases(me: str) -> dict[str, list[dict[str, Any]]]:
    valoper = addresses.convert_address(me, "cosmosvaloper")
    init = {"initial_height": {"revision_number": "1", "revision_height": "18446744073709551615"},
            "genesis_hash": base64.b64encode(b"\x00\xff" * 16).decode(), "binary_hash": "",
            "spawn_time": "9999-12-31T23:59:59.999999999Z", "unbonding_period": MAX_NS,
            "ccv_timeout_period": "0.000000001s", "transfer_timeout_period": "3600s",
            "consumer_redistribution_fraction": "0.75", "blocks_per_distribution_transmission": "1000",
            "historical_entries": "-1", "distribution_transmission_channel": "channel-0",
            "connection_id": ""}
    shaping = {"top_N": 95, "validators_power_cap": 0, "validator_set_cap": 4294967295,
               "allowlist": ["cosmosvalcons1a", "cosmosvalcons1b"], "denylist": [], "min_stake": "18446744073709551615",
               "allow_inactive_vals": True, "prioritylist": ["cosmosvalcons1c"]}
    infractions = {"double_sign": {"slash_fraction": "0.05", "jail_duration": MAX_NS, "tombstone": True},
                   "downtime": {"slash_fraction": "0", "jail_duration": "600s", "tombstone": False}}
    return {
        "MsgOptIn": [
            {"provider_addr": valoper, "consumer_key": ED25519, "signer": me, "consumer_id": "0"},
            {"provider_addr": valoper, "signer": me, "consumer_id": "18446744073709551615"},
        ],
        "MsgOptOut": [{"provider_addr": valoper, "signer": me, "consumer_id": "7"}],
        "MsgAssignConsumerKey": [
            {"provider_addr": valoper, "consumer_key": ED25519, "signer": me, "consumer_id": "3"},
            {"provider_addr": valoper, "consumer_key": "<&> \u2028 \"quoted\" é", "signer": me, "consumer_id": "3"},
        ],
        "MsgSetConsumerCommissionRate": [
            {"provider_addr": valoper, "rate": "0.05", "signer": me, "consumer_id": "1"},
            {"provider_addr": valoper, "rate": "1", "signer": me, "consumer_id": "1"},
            {"provider_addr": valoper, "rate": "0.000000000000000001", "signer": me, "consumer_id": "1"},
            {"provider_addr": valoper, "rate": "0", "signer": me, "consumer_id": "1"},
        ],
        "MsgCreateConsumer": [
            {"submitter": me, "chain_id": "oracle-1",
             "metadata": {"name": "oracle", "description": "<b>&amp;</b>", "metadata": '{"k":1}'}},
            {"submitter": me, "chain_id": "oracle-2", "metadata": {"name": "n", "description": "", "metadata": ""},
             "initialization_parameters": init, "power_shaping_parameters": shaping,
             "allowlisted_reward_denoms": {"denoms": ["ibc/ABC", "untrn"]}, "infraction_parameters": infractions},
            {"submitter": me, "chain_id": "", "metadata": {},
             # gogoproto writes non-nullable fields even when empty; set them so the binary's body is ours
             "initialization_parameters": {"spawn_time": "0001-01-01T00:00:00Z", "unbonding_period": "-1.5s",
                                           "initial_height": {}, "ccv_timeout_period": "0s",
                                           "transfer_timeout_period": "0s"},
             "power_shaping_parameters": {}, "allowlisted_reward_denoms": {"denoms": []}},
        ],
        "MsgUpdateConsumer": [
            {"owner": me, "consumer_id": "0", "new_owner_address": me, "metadata": {"name": "renamed"},
             "initialization_parameters": init, "power_shaping_parameters": shaping,
             "infraction_parameters": infractions, "new_chain_id": "oracle-3"},
            {"owner": me, "consumer_id": "5"},
        ],
        "MsgRemoveConsumer": [{"consumer_id": "9", "owner": me}],
        "MsgChangeRewardDenoms": [{"denoms_to_add": ["uatom"], "denoms_to_remove": [], "authority": me}],
    }


def _binary_sign(binary: Path, home: Path, unsigned_json: dict[str, Any]) -> bytes:
    """TxRaw bytes of what `interchain-security-pd tx sign --sign-mode amino-json` makes of our unsigned tx."""
    unsigned_json["auth_info"]["signer_infos"] = []  # the binary declares its signer itself, as for gaiad's own
    unsigned_path = home / "unsigned.json"
    unsigned_path.write_text(json.dumps(unsigned_json))
    signed_path = home / "signed.json"

    def run(*args: str) -> str:
        out = subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise RuntimeError(out.stderr.strip() or out.stdout.strip())
        return out.stdout

    run("tx", "sign", str(unsigned_path), "--from", "oracle", "--keyring-backend", "test", "--home", str(home),
        "--chain-id", DATA.chain_id, "--offline", "--account-number", str(DATA.account_number),
        "--sequence", str(DATA.sequence), "--sign-mode", "amino-json", "--output-document", str(signed_path))
    encoded = run("tx", "encode", str(signed_path), "--home", str(home)).strip()
    return base64.b64decode(encoded)


@pytest.fixture(scope="module")
def oracle_home(devnet_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("amino-oracle")
    subprocess.run([str(devnet_binary), "keys", "add", "oracle", "--recover", "--keyring-backend", "test",
                    "--home", str(home)], input=MNEMONIC + "\n", capture_output=True, text=True, check=True,
                   timeout=60)
    return home


def test_ics_messages_in_amino_json_equal_the_provider_binary_byte_for_byte(devnet_binary: Path,
                                                                             oracle_home: Path) -> None:
    from ics_workbench.signing import gaiad_json

    key = _key()
    me = addresses.encode_address(addresses.address_bytes_from_public_key(key.public_key()), "cosmos")
    gov_address = addresses.encode_address(b"\x7d" * 20, "cosmos")
    nested = {"@type": "/cosmos.gov.v1.MsgSubmitProposal", "proposer": me, "title": "update", "summary": "nested Any",
              "metadata": "", "initial_deposit": [{"denom": "stake", "amount": "10"}], "expedited": True,
              "messages": [{"@type": PROVIDER + "MsgUpdateConsumer", "owner": gov_address, "consumer_id": "4",
                            "power_shaping_parameters": {"top_N": 50}}]}
    compared, differences = 0, []
    for kind, variants in [*_cases(me).items(), ("nested", [nested])]:
        for index, fields in enumerate(variants):
            msg = registry.from_proto_json(fields if kind == "nested" else {"@type": PROVIDER + kind, **fields})
            assert mode_support([msg])[SignMode.LEGACY_AMINO_JSON].ok, kind
            unsigned = build_unsigned_tx([msg], signers=[SignerSpec(key.public_key(), DATA.sequence,
                                                                    SignMode.LEGACY_AMINO_JSON)],
                                         fee=Fee.of("1234stake", 345_678), memo=f"oracle {kind} #{index} <&>")
            ours = assemble(unsigned, [sign(unsigned, key, DATA)])
            theirs = _binary_sign(devnet_binary, oracle_home, gaiad_json.tx_to_json(unsigned, []))
            compared += 1
            if decode_tx_raw(ours)[0].body_bytes != decode_tx_raw(theirs)[0].body_bytes:
                differences.append(f"{kind} #{index}: the binary re-encoded a different body (fix the case)")
            elif ours != theirs:
                differences.append(f"{kind} #{index}: {unsigned.sign_bytes(SignMode.LEGACY_AMINO_JSON, DATA)!r}")
    assert differences == [], "\n".join(differences)
    assert compared == 17


def test_a_duration_past_int64_nanoseconds_is_refused_by_both(devnet_binary: Path, oracle_home: Path) -> None:
    from ics_workbench.signing import gaiad_json

    key = _key()
    me = addresses.encode_address(addresses.address_bytes_from_public_key(key.public_key()), "cosmos")
    too_long = f"{amino.MAX_DURATION_SECONDS + 1}s"
    msg = registry.from_proto_json({"@type": PROVIDER + "MsgCreateConsumer", "submitter": me, "chain_id": "x-1",
                                    "metadata": {"name": "x"}, "infraction_parameters": {
                                        "double_sign": {"slash_fraction": "0.05", "jail_duration": too_long}}})
    support = mode_support([msg])[SignMode.LEGACY_AMINO_JSON]
    assert not support.ok and "overflows int64 nanoseconds" in support.reason and "MsgCreateConsumer" in support.reason
    with pytest.raises(SignModeUnavailable, match="overflows int64"):
        build_unsigned_tx([msg], signers=[SignerSpec(key.public_key(), DATA.sequence, SignMode.LEGACY_AMINO_JSON)],
                          fee=Fee.of("1234stake", 345_678))
    direct = build_unsigned_tx([msg], signers=[SignerSpec(key.public_key(), DATA.sequence)],
                               fee=Fee.of("1234stake", 345_678))
    with pytest.raises(RuntimeError, match="overflow an int64"):
        _binary_sign(devnet_binary, oracle_home, gaiad_json.tx_to_json(direct, []))
