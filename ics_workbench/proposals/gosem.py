"""Go's semantics for the string rules the provider applies, so a check here agrees with the chain byte for byte.

Python's own helpers differ in ways that matter for a validator: ``str.strip()`` also removes the ASCII
separators ``\\x1c``-``\\x1f`` (Go's ``strings.TrimSpace`` keeps them), ``str.isdigit()``/``int()`` accept
non-ASCII digits, surrounding spaces and ``_`` (Go's ``strconv.ParseUint`` does not), ``re`` ``$`` matches
before a trailing newline (Go's ``$`` only at the end of the text), ``Decimal`` accepts exponents and spaces
while ``math.LegacyNewDecFromStr`` accepts a leading ``+`` (through ``big.Int.SetString``), and the bech32
decoder used elsewhere limits addresses to 90 characters where the SDK allows 1023. Each function names the
Go function it mirrors (ICS v7.0.0, cosmos-sdk v0.50.12, cosmossdk.io/math v1.5.0, ibc-go v10).
"""

from __future__ import annotations

import re
from decimal import Decimal

# unicode.IsSpace: the Latin-1 spaces plus the Unicode White_Space property above Latin-1
_GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)

LEGACY_PRECISION = 18
_MAX_DEC_BIT_LEN = 256 + 60  # math.maxDecBitLen (maxBitLen + decimal bits)
MAX_UINT64 = (1 << 64) - 1
MAX_INT64 = (1 << 63) - 1
MIN_INT64 = -(1 << 63)
MAX_UINT32 = (1 << 32) - 1

_IBC_ID = re.compile(r"[a-zA-Z0-9._+\-#\[\]<>]+")
_REVISION_FORMAT = re.compile(r".*[^\n-]-{1}[1-9][0-9]*")
_ASCII_DIGITS = re.compile(r"[0-9]+")
_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def trim_space(text: str) -> str:
    """strings.TrimSpace."""
    start, end = 0, len(text)
    while start < end and text[start] in _GO_SPACE:
        start += 1
    while end > start and text[end - 1] in _GO_SPACE:
        end -= 1
    return text[start:end]


def is_blank(text: str) -> bool:
    """``strings.TrimSpace(text) == ""``."""
    return trim_space(text) == ""


def byte_len(text: str) -> int:
    """Go's ``len(string)``: UTF-8 bytes, not characters."""
    return len(text.encode("utf-8", "surrogatepass"))


def parse_uint(text: str, bits: int = 64) -> int | None:
    """strconv.ParseUint(text, 10, bits): ASCII digits only, no sign, no spaces, no underscores."""
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value < (1 << bits) else None


def legacy_dec(text: str) -> Decimal | None:
    """math.LegacyNewDecFromStr: None where Go returns an error.

    One leading ``-`` is taken off first; the rest goes through ``big.Int.SetString(.., 10)``, which takes its own
    sign, so ``+0.5``, ``+.5`` and even ``--1`` (= 1) are valid while ``.5``, ``5.``, spaces and exponents are not.
    """
    neg = text.startswith("-")
    if neg:
        text = text[1:]
    if not text:
        return None
    parts = text.split(".")
    if len(parts) > 2:
        return None
    whole = parts[0]
    decimals = ""
    if len(parts) == 2:
        decimals = parts[1]
        if not decimals or not whole:
            return None
    if len(decimals) > LEGACY_PRECISION:
        return None
    combined = _big_int(whole + decimals + "0" * (LEGACY_PRECISION - len(decimals)))
    if combined is None or abs(combined).bit_length() > _MAX_DEC_BIT_LEN:
        return None
    if neg:
        combined = -combined
    return Decimal(combined).scaleb(-LEGACY_PRECISION)


def _big_int(text: str) -> int | None:
    """big.Int.SetString(text, 10): optional sign, then ASCII digits (no underscores in base 10)."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not _ASCII_DIGITS.fullmatch(body):
        return None
    return -int(body) if text.startswith("-") else int(body)


def ibc_identifier_error(value: str, min_len: int, max_len: int = 64) -> str | None:
    """ibc-go host.defaultIdentifierValidator."""
    if is_blank(value):
        return "identifier cannot be blank"
    if "/" in value:
        return "identifier cannot contain '/'"
    size = byte_len(value)
    if size < min_len or size > max_len:
        return f"identifier length {size} is not between {min_len} and {max_len}"
    if not _IBC_ID.fullmatch(value):
        return "identifier may contain only letters, digits and . _ + - # [ ] < >"
    return None


def parse_chain_revision(chain_id: str) -> int:
    """ibc-go clienttypes.ParseChainID: the revision number of ``name-N``, else 0."""
    if not _REVISION_FORMAT.fullmatch(chain_id):
        return 0
    value = parse_uint(chain_id.split("-")[-1])
    return 0 if value is None else value


class Bech32Error(ValueError):
    pass


def _polymod(values: list[int]) -> int:
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def bech32_decode(text: str, limit: int = 1023) -> tuple[str, bytes]:
    """cosmos-sdk bech32.DecodeAndConvert (btcutil bech32.Decode + ConvertBits(5, 8, false)).

    Returns the lower-case prefix and the payload. All-upper-case input is valid (and decodes to the same
    bytes); mixed case is not.
    """
    if len(text) > limit or len(text) < 8:
        raise Bech32Error(f"invalid bech32 string length {len(text)}")
    if any(not 33 <= ord(c) <= 126 for c in text):
        raise Bech32Error("invalid character in bech32 string")
    if text.lower() != text and text.upper() != text:
        raise Bech32Error("string not all lowercase or all uppercase")
    text = text.lower()
    sep = text.rfind("1")
    if sep < 1 or sep + 7 > len(text):
        raise Bech32Error("invalid separator index")
    hrp, data_part = text[:sep], text[sep + 1 :]
    try:
        data = [_BECH32_CHARSET.index(c) for c in data_part]
    except ValueError:
        raise Bech32Error("invalid character not part of charset") from None
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    if _polymod(expanded + data) != 1:
        raise Bech32Error("invalid checksum")
    acc = bits = 0
    out = bytearray()
    for value in data[:-6]:
        acc = (acc << 5) | value
        bits += 5
        while bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    if bits >= 5 or (acc << (8 - bits)) & 0xFF:
        raise Bech32Error("invalid padding")
    return hrp, bytes(out)


def address_error(text: str, prefix: str) -> str | None:
    """The SDK's bech32 address codec ``StringToBytes`` plus ``sdk.VerifyAddressFormat`` (1..255 bytes)."""
    if is_blank(text):
        return "empty address string is not allowed"
    try:
        hrp, payload = bech32_decode(text)
    except Bech32Error as exc:
        return f"decoding bech32 failed: {exc}"
    if hrp != prefix:
        return f"prefix {hrp!r} is not {prefix!r}"
    if not payload:
        return "addresses cannot be empty"
    if len(payload) > 255:
        return f"address max length is 255, got {len(payload)}"
    return None
