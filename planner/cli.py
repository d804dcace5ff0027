"""The `roadmap` command: open the window, or work on a .roadmap file headless.

User errors print one line to stderr and exit 1; usage errors exit 2. When the reader of the
output goes away early (``roadmap info FILE | head -1``) the command stops quietly with the
status of a process ended by SIGPIPE (141), as other command-line tools do. The CLI is the
composition root: it reaches the GUI and the image renderer by module name at run time,
so the domain package itself never depends on Qt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from planner.errors import RoadmapFileError, ValidationError

EXIT_OK, EXIT_USER, EXIT_USAGE = 0, 1, 2
EXIT_PIPE = 128 + 13  # what a shell reports for a process ended by SIGPIPE


class UserError(Exception):
    """A problem the user can fix; printed as one line."""


class UsageError(Exception):
    """Options that do not go together; printed as one line, exit 2 like argparse's errors."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"roadmap: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _date_arg(text: str | None, flag: str) -> dt.date | None:
    """A --from/--to date; a malformed one is the user's to fix (one line, exit 1)."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{flag} is not a date YYYY-MM-DD: {text!r}") from None


def cmd_new(args: argparse.Namespace) -> int:
    from planner.store import Roadmap

    path = Path(args.file)
    if args.sample:
        from planner.sample import build_sample

        roadmap = build_sample(path)
    else:
        roadmap = Roadmap.create(path, title=args.title or path.stem)
    with roadmap:
        counts = roadmap.counts()
    print(f"created {path} ({counts['cards']} cards in {counts['lanes']} lanes)")
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from planner.store import Roadmap

    with Roadmap.open(args.file, read_only=True) as roadmap:
        info = roadmap.info()
        counts = roadmap.counts()
        span = roadmap.date_range()
        data: dict[str, Any] = {
            "file": str(Path(args.file)),
            "title": info.title,
            "schema_version": roadmap.schema_version(),
            "counts": counts,
            "date_range": [span[0].isoformat(), span[1].isoformat()] if span else None,
        }
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(f"{data['title']}  ({data['file']}, file format {data['schema_version']})")
        print("  " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        if span:
            print(f"  dates {span[0].isoformat()} to {span[1].isoformat()}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from planner.store import Roadmap

    # The set-based checks run on their own connections at once: SQLite works without holding
    # Python's lock, so a big file is checked on every core.
    with Roadmap.open(args.file, read_only=True) as roadmap, ThreadPoolExecutor(3) as pool:
        sound = pool.submit(_file_checks, roadmap.path)
        readable = [pool.submit(_cards_readable, roadmap.path, roadmap.plan_id, columns)
                    for columns in _CHECK_COLUMNS]  # fmt: skip
        if not all(f.result() for f in readable):
            roadmap.cards()  # read the cards one by one: the error the window would meet
        roadmap.lanes()
        roadmap.milestones()
        roadmap.views()
        ok, fk = sound.result()
    if ok != "ok":
        raise UserError(f"{Path(args.file).name} is damaged (integrity check failed)")
    if fk:
        raise UserError(f"{Path(args.file).name} has {len(fk)} broken references between tables")
    print(f"{Path(args.file).name}: sound")
    return EXIT_OK


# The columns of a card whose values ``Roadmap.cards()`` reads as text, in two groups of about
# the same work; for the numeric ones only a value stored as text is read as text.
_NUMERIC_COLUMNS = frozenset({"id", "lane_id", "estimate", "reach", "impact", "confidence",
                              "effort", "objective_id", "internal", "position"})  # fmt: skip
_CHECK_COLUMNS = (
    ("id", "title", "lane_id", "start_date", "end_date", "kind", "status", "as_a", "i_want",
     "so_that", "description", "criteria", "estimate", "priority", "reach"),
    ("impact", "confidence", "effort", "date_confidence", "owner", "tags", "color", "link",
     "objective_id", "hypothesis", "measure", "internal", "external_key", "position", "created"),
)  # fmt: skip


def _file_checks(path: Path) -> tuple[str, list[Any]]:
    """SQLite's integrity check and the broken references, on a connection of their own."""
    from planner.store import _connect, _map_errors

    with _map_errors(path.name):
        conn = _connect(path, read_only=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchall()[0][0]
            return str(ok), conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()


def _cards_readable(path: Path, plan_id: int, columns: Sequence[str]) -> bool:
    """Whether ``Roadmap.cards()`` would read these columns of every card, found in one pass
    without building the cards: every id is a whole number, and every text value, joined per
    column with commas (an ASCII separator keeps a broken UTF-8 sequence broken), decodes as
    the card reader decodes it. False may also mean a value the reader would take after
    all (a blob); the caller then reads the cards one by one to be sure.
    """
    import sqlite3

    from planner.store import _connect

    # Text sorts above every number, and the smallest and largest ids are whole numbers
    # when all are (a fraction is read as it is): one comparison per numeric value.
    parts = ["typeof(min(id)) = 'integer' AND typeof(max(id)) = 'integer'"]
    for column in columns:
        if column in _NUMERIC_COLUMNS:
            parts.append(f"typeof(max({column})) NOT IN ('text', 'blob')")
        else:
            parts.append(f"group_concat({column})")
    try:
        conn = _connect(path, read_only=True)
        try:
            row = conn.execute(f"SELECT {', '.join(parts)} FROM cards WHERE plan_id = ?",
                               (plan_id,)).fetchone()  # fmt: skip
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError, OverflowError, MemoryError):
        return False
    return row is not None and all(row[i] for i, c in enumerate(("id", *columns))
                                   if c in _NUMERIC_COLUMNS)  # fmt: skip


