"""Data in and out of a roadmap: CSV (generic and Jira), JSON, Markdown and iCalendar.

``export_path`` and ``import_path`` are what the ``roadmap`` command calls; the window's
import wizard uses the steps in ``planner.io.csv_io`` directly.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import ValidationError
from planner.model import View
from planner.store import Roadmap

if TYPE_CHECKING:
    from planner.io.csv_io import ImportPlan, ImportReport

DATA_SUFFIXES = (".csv", ".json", ".md", ".ics")

__all__ = ["DATA_SUFFIXES", "export_path", "import_path", "plan_csv"]


def export_path(roadmap: Roadmap, out: Path, view: View | None = None, since: str | None = None,
                with_cards: bool = False) -> None:  # fmt: skip
    """Write the roadmap (through the view's lens) as .csv, .json, .md or .ics to ``out``."""
    from planner.io._files import write_atomic
    from planner.lens import Lens

    out = Path(out)
    suffix = out.suffix.lower()
    lens = Lens.from_view(view)
    if suffix == ".csv":
        from planner.io.csv_io import export_csv

        write_atomic(out, lambda fh: export_csv(roadmap, fh, lens.includes))
    elif suffix == ".json":
        from planner.io.json_io import export_json

        if view is not None:
            raise ValidationError("JSON holds the whole roadmap; leave out --view")
        write_atomic(out, lambda fh: fh.write(export_json(roadmap)))
    elif suffix == ".md":
        from planner.io.markdown import markdown_summary

        text = markdown_summary(roadmap, view, since)
        write_atomic(out, lambda fh: fh.write(text.encode("utf-8")))
    elif suffix == ".ics":
        from planner.io.ics import export_ics

        data = export_ics(roadmap, view, with_cards)
        write_atomic(out, lambda fh: fh.write(data))
    else:
        raise ValidationError(f"cannot tell the format from {out.name!r}: use .csv, .json, .md "
                              "or .ics")  # fmt: skip


def plan_csv(
    data: bytes,
    roadmap: Roadmap,
    name: str = "file",
    preset: str | None = None,
    mapping: Sequence[str] = (),
    lane_from: str | None = None,
    date_order: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> ImportPlan:
    """Read CSV bytes and plan their import into ``roadmap`` (see csv_io.plan_import)."""
    from planner.io import csv_io, jira

    table = csv_io.read_table(data, encoding, delimiter, name)
    chosen = preset or csv_io.detect_preset(table.header)
    if chosen not in ("jira", "generic"):
        raise ValidationError("The preset is jira or generic")
    fields = csv_io.default_mapping(table.header, chosen)
    fields = csv_io.apply_overrides(table.header, fields, mapping, lane_from)
    lanes = None
    if chosen == "jira" and "lane" not in fields:
        lanes = jira.epic_lanes(table.header, table.rows)
    return csv_io.plan_import(table, fields, roadmap.cards(), chosen, date_order, lanes,
                              csv_io.own_key_prefix(roadmap))


def import_path(
    source: Path,
    file: Path,
    preset: str | None = None,
    mapping: Iterable[str] = (),
    lane_from: str | None = None,
    skip_bad_rows: bool = False,
    date_order: str | None = None,
    encoding: str | None = None,
) -> ImportReport:
    """Import a CSV or JSON file into ``file`` (created if missing), all or nothing."""
    from planner.io import csv_io
    from planner.io._files import read_bytes

    started = time.perf_counter()
    source, file = Path(source), Path(file)
    is_json = source.suffix.lower() == ".json"
    if is_json and (preset or list(mapping) or lane_from):
        raise ValidationError("--preset, --map and --lane-from are for CSV files, not JSON")
    limit = csv_io.MAX_CSV_BYTES
    if is_json:
        from planner.io.json_io import MAX_JSON_BYTES

        limit = MAX_JSON_BYTES
    created = not file.exists()
    if not created and file.resolve() == source.resolve():
        raise ValidationError("the source and the roadmap are the same file")
    if is_json:
        from planner.io.json_io import import_json_file

        if created:
            import_json_file(source, file)
        else:
            with Roadmap.open(file) as roadmap:
                import_json_file(source, None, roadmap)
        return csv_io.ImportReport(
            source.name, summary=f"{source.name}: the whole roadmap was imported into {file.name}",
            seconds=time.perf_counter() - started)
    data = read_bytes(source, limit)
    roadmap = Roadmap.create(file, title=source.stem or "Imported") if created else Roadmap.open(
        file)
    ok = False
    try:
        plan = plan_csv(data, roadmap, source.name, preset, list(mapping), lane_from, date_order,
                        encoding)  # fmt: skip
        report = csv_io.apply_import(roadmap, plan, skip_bad_rows, source.name)
        ok = True
    finally:
        roadmap.close()
        if created and not ok:
            with contextlib.suppress(OSError):
                file.unlink()
    report.seconds = time.perf_counter() - started
    return report
