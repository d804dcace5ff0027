"""Build the sample roadmap from resources/sample_roadmap.toml, dated relative to today."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path
from typing import Any

from planner.store import Roadmap

SAMPLE_SOURCE = Path(__file__).resolve().parent.parent / "resources" / "sample_roadmap.toml"

_CARD_KEYS = ("kind", "status", "as_a", "i_want", "so_that", "description", "estimate", "priority",
              "reach", "impact", "confidence", "effort", "date_confidence", "owner", "tags",
              "hypothesis", "measure", "internal", "link", "color")  # fmt: skip


def _monday(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


def build_sample(path: str | os.PathLike[str], today: dt.date | None = None) -> Roadmap:
    """Create the sample roadmap at ``path`` and return it open."""
    source = tomllib.loads(SAMPLE_SOURCE.read_text(encoding="utf-8"))
    monday = _monday(today or dt.date.today())

    def week(n: int, weekday: int = 0) -> dt.date:
        return monday + dt.timedelta(weeks=n, days=weekday)

    roadmap = Roadmap.create(path, title=source["title"])
    try:
        with roadmap.transaction():
            roadmap.set_info(
                sprint_length=int(source.get("sprint_length_days", 14)),
                sprint_start=week(int(source.get("sprint_start_week", 0))),
            )
            objectives = {
                o["key"]: roadmap.add_objective(
                    o["name"], metric=o.get("metric"), baseline=o.get("baseline"),
                    target=o.get("target"), current=o.get("current"), color=o.get("color"),
                ).id
                for o in source.get("objectives", [])
            }  # fmt: skip
            lanes = {
                lane["key"]: roadmap.add_lane(lane["name"], color=lane.get("color")).id
                for lane in source.get("lanes", [])
            }
            for m in source.get("milestones", []):
                roadmap.add_milestone(m["title"], week(int(m["week"]), 3),
                                      lane_id=lanes.get(m.get("lane", "")),
                                      kind=m.get("kind", "release"))  # fmt: skip
            specs: list[dict[str, Any]] = []
            keys: list[str] = []
            for c in source.get("cards", []):
                spec: dict[str, Any] = {k: c[k] for k in _CARD_KEYS if k in c}
                spec["title"] = c["title"]
                spec["lane_id"] = lanes.get(c.get("lane", ""))
                if "start_week" in c and "end_week" in c:
                    spec["start"] = week(int(c["start_week"]))
                    spec["end"] = week(int(c["end_week"]), 4)
                spec["criteria"] = [(str(t), bool(d)) for t, d in c.get("criteria", [])]
                if "objective" in c:
                    spec["objective_id"] = objectives[c["objective"]]
                specs.append(spec)
                keys.append(c["key"])
            cards = roadmap.add_cards(specs)
            ids = {key: card.id for key, card in zip(keys, cards, strict=True)}
            for d in source.get("dependencies", []):
                roadmap.add_dependency(ids[d["before"]], ids[d["after"]])
            roadmap.add_view("Everything", color_by="lane", precision="day")
            roadmap.add_view("Executive summary", color_by="objective", precision="quarter",
                             hide_internal=True, statuses=["planned", "in_progress", "done"])
            roadmap.add_view("Customers", color_by="status", precision="nnl", hide_internal=True,
                             statuses=["planned", "in_progress"])  # fmt: skip
            roadmap.add_view("Engineering", color_by="status", precision="day",
                             fields=["title", "status", "estimate", "owner"])  # fmt: skip
    except BaseException:
        roadmap.close()
        Path(path).unlink(missing_ok=True)
        raise
    return roadmap
