"""Key material: strict mnemonic and HD path checks, BIP32 derivation, addresses under any prefix."""

from __future__ import annotations

import hashlib

import pytest
from cosmpy.aerial.wallet import LocalWallet
from cosmpy.crypto.keypairs import PrivateKey
from mnemonic import Mnemonic

from ics_workbench.addresses import (
    AddressError,
    PrefixError,
    address_bytes_from_public_key,
    convert_address,
    decode_address,
    encode_address,
)
from ics_workbench.signing.hdpath import DEFAULT_HD_PATH, HARDENED, HDPath, HDPathError, parse_hd_path
from ics_workbench.signing.keys import (
    ChecksumError,
    MnemonicError,
    PrivateKeyError,
    UnknownWordError,
    derive_private_key,
    generate_mnemonic,
    mnemonic_to_seed,
    normalize_mnemonic,
    parse_private_key_hex,
    public_key_from_private,
)

ABANDON = " ".join(["abandon"] * 23 + ["art"])
# Published BIP32 test vector 1 (seed 000102...0f), chain m/0H/1/2H/2/1000000000, as an xprv.
BIP32_V1_XPRV = (
    "xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76"
)
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _xprv_private_key(xprv: str) -> bytes:
    number = 0
    for char in xprv:
        number = number * 58 + _B58.index(char)
    raw = number.to_bytes(82, "big")
    assert hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4] == raw[-4:]
    return raw[-36:-4]


def test_bip32_published_vector_derives_the_published_key() -> None:
    path = HDPath((0 | HARDENED, 1, 2 | HARDENED, 2, 1000000000))
    seed = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
    assert derive_private_key(seed, path) == _xprv_private_key(BIP32_V1_XPRV)


def test_default_path_matches_cosmpy_for_random_mnemonics() -> None:
    for _ in range(5):
        phrase = generate_mnemonic()
        ours = derive_private_key(mnemonic_to_seed(normalize_mnemonic(phrase)), parse_hd_path(DEFAULT_HD_PATH))
        theirs = LocalWallet.from_mnemonic(phrase, prefix="cosmos")
        assert encode_address(address_bytes_from_public_key(public_key_from_private(ours)), "cosmos") == str(
            theirs.address()
        )


def test_four_digit_index_is_not_truncated_like_cosmpy_does() -> None:
    seed = mnemonic_to_seed(normalize_mnemonic(ABANDON))
    index_1000 = derive_private_key(seed, parse_hd_path("m/44'/118'/0'/0/1000"))
    index_100 = derive_private_key(seed, parse_hd_path("m/44'/118'/0'/0/100"))
    assert index_1000 != index_100


def test_known_mnemonic_gives_known_cosmos_address() -> None:
    key = derive_private_key(mnemonic_to_seed(normalize_mnemonic(ABANDON)), parse_hd_path(DEFAULT_HD_PATH))
    address = encode_address(address_bytes_from_public_key(public_key_from_private(key)), "cosmos")
    assert address == str(LocalWallet(PrivateKey(key), prefix="cosmos").address())
    assert address == "cosmos1r5v5srda7xfth3hn2s26txvrcrntldjumt8mhl"


def test_passphrase_changes_the_account() -> None:
    phrase = normalize_mnemonic(ABANDON)
    path = parse_hd_path(DEFAULT_HD_PATH)
    assert derive_private_key(mnemonic_to_seed(phrase, "x"), path) != derive_private_key(mnemonic_to_seed(phrase), path)


def test_generated_mnemonic_has_24_valid_words() -> None:
    phrase = generate_mnemonic()
    assert len(phrase.split()) == 24
    assert normalize_mnemonic(phrase) == phrase


