"""CSV in and out: reading any spreadsheet's or Jira's CSV, planning an import, writing cards.

Reading keeps every column, duplicates included (Jira repeats ``Labels``), and is strict
about quoting. An import is first planned (pure: rows become card fields and per-row
problems) and then applied to the roadmap in one transaction.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from planner import validate
from planner.errors import ValidationError
from planner.io import jira
from planner.io.dates_parse import (
    DATE_ORDERS,
    DateProblem,
    column_order,
    parse_date,
    slash_order_hint,
)
from planner.model import PRIORITY_LABELS, STATUS_LABELS, Card
from planner.store import Roadmap

MAX_CSV_BYTES = 512 * 1024 * 1024
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1")
DELIMITERS = (",", ";", "\t")

# Card fields a column can feed, with the header our own export writes for each.
FIELDS: dict[str, str] = {
    "title": "Title",
    "external_key": "Key",
    "lane": "Lane",
    "start": "Start",
    "end": "End",
    "kind": "Kind",
    "status": "Status",
    "priority": "Priority",
    "estimate": "Estimate",
    "tags": "Tags",
    "owner": "Owner",
    "description": "Description",
    "as_a": "As a",
    "i_want": "I want",
    "so_that": "So that",
    "criteria": "Acceptance criteria",
    "reach": "Reach",
    "impact": "Impact",
    "confidence": "Confidence",
    "effort": "Effort",
    "date_confidence": "Date confidence",
    "color": "Colour",
    "link": "Link",
    "objective": "Objective",
    "hypothesis": "Hypothesis",
    "measure": "Measure",
    "internal": "Internal",
}
# Only read as a fallback: Jira's Status Category when the Status is one of a site's own.
EXTRA_FIELDS = {"status_category": "Status category"}
IMPORT_FIELDS = {**FIELDS, **EXTRA_FIELDS}

_SYNONYMS = {
    "name": "title", "summary": "title", "card": "title", "item": "title",
    "issue key": "external_key", "external key": "external_key", "id in jira": "external_key",
    "theme": "lane", "team": "lane", "swimlane": "lane",
    "start date": "start", "begin": "start", "from": "start",
    "end date": "end", "due": "end", "due date": "end", "finish": "end", "to": "end",
    "type": "kind", "issue type": "kind",
    "moscow": "priority",
    "points": "estimate", "story points": "estimate", "story point estimate": "estimate",
    "tag": "tags", "labels": "tags", "label": "tags",
    "assignee": "owner",
    "url": "link",
    "color": "color",
    "criteria": "criteria",
}  # fmt: skip
_NUMBER_FIELDS = {"estimate", "reach", "impact", "confidence", "effort"}
_TEXT_FIELDS = {"description", "owner", "as_a", "i_want", "so_that", "link", "hypothesis",
                "measure"}  # fmt: skip

KIND_VALUES = {
    "initiative": "initiative", "epic": "epic", "feature": "feature", "story": "story",
    "user story": "story",
}  # fmt: skip
STATUS_VALUES = {
    **{k: k for k in STATUS_LABELS}, **{v.casefold(): k for k, v in STATUS_LABELS.items()},
    "in progress": "in_progress",
}  # fmt: skip
PRIORITY_VALUES = {
    **{k: k for k in PRIORITY_LABELS}, **{v.casefold(): k for k, v in PRIORITY_LABELS.items()},
    "won't": "wont", "wont have": "wont", "must have": "must", "should have": "should",
    "could have": "could",
}  # fmt: skip
_TRUE = {"1", "true", "yes", "y", "x", "internal"}
_FALSE = {"", "0", "false", "no", "n", "public"}

# Spreadsheets run a cell that starts with one of these; an apostrophe in front stops them.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_CRITERION = re.compile(r"\[( |x|X)\] ?(.*)")
_field_limit_lock = threading.Lock()


class AmbiguousDates(ValidationError):
    """Slashed dates that read either day-first or month-first; the user must choose."""

    def __init__(self, columns: Sequence[str], example: str) -> None:
        self.columns = tuple(columns)
        self.example = example
        names = ", ".join(dict.fromkeys(columns))
        super().__init__(
            f"dates in {names} such as {example!r} could be day/month or month/day: "
            "choose the date order (--date-order dmy or mdy)"
        )


@dataclass(frozen=True)
class ImportProblem:
    """One cell of one row that cannot become part of a card."""

    line: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        value = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        shown = f" {value!r}" if self.value else ""
        return f"{where}{shown}: {self.message}"


@dataclass
class CsvTable:
    """A decoded CSV file: its header (duplicates kept), rows and where each row starts."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    encoding: str
    delimiter: str
    name: str = "file"


