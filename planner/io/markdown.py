"""A Markdown summary of the roadmap for documents and chat: lanes, cards, milestones, goals."""

from __future__ import annotations

import datetime as dt
import importlib

from planner.errors import RoadmapFileError
from planner.lens import Lens
from planner.model import STATUS_LABELS, Card, View
from planner.store import Roadmap

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~#"})


def md_escape(text: str) -> str:
    """Text from the file made inert in Markdown: one line, no links, emphasis or HTML."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _card_line(card: Card, lens: Lens) -> str:
    parts = [f"- **{md_escape(card.title)}**"]
    when = ""
    if card.start is not None and card.end is not None:
        when = lens.format_range(*lens.display_dates(card.start, card.end))
    details = [when or "no dates", STATUS_LABELS.get(card.status, card.status)]
    if card.estimate is not None and "estimate" in lens.fields:
        details.append(f"{_number(card.estimate)} pts")
    if card.external_key:
        details.append(md_escape(card.external_key))
    return parts[0] + " — " + " · ".join(details)


def _sort_key(card: Card) -> tuple[int, dt.date, int, int]:
    return (0 if card.scheduled else 1, card.start or dt.date.max, card.position, card.id)


def changes_section(roadmap: Roadmap, since: str) -> str:
    """The 'What changed since' section, from the plan comparison."""
    try:
        diff = importlib.import_module("planner.diff")
    except ImportError:
        raise RoadmapFileError(
            "“What changed since” needs the plan comparison, which this version lacks"
        ) from None
    result = diff.diff_since(roadmap, since)
    name = diff.find_snapshot(roadmap, since).name
    return str(diff.render_markdown(result, name))


def markdown_summary(roadmap: Roadmap, view: View | None = None, since: str | None = None,
                     today: dt.date | None = None) -> str:  # fmt: skip
    """Per lane the cards with their dates and status, then milestones and objectives."""
    lens = Lens.from_view(view)
    info = roadmap.info()
    day = today or dt.date.today()
    out = [f"# {md_escape(info.title)}", ""]
    subtitle = f"{md_escape(lens.name)} · {day.day} {day:%b} {day.year}"
    out += [subtitle, ""]
    cards = sorted(lens.filter(roadmap.cards()), key=_sort_key)
    lanes = [lane for lane in roadmap.lanes() if lens.lane_visible(lane.id)]
    known = {lane.id for lane in lanes}
    for lane in lanes:
        shown = [c for c in cards if c.lane_id == lane.id]
        if not shown:
            continue
        out += [f"## {md_escape(lane.name)}", ""]
        out += [_card_line(c, lens) for c in shown]
        out.append("")
    loose = [c for c in cards if c.lane_id is None or c.lane_id not in known]
    if loose:
        out += ["## Not in a lane", ""]
        out += [_card_line(c, lens) for c in loose]
        out.append("")
    milestones = [m for m in roadmap.milestones() if lens.lane_visible(m.lane_id)]
    if lens.date_from is not None:
        milestones = [m for m in milestones if m.date >= lens.date_from]
    if lens.date_to is not None:
        milestones = [m for m in milestones if m.date <= lens.date_to]
    if milestones:
        out += ["## Milestones", ""]
        out += [f"- **{md_escape(m.title)}** — {lens.format_date(m.date)}" for m in milestones]
        out.append("")
    objectives = roadmap.objectives()
    if lens.objectives is not None:
        objectives = [o for o in objectives if o.id in lens.objectives]
    if objectives:
        out += ["## Objectives", ""]
        for o in objectives:
            line = f"- **{md_escape(o.name)}**"
            if o.metric:
                line += f" — {md_escape(o.metric)}: {_number(o.baseline)} → {_number(o.current)}"
                line += f" (target {_number(o.target)}"
                line += f", {o.progress:.0%} of the way)" if o.progress is not None else ")"
            served = sum(1 for c in cards if c.objective_id == o.id)
            if served:
                line += f" · {served} cards"
            out.append(line)
        out.append("")
    if since:
        out.append(changes_section(roadmap, since).rstrip("\n"))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
