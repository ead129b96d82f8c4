"""Key material: BIP39 mnemonics, BIP32 secp256k1 derivation and public keys (addresses live in ``addresses``).

We derive keys ourselves (HMAC-SHA512 + scalar addition with ``cryptography``) instead of through cosmpy,
because cosmpy accepts mnemonics with a bad checksum and truncates HD path segments: both would silently
produce a different account than the one the user owns. Error messages never quote a mnemonic word or key
bytes: a typo'd word is still most of a secret.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from mnemonic import Mnemonic

from ics_workbench.errors import WorkbenchError
from ics_workbench.signing.hdpath import HARDENED, HDPath

SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
MNEMONIC_WORD_COUNTS = (12, 15, 18, 21, 24)
_WORDLIST = Mnemonic("english")
_WORDS = frozenset(_WORDLIST.wordlist)


class MnemonicError(WorkbenchError):
    """The recovery phrase is not a valid BIP39 English mnemonic."""


class UnknownWordError(MnemonicError):
    """One word is not in the BIP39 English list (position given, word withheld: it is part of a secret)."""


class ChecksumError(MnemonicError):
    """All words are valid but the phrase's built-in checksum does not match: a word is wrong or swapped."""


class PrivateKeyError(WorkbenchError):
    """Raw private key input is malformed (the message never repeats the input)."""


def generate_mnemonic() -> str:
    """A fresh 24-word (256-bit entropy) English mnemonic from the OS random source."""
    return _WORDLIST.generate(strength=256)


def normalize_mnemonic(text: str) -> str:
    """Validate a mnemonic and return it in canonical form (NFKD, lower case, single spaces).

    Raises a distinct error for a wrong word count, a word outside the list and a bad checksum, so the
    user knows whether to look for a misspelling or a wrong/swapped word.
    """
    words = unicodedata.normalize("NFKD", text).lower().split()
    if len(words) not in MNEMONIC_WORD_COUNTS:
        raise MnemonicError(
            f"the mnemonic has {len(words)} words; a BIP39 mnemonic has 12, 15, 18, 21 or 24 words"
        )
    for position, word in enumerate(words, 1):
        if word not in _WORDS:
            raise UnknownWordError(
                f"word {position} of {len(words)} is not in the BIP39 English word list (check its spelling)"
            )
    phrase = " ".join(words)
    if not _WORDLIST.check(phrase):
        raise ChecksumError(
            f"the mnemonic's checksum does not match: all {len(words)} words are valid BIP39 words, but one is "
            "wrong or two are swapped"
        )
    return phrase


def mnemonic_to_seed(phrase: str, passphrase: str = "") -> bytes:
    """BIP39 seed; ``phrase`` must already be validated with :func:`normalize_mnemonic`."""
    return Mnemonic.to_seed(phrase, passphrase)


def _compressed_public_key(private_key: int) -> bytes:
    key = ec.derive_private_key(private_key, ec.SECP256K1())
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


def derive_private_key(seed: bytes, path: HDPath) -> bytes:
    """BIP32 private derivation of ``path`` from a BIP39 seed; returns the 32-byte secret scalar."""
    digest = hmac.new(b"Bitcoin seed", seed, hashlib.sha512).digest()
    key, chain_code = int.from_bytes(digest[:32], "big"), digest[32:]
    if not 0 < key < SECP256K1_ORDER:
        raise WorkbenchError("this seed gives an invalid BIP32 master key (probability 2^-127); use another mnemonic")
    for index in path.indices:
        if index & HARDENED:
            data = b"\x00" + key.to_bytes(32, "big") + index.to_bytes(4, "big")
        else:
            data = _compressed_public_key(key) + index.to_bytes(4, "big")
        digest = hmac.new(chain_code, data, hashlib.sha512).digest()
        tweak = int.from_bytes(digest[:32], "big")
        key = (tweak + key) % SECP256K1_ORDER
        if tweak >= SECP256K1_ORDER or key == 0:
            raise WorkbenchError(f"BIP32 derivation hit an invalid child at {path}; use another address index")
        chain_code = digest[32:]
    return key.to_bytes(32, "big")


def parse_private_key_hex(text: str) -> bytes:
    """A raw secp256k1 private key given as 64 hex digits (as ``gaiad keys export --unarmored-hex`` prints)."""
    raw = text.strip().lower().removeprefix("0x")
    if len(raw) != 64 or any(c not in "0123456789abcdef" for c in raw):
        raise PrivateKeyError(f"a raw private key must be exactly 64 hexadecimal digits (got {len(raw)} characters)")
    value = int(raw, 16)
    if not 0 < value < SECP256K1_ORDER:
        raise PrivateKeyError("the private key is outside the secp256k1 range (0 < key < curve order)")
    return bytes.fromhex(raw)


def public_key_from_private(private_key: bytes) -> bytes:
    """33-byte compressed secp256k1 public key."""
    return _compressed_public_key(int.from_bytes(private_key, "big"))