def _open_view(roadmap: Any, name: str | None) -> Any:
    if name is None:
        return None
    try:
        return roadmap.view_named(name)
    except ValidationError:
        names = ", ".join(v.name for v in roadmap.views()) or "none"
        raise UserError(f"there is no view named {name!r} (views: {names})") from None


DATA_FORMATS = {".csv", ".json", ".md", ".ics"}
IMAGE_FORMATS = {".png", ".pdf", ".svg"}
# The formats that have room for "What changed since": a last PDF page, a Markdown section.
CHANGES_FORMATS = {".pdf", ".md"}


def _check_changes_since(args: argparse.Namespace, out: Path) -> None:
    """--changes-since only where it adds something, and only with a snapshot that exists."""
    if args.changes_since is None:
        return
    if out.suffix.lower() not in CHANGES_FORMATS:
        raise UsageError(
            "--changes-since adds a page to a PDF or a section to Markdown; "
            f"it has no effect on {out.name}"
        )
    from planner.diff import find_snapshot
    from planner.store import Roadmap

    with Roadmap.open(args.file, read_only=True) as roadmap:
        find_snapshot(roadmap, args.changes_since)


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in DATA_FORMATS | IMAGE_FORMATS:
        raise UserError(
            f"cannot tell the format from {out.name!r}: "
            "use .png, .pdf, .svg, .csv, .json, .md or .ics"
        )
    args.date_from = _date_arg(args.date_from, "--from")
    args.date_to = _date_arg(args.date_to, "--to")
    if args.date_from and args.date_to and args.date_to < args.date_from:
        raise UserError("--to is before --from")
    if not out.parent.exists():
        raise UserError(f"the folder {out.parent} does not exist")
    _check_changes_since(args, out)
    if suffix in IMAGE_FORMATS:
        # Rendering needs Qt; it is reached by name so planner stays free of it.
        export = importlib.import_module("ui.export")
        export.export_headless(args)
    else:
        from planner.io import export_path
        from planner.store import Roadmap

        with Roadmap.open(args.file, read_only=True) as roadmap:
            export_path(roadmap, out, view=_open_view(roadmap, args.view),
                        since=args.changes_since, with_cards=args.with_cards)  # fmt: skip
    print(f"wrote {out}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from planner.io import import_path

    report = import_path(
        Path(args.source), Path(args.file), preset=args.preset, mapping=args.map or [],
        lane_from=args.lane_from, skip_bad_rows=args.skip_bad_rows,
        date_order=args.date_order, encoding=args.encoding,
    )  # fmt: skip
    print(report)
    return EXIT_OK


def cmd_snapshot(args: argparse.Namespace) -> int:
    from planner.store import Roadmap

    with Roadmap.open(args.file) as roadmap:
        plan = roadmap.take_snapshot(args.name)
    print(f"snapshot {plan.name!r} taken")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from planner.diff import diff_since_cli

    print(diff_since_cli(Path(args.file), args.since, args.format), end="")
    return EXIT_OK


def cmd_gui(argv: Sequence[str]) -> int:
    app = importlib.import_module("ui.app")
    result: int = app.main(list(argv))
    return result


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="roadmap",
        description="Plan a product roadmap. With no command (or just a FILE) the window opens.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("new", help="create a roadmap file")
    p.add_argument("file")
    p.add_argument("--sample", action="store_true", help="fill it with the sample roadmap")
    p.add_argument("--title", help="the roadmap's title (default: the file name)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("info", help="title, schema version, counts and date range")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("check", help="check that a file is a sound roadmap (exit 0 when it is)")
    p.add_argument("file")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("export", help="export to PNG, PDF, SVG, CSV, JSON, Markdown or iCalendar")
    p.add_argument("file")
    p.add_argument("out", help="output file; the format comes from its extension")
    p.add_argument("--view", help="the saved view to export (default: everything)")
    p.add_argument("--scale", type=float, default=None, help="PNG scale: 1, 2 or 3")
    p.add_argument("--dpi", type=int, default=None, help="PNG resolution in dots per inch")
    p.add_argument("--page-size", default="A4", help="PDF paper: A4, A3, Letter, Legal, Tabloid")
    p.add_argument("--orientation", choices=("landscape", "portrait"), default="landscape")
    p.add_argument("--fit", choices=("page", "tile"), default="page",
                   help="PDF: fit on one page, or tile across pages")  # fmt: skip
    p.add_argument("--margin", type=float, default=10.0, help="PDF margins in millimetres")
    p.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD")
    p.add_argument("--title", help="title on the page (default: the roadmap's title)")
    p.add_argument("--changes-since", metavar="SNAPSHOT",
                   help="add a 'What changed since' page or section")  # fmt: skip
    p.add_argument("--with-cards", action="store_true", help="iCalendar: include dated cards")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="import a CSV (Jira or generic) or JSON file into FILE")
    p.add_argument("source")
    p.add_argument("file", help="the roadmap to import into; created if missing")
    p.add_argument("--preset", choices=("jira", "generic"), default=None)
    p.add_argument("--map", action="append", metavar="COLUMN=field",
                   help="map a CSV column to a card field (repeatable)")  # fmt: skip
    p.add_argument("--lane-from", metavar="COLUMN", help="the column that names the lane")
    p.add_argument("--date-order", choices=("dmy", "mdy"),
                   help="read dates like 03/04/2026 day first (dmy) or month first (mdy)")
    p.add_argument("--encoding", help="the CSV's encoding (default: detected)")
    p.add_argument("--skip-bad-rows", action="store_true",
                   help="import the good rows and list the bad ones (default: import nothing)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("snapshot", help="take a named snapshot of the plan")
    p.add_argument("file")
    p.add_argument("name")
    p.set_defaults(func=cmd_snapshot)

    p = sub.add_parser("diff", help="what changed in the plan since a snapshot")
    p.add_argument("file")
    p.add_argument("--since", required=True, metavar="SNAPSHOT")
    p.add_argument("--format", choices=("text", "md", "json"), default="text")
    p.set_defaults(func=cmd_diff)
    return parser


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush does not complain about the pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


_COMMANDS = {"new", "info", "check", "export", "import", "snapshot", "diff", "-h", "--help"}


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in _COMMANDS and not args_list[0].startswith("-")) or (
        args_list[0] in ("--sample",)
    ):
        return cmd_gui(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        result: int = args.func(args)
        sys.stdout.flush()  # a closed pipe shows up here rather than at interpreter exit
        return result
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
    except (RoadmapFileError, ValidationError, UserError) as exc:
        print(f"roadmap: {exc}", file=sys.stderr)
        return EXIT_USER
    except UsageError as exc:
        print(f"roadmap: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("roadmap: interrupted", file=sys.stderr)
        return EXIT_USER
    except OSError as exc:
        where = f"{Path(exc.filename).name}: " if exc.filename else ""
        print(f"roadmap: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_USER


if __name__ == "__main__":
    raise SystemExit(main())