@dataclass
class RowSpec:
    """Card fields read from one row, with lane and objective still given by name."""

    line: int
    fields: dict[str, Any]
    lane: str | None = None
    objective: str | None = None
    card_id: int | None = None  # the existing card this row updates


@dataclass
class ImportPlan:
    """What an import would do: the good rows, the problems, and notes for the user."""

    table: CsvTable
    rows: list[RowSpec]
    problems: list[ImportProblem]
    notes: list[str] = field(default_factory=list)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({p.line for p in self.problems})


@dataclass
class ImportReport:
    """What an import did; ``str()`` is the summary shown to the user."""

    source: str
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    skipped_lines: list[int] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    lanes_created: list[int] = field(default_factory=list)
    objectives_created: list[int] = field(default_factory=list)
    updated_before: dict[int, dict[str, Any]] = field(default_factory=dict)
    updated_after: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    summary: str = ""

    def __str__(self) -> str:
        if self.summary:
            return self.summary
        parts = [f"{len(self.created)} created", f"{len(self.updated)} updated"]
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        parts.append(f"{len(self.skipped_lines)} skipped")
        text = f"{self.source}: " + ", ".join(parts)
        if self.lanes_created:
            text += f"; {len(self.lanes_created)} new lanes"
        if self.seconds:
            text += f" ({self.seconds:.1f} s)"
        lines = [text, *self.notes]
        for problem in self.problems[:50]:
            lines.append(f"  {problem}")
        if len(self.problems) > 50:
            lines.append(f"  … and {len(self.problems) - 50} more problems")
        return "\n".join(lines)


# ----- our own card keys


def own_key_prefix(roadmap: Roadmap) -> str:
    """The start of the keys our CSV export gives cards that have no external key.

    ``RP-<6 hex digits of this roadmap>-<card id>``: the middle part tells this roadmap's
    cards from another's, so that importing a CSV exported from a different roadmap can never
    update an unrelated card that happens to have the same id. A copy of the file (Save a
    Copy, a JSON round trip) keeps it, as it keeps the card ids.
    """
    created = str(roadmap._q("SELECT created FROM roadmap WHERE id = 1")[0][0])
    return f"RP-{hashlib.sha1(created.encode('utf-8')).hexdigest()[:6]}-"


# ----- reading


