"""The one rendering rule for text that came from a file, a QR code or a chain.

Why: a terminal interprets ESC sequences (cursor movement, erase line) and a bidi override reorders what the
eye reads, so a message field can hide other messages of the transaction a user is about to sign. Every CLI
printer and every GUI view passes untrusted text through :func:`visible` (one line) or :func:`visible_block`
(multi-line) before showing it; Qt labels that show it are plain text (``gui.formatting.plain_label``).

Rule (the same everywhere):
- C0 controls (except the newline in :func:`visible_block`), DEL and C1 controls are shown as ``\\xNN``;
  a backslash is shown as ``\\\\`` so an escape written literally in the data cannot pass for one we made;
- bidi embeddings/overrides/isolates/marks, zero-width and other invisible format characters, line/paragraph
  separators, and unassigned/private/surrogate code points are shown as ``<U+XXXX>``;
- tabs are shown as ``\\t`` (they move the cursor), carriage returns as ``\\r``;
- newlines: :func:`visible` shows them as ``\\n`` (one line per value); :func:`visible_block` keeps ``\\n`` as a
  line break and prefixes every continuation line with ``indent`` so a value cannot fake a new review line.
Nothing is dropped and nothing is interpreted.
"""

from __future__ import annotations

import unicodedata
from typing import Any

# Characters that are printable per unicodedata but still reorder or hide text: shown by code point.
_ALWAYS_ESCAPED = frozenset(
    [0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064,
     0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFFA0, 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB, 0xFFFC]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
    + list(range(0x206A, 0x2070))
    + list(range(0xFE00, 0xFE10))  # variation selectors
    + list(range(0xE0000, 0xE0080))  # tag characters
)
# Unicode categories that are never shown as themselves: controls, format, surrogates, private use, unassigned,
# line/paragraph separators.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_NAMED = {"\t": "\\t", "\r": "\\r", "\n": "\\n", "\\": "\\\\"}


def _escape_char(ch: str) -> str:
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def _needs_escape(ch: str) -> bool:
    code = ord(ch)
    if 0x20 <= code < 0x7F:
        return ch == "\\"
    if code in _ALWAYS_ESCAPED:
        return True
    if ch in _NAMED or code < 0x20 or 0x7F <= code <= 0x9F:
        return True
    return unicodedata.category(ch) in _ESCAPED_CATEGORIES


def visible(value: Any) -> str:
    """One line: every control, bidi, zero-width and line-breaking character shown escaped."""
    text = value if isinstance(value, str) else str(value)
    if text.isascii() and text.isprintable() and "\\" not in text:
        return text  # the common case, fast
    return "".join(_escape_char(ch) if _needs_escape(ch) else ch for ch in text)


def visible_block(value: Any, *, indent: str = "  ") -> str:
    """Several lines: ``\\n`` stays a line break (continuation lines indented), everything else as :func:`visible`."""
    text = value if isinstance(value, str) else str(value)
    return ("\n" + indent).join(visible(line) for line in text.split("\n"))


def visible_repr(value: Any) -> str:
    """A quoted, escaped form (like ``repr`` of a str, but with the one rule): ``'abc\\x1b'``."""
    return "'" + visible(value).replace("'", "\\'") + "'"


def terminal_safe(text: str) -> str:
    """Last line of defence for a whole terminal stream: every control/bidi/zero-width character except the
    newline and tab the printers themselves use for layout is escaped. Backslashes are left alone (values were
    already escaped by :func:`visible`), so this never double-escapes."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        ch if ch in "\n\t" or ch == "\\" or not _needs_escape(ch) else _escape_char(ch) for ch in text
    )


class TerminalSafeWriter:
    """Wraps a text stream (the CLI's stdout/stderr) so no escape sequence from any printer reaches a terminal."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        # A leading carriage return is the printer's own progress-line rewrite, never data.
        if text.startswith("\r"):
            self._stream.write("\r" + terminal_safe(text[1:]))
        else:
            self._stream.write(terminal_safe(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