def test_bad_checksum_and_unknown_word_are_distinct_precise_errors() -> None:
    bad_checksum = " ".join(["abandon"] * 24)
    with pytest.raises(ChecksumError, match="checksum does not match"):
        normalize_mnemonic(bad_checksum)
    words = ABANDON.split()
    words[6] = "abandonx"
    with pytest.raises(UnknownWordError, match="word 7 of 24 is not in the BIP39 English word list") as info:
        normalize_mnemonic(" ".join(words))
    assert "abandonx" not in str(info.value)
    with pytest.raises(MnemonicError, match="has 23 words"):
        normalize_mnemonic(" ".join(words[:23]))


def test_mnemonic_is_normalised_for_case_and_spacing() -> None:
    assert normalize_mnemonic("  " + ABANDON.upper().replace(" ", "  \t") + "\n") == ABANDON


def test_bad_checksum_is_refused_although_cosmpy_would_accept_it() -> None:
    bad = " ".join(["abandon"] * 24)
    assert not Mnemonic("english").check(bad)
    LocalWallet.from_mnemonic(bad)  # the pitfall we guard against: no error there
    with pytest.raises(ChecksumError):
        normalize_mnemonic(bad)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("44'/118'/0'/0/0", 'must start with "m/"'),
        ("m/44'/118'/0'/0", "has 4 levels, BIP44 needs exactly 5"),
        ("m/44'/118'/0'/0/0/0", "has 6 levels"),
        ("m/44'/118'/0/0/0", r"level 3 \(account\) must be hardened"),
        ("m/44/118'/0'/0/0", r"level 1 \(purpose\) must be hardened"),
        ("m/44'/118'/0'/0'/0", r"level 4 \(change\) must not be hardened"),
        ("m/44'/118'/0'/0/2147483648", r"level 5 \(address index\) index 2147483648 is not below 2\^31"),
        ("m/44'/118'/0'/0/01", r"level 5 \(address index\) is '01'"),
        ("m/44'/118'/0'/0/x", r"level 5 \(address index\) is 'x'"),
        ("m/45'/118'/0'/0/0", "purpose must be 44'"),
        ("m/44'/118'/0'/2/0", "change must be 0 or 1"),
    ],
)
def test_invalid_hd_paths_are_refused_with_the_rule_broken(text: str, message: str) -> None:
    with pytest.raises(HDPathError, match=message):
        parse_hd_path(text)


def test_hd_path_round_trips_and_keeps_large_indices() -> None:
    path = parse_hd_path("m/44'/118'/2147483647'/1/2147483647")
    assert str(path) == "m/44'/118'/2147483647'/1/2147483647"
    assert path.indices[2] == 2147483647 | HARDENED
    assert str(parse_hd_path(DEFAULT_HD_PATH)) == DEFAULT_HD_PATH


def test_address_under_any_prefix_and_prefix_checks() -> None:
    key = derive_private_key(mnemonic_to_seed(normalize_mnemonic(ABANDON)), parse_hd_path(DEFAULT_HD_PATH))
    raw = address_bytes_from_public_key(public_key_from_private(key))
    cosmos = encode_address(raw, "cosmos")
    neutron = convert_address(cosmos, "neutron")
    assert neutron.startswith("neutron1")
    assert decode_address(neutron, "neutron") == ("neutron", raw)
    with pytest.raises(PrefixError, match="has prefix 'neutron', but this chain uses 'cosmos'"):
        decode_address(neutron, "cosmos")
    for bad in ("Cosmos", "1cosmos", "", "cos mos", "a" * 41):
        with pytest.raises(PrefixError, match="invalid bech32 prefix"):
            encode_address(raw, bad)
    with pytest.raises(AddressError, match="not a valid bech32 address"):
        decode_address(cosmos[:-1] + ("q" if cosmos[-1] != "q" else "p"))


def test_raw_private_key_parsing() -> None:
    assert parse_private_key_hex("0x" + "01" * 32) == bytes([1] * 32)
    with pytest.raises(PrivateKeyError, match="exactly 64 hexadecimal digits"):
        parse_private_key_hex("abc")
    with pytest.raises(PrivateKeyError, match="outside the secp256k1 range"):
        parse_private_key_hex("00" * 32)