def detect_encoding(data: bytes) -> str:
    """The encoding of a CSV file: a BOM decides, else UTF-8 if it decodes, else cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4096]
    if len(head) >= 4 and head.count(0) * 3 > len(head):  # UTF-16 that lost its BOM
        odd_zeros = head[1::2].count(0)
        return "utf-16-le" if odd_zeros > head[0::2].count(0) else "utf-16-be"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"  # every byte decodes; cp1252 leaves five undefined


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in text[:65536]:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if ch in "\r\n":
                break
            if ch in counts:
                counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def decode(data: bytes, encoding: str | None, name: str) -> tuple[str, str]:
    """The text of the file and the encoding used; a roadmap or binary file is refused."""
    from planner.io._files import refuse_binary, refuse_nul_text

    refuse_binary(data, name, encoding_given=bool(encoding))
    enc = encoding or detect_encoding(data)
    if enc in ("utf-8", "utf8") and data.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{name} cannot be read as {enc}: byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start:,} does not fit; choose another encoding"
        ) from None
    except LookupError:
        raise ValidationError(f"{enc!r} is not an encoding this program knows") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    refuse_nul_text(text, name)
    return text, enc


def parse_text(text: str, delimiter: str | None = None, name: str = "file",
               encoding: str = "utf-8") -> CsvTable:  # fmt: skip
    """Split CSV text into header and rows, strictly; a quoting error names its line."""
    if not text.strip():
        raise ValidationError(f"{name} is empty: there is no header row")
    delim = delimiter or sniff_delimiter(text)
    if delim not in DELIMITERS:
        raise ValidationError("The delimiter must be a comma, a semicolon or a tab")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    # The limit is process-wide; lift it for this read only, then put it back as it was.
    with _field_limit_lock:
        old = csv.field_size_limit()
        csv.field_size_limit(max(old, len(text) + 1))
        try:
            start = 1
            while True:
                start = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                if not row or (len(row) == 1 and not row[0] and not rows):
                    continue
                rows.append(row)
                lines.append(start)
        except csv.Error as exc:
            message = str(exc)
            if "unexpected end of data" in message or "EOF" in message:
                raise ValidationError(
                    f"{name}, line {start}: a quoted value that starts on this line is never "
                    "closed (a missing \")"
                ) from None
            raise ValidationError(
                f"{name}, line {reader.line_num}: the quoting is broken ({message})"
            ) from None
        finally:
            csv.field_size_limit(old)
    if not rows:
        raise ValidationError(f"{name} is empty: there is no header row")
    header = [h.strip() for h in rows[0]]
    return CsvTable(header, rows[1:], lines[1:], encoding, delim, name)


def read_table(data: bytes, encoding: str | None = None, delimiter: str | None = None,
               name: str = "file") -> CsvTable:  # fmt: skip
    """Decode and parse a CSV file's bytes (encoding and delimiter detected when None)."""
    if not data:
        raise ValidationError(f"{name} is empty: there is no header row")
    text, enc = decode(data, encoding, name)
    return parse_text(text, delimiter, name, enc)


def unprotect(cell: str) -> str:
    """Undo the apostrophe our export puts before a cell a spreadsheet would run."""
    if cell.startswith("'") and _FORMULA.match(cell, 1):
        return cell[1:]
    return cell


def protect(cell: str) -> str:
    """Put an apostrophe before a cell that a spreadsheet would run as a formula."""
    return "'" + cell if _FORMULA.match(cell) else cell


# ----- mapping columns to fields


def detect_preset(header: Sequence[str]) -> str:
    """'jira' when the header looks like a Jira export, else 'generic'."""
    names = {h.casefold() for h in header}
    return "jira" if {"summary", "issue key"} <= names else "generic"


def default_mapping(header: Sequence[str], preset: str) -> list[str | None]:
    """The field each column feeds (None: ignored) for a preset."""
    result: list[str | None] = []
    for name in header:
        key = " ".join(name.casefold().split())
        if preset == "jira":
            result.append(jira.COLUMNS.get(key))
            continue
        found = None
        for fname, label in IMPORT_FIELDS.items():
            if key in (fname, label.casefold(), fname.replace("_", " ")):
                found = fname
        result.append(found or _SYNONYMS.get(key))
    return result


def apply_overrides(header: Sequence[str], mapping: list[str | None], overrides: Iterable[str],
                    lane_from: str | None) -> list[str | None]:  # fmt: skip
    """Apply ``COLUMN=field`` overrides (field '-' ignores the column) and the lane column."""
    result = list(mapping)
    folded = [h.casefold() for h in header]
    for item in overrides:
        column, sep, fname = item.partition("=")
        column, fname = column.strip(), fname.strip()
        if not sep or not column:
            raise ValidationError(f"--map takes COLUMN=field, not {item!r}")
        if fname in ("-", "", "ignore", "none"):
            target: str | None = None
        elif fname in IMPORT_FIELDS:
            target = fname
        else:
            raise ValidationError(
                f"{fname!r} is not a card field; fields are {', '.join(IMPORT_FIELDS)}"
            )
        hits = [i for i, h in enumerate(folded) if h == column.casefold()]
        if not hits:
            raise ValidationError(f"there is no column {column!r} in the file")
        for i in hits:
            result[i] = target
    if lane_from:
        hits = [i for i, h in enumerate(folded) if h == lane_from.casefold()]
        if not hits:
            raise ValidationError(f"there is no column {lane_from!r} in the file")
        result = [None if f == "lane" else f for f in result]
        for i in hits:
            result[i] = "lane"
    return result


