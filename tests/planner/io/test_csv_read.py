"""Reading CSV files as spreadsheets and other sites write them: encodings, delimiters, quoting."""

from __future__ import annotations

import codecs
import csv

import pytest

from planner.errors import ValidationError
from planner.io.csv_io import read_table

ROWS = "Title,Labels,Labels,Due\r\nRéunion café,a,b,2026-02-15\r\n"


def test_utf8_with_and_without_bom() -> None:
    for data in (ROWS.encode(), codecs.BOM_UTF8 + ROWS.encode()):
        t = read_table(data)
        assert t.header == ["Title", "Labels", "Labels", "Due"]
        assert t.rows == [["Réunion café", "a", "b", "2026-02-15"]]


def test_utf16_with_bom() -> None:
    t = read_table(ROWS.encode("utf-16"))
    assert t.encoding == "utf-16"
    assert t.rows[0][0] == "Réunion café"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(encoding: str) -> None:
    t = read_table(ROWS.encode(encoding))
    assert t.encoding == encoding
    assert t.rows[0][0] == "Réunion café"


def test_cp1252_from_excel_is_detected() -> None:
    data = "Title;Price\r\nCaf\u00e9 \u2013 \u20ac5;1\r\n".encode("cp1252")
    t = read_table(data)
    assert t.encoding == "cp1252"
    assert t.delimiter == ";"
    assert t.rows == [["Café – €5", "1"]]


def test_chosen_encoding_that_does_not_fit_says_where() -> None:
    with pytest.raises(ValidationError, match="cannot be read as utf-8: byte 0xe9"):
        read_table("Title\nCaf\u00e9\n".encode("cp1252"), encoding="utf-8")


@pytest.mark.parametrize("delim", [",", ";", "\t"])
def test_delimiters_are_sniffed(delim: str) -> None:
    text = delim.join(["Title", '"Note, with; both\tkinds"', "End"]) + "\n" + delim.join(
        ["A", "x", "2026-01-01"]) + "\n"
    t = read_table(text.encode())
    assert t.delimiter == delim
    assert t.header[1] == "Note, with; both\tkinds"
    assert t.rows == [["A", "x", "2026-01-01"]]


def test_crlf_and_newline_inside_a_quoted_field_keep_line_numbers() -> None:
    text = 'Title,Description\r\nA,"two\r\nlines"\r\nB,plain\r\n'
    t = read_table(text.encode())
    assert t.rows == [["A", "two\r\nlines"], ["B", "plain"]]
    assert t.lines == [2, 4]


def test_unterminated_quote_names_its_line() -> None:
    text = 'Title,Description\nA,ok\nB,"never closed\nC,more\n'
    with pytest.raises(ValidationError, match=r"line 3: a quoted value .* never closed"):
        read_table(text.encode(), name="bad.csv")


def test_text_after_a_closing_quote_is_an_error_with_its_line() -> None:
    with pytest.raises(ValidationError, match="line 2: the quoting is broken"):
        read_table(b'Title,Note\n"A"x,1\n')


def test_a_1mb_field_reads_and_the_field_limit_is_left_alone() -> None:
    before = csv.field_size_limit()
    big = "x" * 1_048_576
    t = read_table(f'Title,Description\nA,"{big}"\n'.encode())
    assert t.rows[0][1] == big
    assert csv.field_size_limit() == before


def test_header_only_file_has_no_rows() -> None:
    t = read_table(b"Title,Due\r\n")
    assert t.header == ["Title", "Due"]
    assert t.rows == []


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", codecs.BOM_UTF8])
def test_empty_file_is_refused_clearly(data: bytes) -> None:
    with pytest.raises(ValidationError, match="empty"):
        read_table(data, name="empty.csv")


def test_duplicate_columns_are_all_kept() -> None:
    t = read_table(b"Summary,Labels,Labels,Labels,Sprint,Sprint\nA,x,y,z,S1,S2\n")
    assert t.header.count("Labels") == 3
    assert t.rows[0] == ["A", "x", "y", "z", "S1", "S2"]


def test_a_roadmap_file_is_named_as_such_not_as_an_encoding(sample_path) -> None:
    """The wizard and `roadmap import` read through read_table; a .roadmap is not text."""
    with pytest.raises(ValidationError) as err:
        read_table(sample_path.read_bytes(), name="s.roadmap")
    assert str(err.value) == "s.roadmap is a roadmap file, not a CSV or JSON export"
    with pytest.raises(ValidationError, match="s.roadmap is a roadmap file"):
        read_table(sample_path.read_bytes(), encoding="utf-16-be", name="s.roadmap")


def test_other_databases_and_binary_files_are_not_text() -> None:
    other_db = b"SQLite format 3\x00" + bytes(100)
    with pytest.raises(ValidationError, match="^x.db is a database file, not a CSV"):
        read_table(other_db, name="x.db")
    png_like = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    with pytest.raises(ValidationError, match="^x.csv is not a text file"):
        read_table(png_like, name="x.csv")
    few_nuls = b"Title,Start\nA\x00,2026-01-01\n"
    with pytest.raises(ValidationError, match="^x.csv is not a text file"):
        read_table(few_nuls, name="x.csv")
