"""LSP positions count UTF-16 code units from 0; actorlint's count code points from 1."""

from __future__ import annotations

from actorlint.lsp.positions import LineIndex

# Offsets, by hand: a0 b1 \r2 \n3 c4 d5 \n6 🎬7 x8 \n9 y10 (end 11).
TEXT = "ab\r\ncd\n🎬x\ny"


def test_offsets_become_lines_and_utf16_characters() -> None:
    index = LineIndex(TEXT)
    assert index.lsp_position_of_offset(0) == (0, 0)
    assert index.lsp_position_of_offset(4) == (1, 0)  # CRLF ends a line
    assert index.lsp_position_of_offset(8) == (2, 2)  # the emoji is two UTF-16 units
    assert index.lsp_position_of_offset(9) == (2, 3)
    assert index.lsp_position_of_offset(100) == (3, 1)  # past the end: the end


def test_lines_and_columns_become_lsp_positions() -> None:
    index = LineIndex(TEXT)
    assert index.lsp_position(1, 1) == (0, 0)
    assert index.lsp_position(3, 2) == (2, 2)  # column 2 is after one code point, two units
    assert index.lsp_position(4, 2) == (3, 1)