# ----- planning an import


def _number(text: str) -> float:
    try:
        value = float(text.replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        raise ValueError("is not a number") from None
    return value


def _criteria(text: str) -> list[dict[str, Any]]:
    result = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _CRITERION.fullmatch(line.strip())
        if m:
            result.append({"text": m.group(2), "done": m.group(1) in "xX"})
        else:
            result.append({"text": line.strip(), "done": False})
    return result


def date_orders(table: CsvTable, mapping: Sequence[str | None],
                date_order: str | None) -> dict[int, str | None]:  # fmt: skip
    """The day/month order of each date column; raises AmbiguousDates when it must be asked."""
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ValidationError("The date order is dmy (day first) or mdy (month first)")
    orders: dict[int, str | None] = {}
    ambiguous: list[str] = []
    decided: dict[str, str] = {}
    example = ""
    # One file is written in one locale: a column that settles the order settles it for all.
    for i, fname in enumerate(mapping):
        if fname not in ("start", "end"):
            continue
        orders[i] = date_order
        if date_order is not None:
            continue
        values = [r[i] for r in table.rows if i < len(r)]
        try:
            found = column_order(values)
        except DateProblem as exc:
            raise ValidationError(f"{table.header[i]}: {exc}; choose the date order") from None
        if found == "ambiguous":
            ambiguous.append(table.header[i])
            example = example or next(v for v in values if slash_order_hint(v) == "")
        elif found is not None:
            decided.setdefault(found, table.header[i])
    if len(decided) > 1:
        raise ValidationError(
            f"{decided['dmy']} has day/month/year dates but {decided['mdy']} has "
            "month/day/year; choose the date order"
        )
    if decided:
        order = next(iter(decided))
        orders = {i: order for i in orders}
    elif ambiguous:
        raise AmbiguousDates(ambiguous, example.strip())
    return orders


def plan_import(
    table: CsvTable,
    mapping: Sequence[str | None],
    existing: Iterable[Card] = (),
    preset: str = "generic",
    date_order: str | None = None,
    lane_names: Mapping[int, str | None] | None = None,
    own_prefix: str = "",
) -> ImportPlan:
    """Read every row into card fields; rows with problems are listed, not half-read.

    ``lane_names`` gives a lane by row index where a preset works it out across rows (Jira
    epics). Rows whose external key matches an existing card update that card; so do rows
    with the key our export gave a card of this roadmap (``own_prefix`` and its id).
    """
    if len(mapping) != len(table.header):
        raise ValidationError("The column mapping does not match the file's columns")
    if "title" not in mapping:
        raise ValidationError(
            f"no column is mapped to the title; the columns are: {', '.join(table.header[:20])}"
        )
    orders = date_orders(table, mapping, date_order)
    existing = list(existing)
    by_key = {c.external_key: c for c in existing if c.external_key}
    own_key = re.compile(re.escape(own_prefix) + r"(\d+)") if own_prefix else None
    by_id = {c.id: c for c in existing if not c.external_key}
    seen_keys: dict[str, int] = {}
    rows: list[RowSpec] = []
    problems: list[ImportProblem] = []
    notes: list[str] = []
    unknown_kinds: dict[str, int] = {}
    stretched = 0
    width = len(table.header)
    for index, (raw, line) in enumerate(zip(table.rows, table.lines)):
        row_problems: list[ImportProblem] = []

        def problem(col: int, value: str, message: str, line: int = line,
                    sink: list[ImportProblem] = row_problems) -> None:  # fmt: skip
            sink.append(ImportProblem(line, table.header[col] if col >= 0 else "", value, message))

        if len(raw) > width and any(c.strip() for c in raw[width:]):
            problem(-1, "", f"has {len(raw)} values but the header has {width} columns")
        fields: dict[str, Any] = {}
        tags: list[str] = []
        dates: dict[str, tuple[int, dt.date]] = {}
        lane: str | None = None
        objective: str | None = None
        status_category: tuple[int, str] | None = None
        for col, fname in enumerate(mapping):
            if fname is None or col >= len(raw):
                continue
            cell = unprotect(raw[col])
            value = cell.strip()
            if fname == "tags":
                if value:
                    tags.append(value)
                continue
            if not value and not (fname == "description" and cell):
                continue  # a description keeps its exact text, even if only white space
            if fname in ("title", "external_key", "lane", "objective") and fname in fields:
                continue  # the first non-empty column of several wins
            try:
                if fname == "title":
                    fields["title"] = validate.title(value)
                elif fname == "external_key":
                    if len(value) > 200:
                        raise ValueError("is longer than 200 characters")
                    fields["external_key"] = value
                elif fname == "lane":
                    lane = lane or validate.title(value, "Lane name")
                elif fname == "objective":
                    objective = objective or validate.title(value, "Objective name")
                elif fname in ("start", "end"):
                    if fname not in dates:
                        day = parse_date(value, orders.get(col))
                        if day is not None:
                            validate.date(day, "Date")
                            dates[fname] = (col, day)
                elif fname == "kind":
                    kind = KIND_VALUES.get(value.casefold()) or jira.KINDS.get(value.casefold())
                    if kind is None and preset == "jira":
                        unknown_kinds[value] = unknown_kinds.get(value, 0) + 1
                        kind = "feature"
                    if kind is None:
                        raise ValueError("is not a kind (initiative, epic, feature, story)")
                    fields["kind"] = kind
                elif fname == "status":
                    status = STATUS_VALUES.get(value.casefold()) or jira.STATUSES.get(
                        value.casefold())
                    if status is None:
                        fields["_status"] = (col, value)
                    else:
                        fields["status"] = status
                elif fname == "status_category":
                    status_category = (col, value)
                elif fname == "priority":
                    prio = PRIORITY_VALUES.get(value.casefold()) or jira.PRIORITIES.get(
                        value.casefold())
                    if prio is None:
                        raise ValueError("is not a priority (Must, Should, Could, Won't)")
                    fields["priority"] = prio
                elif fname in _NUMBER_FIELDS:
                    fields[fname] = _number(value)
                elif fname in _TEXT_FIELDS:
                    fields[fname] = cell if fname == "description" else value
                elif fname == "criteria":
                    fields["criteria"] = _criteria(cell)
                elif fname == "date_confidence":
                    fields["date_confidence"] = value.casefold()
                elif fname == "color":
                    fields["color"] = value
                elif fname == "internal":
                    flag = value.casefold()
                    if flag not in _TRUE | _FALSE:
                        raise ValueError("is not yes or no")
                    fields["internal"] = flag in _TRUE
            except (ValueError, ValidationError) as exc:
                problem(col, value, _reason(exc))
        if "_status" in fields:
            col, value = fields.pop("_status")
            fallback = (jira.STATUSES.get(status_category[1].casefold())
                        if status_category else None)  # fmt: skip
            if fallback:
                fields["status"] = fallback
            else:
                problem(col, value, "is not a status (idea, planned, in progress, done, "
                        "dropped)")  # fmt: skip
        if tags:
            fields["tags"] = tags
        if dates:
            start = dates.get("start", dates.get("end"))
            end = dates.get("end", dates.get("start"))
            assert start is not None and end is not None
            if end[1] < start[1]:
                problem(end[0], raw[end[0]].strip(), f"ends before it starts ({start[1]})")
            else:
                fields["start"], fields["end"] = start[1], end[1]
                if preset == "jira" and len(dates) == 1 and _stretch(fields, "end" in dates):
                    stretched += 1
        if "title" not in fields and not row_problems:
            if not any(c.strip() for c in raw):
                continue  # a blank row
            title_cols = [i for i, f in enumerate(mapping) if f == "title"]
            problem(title_cols[0], "", "is empty; every card needs a title")
        if lane_names is not None and lane is None:
            lane = lane_names.get(index)
        if not row_problems:
            try:
                validate.card_fields(dict(fields), set(), set(), creating=True)
            except ValidationError as exc:
                problem(-1, "", str(exc))
        key = fields.get("external_key")
        if key and not row_problems:
            if key in seen_keys:
                problem(mapping.index("external_key"), key,
                        f"is also the key on line {seen_keys[key]}")  # fmt: skip
            seen_keys.setdefault(key, line)
        if row_problems:
            problems.extend(row_problems)
            continue
        match = by_key.get(key) if key else None
        own = own_key.fullmatch(key) if key and own_key and match is None else None
        if own and int(own.group(1)) in by_id:
            match = by_id[int(own.group(1))]
            del fields["external_key"]  # the card is known by its id; it keeps no copy of it
        rows.append(RowSpec(line, fields, lane, objective, match.id if match else None))
    for kind, count in unknown_kinds.items():
        notes.append(f"{count} rows of issue type {kind!r} became features")
    if stretched:
        notes.append(f"{stretched} issues with only a due date or only a start date got the "
                     "usual length of their kind (story 5 days, feature 14, epic 42, "
                     "initiative 90)")  # fmt: skip
    return ImportPlan(table, rows, problems, notes)


def _stretch(fields: dict[str, Any], due_only: bool) -> bool:
    """Give a one-day Jira issue the usual length of its kind, ending on its due date.

    With only a start date the issue starts on it. Returns False when the longer span would
    leave the dates a card may have; the card then stays one day long.
    """
    days = dt.timedelta(days=jira.DEFAULT_DAYS.get(fields.get("kind", "feature"), 14) - 1)
    day: dt.date = fields["start"]
    try:
        first, last = (day - days, day) if due_only else (day, day + days)
        validate.date(first, "Date")
        validate.date(last, "Date")
    except (OverflowError, ValidationError):
        return False
    fields["start"], fields["end"] = first, last
    return True


def _reason(exc: Exception) -> str:
    text = str(exc)
    if isinstance(exc, DateProblem):
        return text.split(": ", 1)[-1] if text.startswith("'") else text
    return text


# ----- applying an import


def _rows(n: int) -> str:
    return "1 row has" if n == 1 else f"{n:,} rows have"


def _changed_fields(card: Card, fields: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        current = getattr(card, key)
        if key == "tags":
            value = validate.tags(value)
        elif key == "criteria":
            value = validate.criteria(value)
        if current != value:
            out[key] = value
    return out


def apply_import(roadmap: Roadmap, plan: ImportPlan, skip_bad_rows: bool,
                 source: str = "") -> ImportReport:  # fmt: skip
    """Create and update the cards of a plan in ONE transaction; problems abort unless skipped."""
    report = ImportReport(source or plan.table.name, notes=list(plan.notes))
    report.problems = list(plan.problems)
    if plan.problems and not skip_bad_rows:
        shown = "; ".join(str(p) for p in plan.problems[:5])
        more = f" (and {len(plan.problems) - 5} more)" if len(plan.problems) > 5 else ""
        raise ValidationError(
            f"{_rows(len(plan.bad_lines))} problems, so nothing was imported: {shown}{more}. "
            "Fix them, or skip those rows (--skip-bad-rows)"
        )
    report.skipped_lines = plan.bad_lines
    with roadmap.transaction():
        lanes = {lane.name.casefold(): lane.id for lane in roadmap.lanes()}
        objectives = {o.name.casefold(): o.id for o in roadmap.objectives()}
        current = roadmap.cards_by_id([r.card_id for r in plan.rows if r.card_id is not None])
        new_specs: list[dict[str, Any]] = []
        updates: dict[int, dict[str, Any]] = {}
        for row in plan.rows:
            fields = dict(row.fields)
            if row.lane:
                if row.lane.casefold() not in lanes:
                    created = roadmap.add_lane(row.lane)
                    lanes[row.lane.casefold()] = created.id
                    report.lanes_created.append(created.id)
                fields["lane_id"] = lanes[row.lane.casefold()]
            if row.objective:
                if row.objective.casefold() not in objectives:
                    made = roadmap.add_objective(row.objective)
                    objectives[row.objective.casefold()] = made.id
                    report.objectives_created.append(made.id)
                fields["objective_id"] = objectives[row.objective.casefold()]
            card = current.get(row.card_id) if row.card_id is not None else None
            if card is None:  # no match, or the matched card was deleted since planning
                new_specs.append(fields)
                continue
            change = _changed_fields(card, fields)
            if not change:
                report.unchanged += 1
                continue
            updates[card.id] = change
            report.updated_before[card.id] = {k: getattr(card, k) for k in change}
            report.updated_after[card.id] = change
        if new_specs:
            report.created = [c.id for c in roadmap.add_cards(new_specs)]
        if updates:
            roadmap.update_cards(updates)
            report.updated = list(updates)
    return report


# ----- writing


def _format_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def export_rows(cards: Sequence[Card], lane_names: Mapping[int, str],
                objective_names: Mapping[int, str], own_prefix: str = "") -> list[list[str]]:
    """Header and one row per card with every field; tags get as many columns as needed.

    Every card gets a key: its external key, else ``own_prefix`` and its id, so that
    importing the file again updates the cards instead of adding them twice.
    """
    tag_columns = max([len(c.tags) for c in cards] + [1])
    header = [FIELDS[f] for f in FIELDS if f != "tags"]
    tag_at = list(FIELDS).index("tags")
    header[tag_at:tag_at] = [FIELDS["tags"]] * tag_columns
    rows = [header]
    for c in cards:
        values: dict[str, str] = {
            "title": c.title,
            "external_key": c.external_key or (f"{own_prefix}{c.id}" if own_prefix else ""),
            "lane": lane_names.get(c.lane_id, "") if c.lane_id is not None else "",
            "start": c.start.isoformat() if c.start else "",
            "end": c.end.isoformat() if c.end else "",
            "kind": c.kind.capitalize(),
            "status": STATUS_LABELS.get(c.status, c.status),
            "priority": PRIORITY_LABELS.get(c.priority, c.priority) if c.priority else "",
            "estimate": _format_number(c.estimate),
            "owner": c.owner,
            "description": c.description,
            "as_a": c.as_a,
            "i_want": c.i_want,
            "so_that": c.so_that,
            "criteria": "\n".join(f"[{'x' if k.done else ' '}] {k.text}" for k in c.criteria),
            "reach": _format_number(c.reach),
            "impact": _format_number(c.impact),
            "confidence": _format_number(c.confidence),
            "effort": _format_number(c.effort),
            "date_confidence": c.date_confidence or "",
            "color": c.color or "",
            "link": c.link,
            "objective": (objective_names.get(c.objective_id, "")
                          if c.objective_id is not None else ""),  # fmt: skip
            "hypothesis": c.hypothesis,
            "measure": c.measure,
            "internal": "yes" if c.internal else "no",
        }
        row = [values[f] for f in FIELDS if f != "tags"]
        row[tag_at:tag_at] = list(c.tags) + [""] * (tag_columns - len(c.tags))
        rows.append([protect(cell) for cell in row])
    return rows


def write_csv(fh: IO[bytes], rows: Iterable[Sequence[str]]) -> None:
    """UTF-8 with a byte-order mark (so Excel reads it as UTF-8), CRLF line ends."""
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    text.flush()
    text.detach()


def export_csv(roadmap: Roadmap, fh: IO[bytes], include: Callable[[Card], bool]) -> int:
    """Write the cards ``include`` accepts to ``fh``; returns how many."""
    cards = [c for c in roadmap.cards() if include(c)]
    lanes = {lane.id: lane.name for lane in roadmap.lanes()}
    objectives = {o.id: o.name for o in roadmap.objectives()}
    write_csv(fh, export_rows(cards, lanes, objectives, own_key_prefix(roadmap)))
    return len(cards)
