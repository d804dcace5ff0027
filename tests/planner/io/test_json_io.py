"""JSON of the whole roadmap: exact round-trip of every table, and hostile files refused."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import Roadmap
from planner.errors import RoadmapFileError, ValidationError
from planner.io import export_path, import_path
from planner.io.json_io import export_json


def _full(path: Path) -> Roadmap:
    """A roadmap with something in every table, a snapshot and a scenario."""
    from planner.sample import build_sample

    r = build_sample(path, today=dt.date(2026, 11, 23))
    r.add_view("Execs", hide_internal=True, precision="quarter", tags=["clinics"])
    r.take_snapshot("Q3 review")
    r.create_scenario("What if")
    cards = r.cards()
    r.add_dependency(cards[0].id, cards[5].id)
    return r


def _tables(path: Path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        names = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: conn.execute(f"SELECT * FROM {n} ORDER BY 1, 2").fetchall()
                for n in names if n != "roadmap"}
    finally:
        conn.close()


def test_round_trip_is_byte_identical_and_keeps_every_table(tmp_path: Path) -> None:
    with _full(tmp_path / "a.roadmap") as a:
        export_path(a, tmp_path / "one.json")
    import_path(tmp_path / "one.json", tmp_path / "b.roadmap")
    with Roadmap.open(tmp_path / "b.roadmap", read_only=True) as b:
        export_path(b, tmp_path / "two.json")
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    before, after = _tables(tmp_path / "a.roadmap"), _tables(tmp_path / "b.roadmap")
    assert before == after
    data = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
    assert {p["kind"] for p in data["plans"]} == {"plan", "snapshot", "scenario"}
    assert data["views"] and data["dependencies"] and data["objectives"] and data["milestones"]
    assert data["schema_version"] == 2


def test_import_into_an_empty_existing_file(tmp_path: Path) -> None:
    with _full(tmp_path / "a.roadmap") as a:
        export_path(a, tmp_path / "one.json")
    Roadmap.create(tmp_path / "empty.roadmap").close()
    import_path(tmp_path / "one.json", tmp_path / "empty.roadmap")
    assert _tables(tmp_path / "a.roadmap") == _tables(tmp_path / "empty.roadmap")


def test_import_refuses_a_file_that_holds_a_roadmap(tmp_path: Path, sample_path: Path) -> None:
    with _full(tmp_path / "a.roadmap") as a:
        export_path(a, tmp_path / "one.json")
    before = sample_path.read_bytes()
    with pytest.raises(ValidationError, match="already holds a roadmap"):
        import_path(tmp_path / "one.json", sample_path)
    assert sample_path.read_bytes() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["cards"][0].update(title=5), r"cards\[0\].title must be text"),
        (lambda d: d["cards"][0].pop("status"), r"cards\[0\] lacks the key 'status'"),
        (lambda d: d["cards"][0].update(extra=1), r"cards\[0\] has an unknown key 'extra'"),
        (lambda d: d["cards"][1].update(kind="saga"), r"cards\[1\].kind must be one of"),
        (lambda d: d["lanes"][0].update(id=True), r"lanes\[0\].id must be a whole number"),
        (lambda d: d["cards"][0].update(tags="a,b"), r"cards\[0\].tags must be a list"),
        (lambda d: d.pop("views"), "lacks the key 'views' at the top level"),
        (lambda d: d.pop("schema_version"), "lacks the key 'schema_version' at the top level"),
        (lambda d: d.update(schema_version=99), "file format 99"),
        (lambda d: d.update(format="other"), "not a roadmap export"),
        (lambda d: d["cards"][0].update(lane_id=999), "not allowed"),
        (lambda d: d["cards"][0].update(start_date="soon"), "not allowed"),
        (lambda d: d.update(plans=[]), "plans must hold the plan itself"),
        (lambda d: d["lanes"][0].update(name="  "), r"lanes\[0\].name cannot be empty"),
        (lambda d: d["roadmap"].update(week_start=9), "not allowed"),
    ],
)
def test_wrong_values_give_one_clear_line(tmp_path: Path, change, message: str) -> None:
    with _full(tmp_path / "a.roadmap") as a:
        data = json.loads(export_json(a))
    change(data)
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError, match=message) as err:
        import_path(src, tmp_path / "b.roadmap")
    assert str(err.value).startswith("bad.json"), "the message names the file"
    assert not (tmp_path / "b.roadmap").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.roadmap", "bad.json"]


def test_a_bare_format_line_names_the_file_and_the_missing_key(tmp_path: Path) -> None:
    import subprocess
    import sys

    src = tmp_path / "plan.json"
    src.write_text('{"format": "roadmap-planner"}', encoding="utf-8")
    command = [sys.executable, "-m", "planner.cli", "import", str(src), str(tmp_path / "b.roadmap")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == "roadmap: plan.json lacks the key 'schema_version' at the top level\n"


@pytest.mark.parametrize("text", ["", "[", "{\"format\": ", "42", "\"x\"", "\xff\xfe"])
def test_broken_json(tmp_path: Path, text: str) -> None:
    src = tmp_path / "bad.json"
    src.write_bytes(text.encode("latin-1"))
    with pytest.raises((ValidationError, RoadmapFileError)):
        import_path(src, tmp_path / "b.roadmap")


def test_10000_deep_nesting(tmp_path: Path) -> None:
    src = tmp_path / "deep.json"
    src.write_text("[" * 10_000 + "]" * 10_000)
    with pytest.raises(ValidationError, match="nested too deeply"):
        import_path(src, tmp_path / "b.roadmap")
    src.write_text('{"a":' * 10_000 + "1" + "}" * 10_000)
    with pytest.raises(ValidationError, match="nested too deeply"):
        import_path(src, tmp_path / "b.roadmap")


def test_a_100mb_string_is_refused_before_it_is_read(tmp_path: Path) -> None:
    src = tmp_path / "huge.json"
    chunk = "x" * (1 << 20)
    with open(src, "w", encoding="ascii") as fh:  # written lazily, 1 MB at a time
        fh.write('{"format": "roadmap-planner", "schema_version": 2, "roadmap": {"title": "')
        for _ in range(100):
            fh.write(chunk)
        fh.write('"}}')
    with pytest.raises(ValidationError, match="text longer than 2,000,000 characters"):
        import_path(src, tmp_path / "b.roadmap")
    assert not (tmp_path / "b.roadmap").exists()


_title = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                 min_size=1, max_size=20).filter(lambda s: s.strip() == s and s != "")


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    lanes=st.lists(_title, min_size=0, max_size=3),
    cards=st.lists(st.tuples(_title, st.one_of(st.none(), st.floats(0, 10_000)),
                             st.lists(_title, max_size=2, unique_by=str.casefold),
                             st.booleans()), max_size=5),
    milestone=st.one_of(st.none(), st.tuples(_title, st.dates(dt.date(1900, 1, 1),
                                                              dt.date(2199, 12, 31)))),
)
def test_json_round_trip(lanes, cards, milestone, tmp_path_factory: pytest.TempPathFactory) -> None:
    d = tmp_path_factory.mktemp("json")
    with Roadmap.create(d / "a.roadmap", title="Hypo") as a:
        lane_ids = [a.add_lane(name).id for name in lanes]
        for i, (title, estimate, tags, internal) in enumerate(cards):
            a.add_card(title, lane_id=lane_ids[i % len(lane_ids)] if lane_ids else None,
                       estimate=estimate, tags=tags, internal=internal,
                       criteria=[{"text": title, "done": internal}])
        if milestone:
            a.add_milestone(milestone[0], milestone[1])
        if cards:
            a.take_snapshot("snap")
        first = export_json(a)
    (d / "one.json").write_bytes(first)
    import_path(d / "one.json", d / "b.roadmap")
    with Roadmap.open(d / "b.roadmap", read_only=True) as b:
        assert export_json(b) == first
