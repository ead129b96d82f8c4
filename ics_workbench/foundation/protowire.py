"""The two protobuf wire-format pieces the core writes by hand: the unsigned varint and a length-delimited field.

They are needed where a generated class is not at hand (the chain layer does not import protobuf modules) or
where the bytes are not a protobuf message at all (amino's binary pubkey, the length prefix of a delimited
vote). Everything else is encoded by the generated classes.
"""

from __future__ import annotations


def uvarint(value: int) -> bytes:
    """Protobuf unsigned varint (7 bits a byte, least significant first)."""
    if value < 0:
        raise ValueError(f"a varint is unsigned, got {value}")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if not value:
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def varint_field(number: int, value: int) -> bytes:
    """Field ``number`` as a varint (wire type 0); proto3 leaves a zero value out."""
    return uvarint(number << 3) + uvarint(value) if value else b""


def bytes_field(number: int, value: bytes) -> bytes:
    """Field ``number`` as length-delimited bytes (wire type 2); proto3 leaves empty bytes out."""
    return uvarint(number << 3 | 2) + uvarint(len(value)) + value if value else b""
