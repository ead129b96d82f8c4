"""The one rendering rule for untrusted text: nothing invisible or interpreted survives, nothing is dropped."""

from __future__ import annotations

import io

from hypothesis import given, settings, strategies as st

from ics_workbench.untrusted_text import TerminalSafeWriter, terminal_safe, visible, visible_block, visible_repr

DANGEROUS = ["\x1b", "\x07", "\x08", "\x7f", "\x9b", "\x85", "\r", "\u202e", "\u202a", "\u2066", "\u2069",
             "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u2028", "\u2029"]


def test_controls_bidi_and_zero_width_are_shown_escaped() -> None:
    assert visible("a\x1b[2Kb") == "a\\x1b[2Kb"
    assert visible("\x9b1A") == "\\x9b1A"
    assert visible("\x7f") == "\\x7f"
    assert visible("abc\u202Edef") == "abc<U+202E>def"
    assert visible("x\u200by") == "x<U+200B>y"
    assert visible("\ufeff") == "<U+FEFF>"
    assert visible("\u061c") == "<U+061C>"
    assert visible("tab\there") == "tab\\there"
    assert visible("one\ntwo") == "one\\ntwo"
    assert visible("back\\x1b") == "back\\\\x1b"  # a literal backslash cannot pass for one of our escapes
    assert visible("moniker ✓ Zürich 验证") == "moniker ✓ Zürich 验证"  # printable text is left alone
    assert visible_repr("it's") == "'it\\'s'"


def test_block_keeps_newlines_but_indents_continuations() -> None:
    assert visible_block("a\nb\x1b", indent="   ") == "a\n   b\\x1b"


@settings(max_examples=300)
@given(st.text())
def test_no_dangerous_character_survives(text: str) -> None:
    for out in (visible(text), visible_block(text)):
        assert not any(ch in out for ch in DANGEROUS)
    assert "\n" not in visible(text)
    assert "\x1b" not in terminal_safe(text)


@settings(max_examples=200)
@given(st.text())
def test_escaping_is_lossless(text: str) -> None:
    """Different inputs never render the same (nothing is silently dropped)."""
    other = text + "\u202e"
    assert visible(text) != visible(other)


def test_terminal_writer_escapes_everything_but_layout() -> None:
    sink = io.StringIO()
    writer = TerminalSafeWriter(sink)
    writer.write("a\tb\n\x1b[1A\x1b[2K\u202e\n")
    writer.write("\r 50% progress\x1b")
    assert sink.getvalue() == "a\tb\n\\x1b[1A\\x1b[2K<U+202E>\n\r 50% progress\\x1b"
