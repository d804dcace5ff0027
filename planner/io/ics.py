"""iCalendar (RFC 5545) of the milestones and, optionally, the dated cards.

Events are all-day (DTSTART;VALUE=DATE, DTEND the day after the last day), with UIDs that
stay the same across exports so a calendar updates its events instead of doubling them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event

from planner import __version__
from planner.errors import RoadmapFileError
from planner.lens import Lens
from planner.model import STATUS_LABELS, View
from planner.store import Roadmap

PRODID = f"-//Roadmap Planner//roadmap-planner {__version__}//EN"


def _roadmap_token(roadmap: Roadmap) -> str:
    """A stable token for this roadmap, from when it was created and its title at the time."""
    created = str(roadmap._q("SELECT created FROM roadmap WHERE id = 1")[0][0])
    return hashlib.sha1(created.encode("utf-8")).hexdigest()[:12]


def build_calendar(roadmap: Roadmap, view: View | None = None, with_cards: bool = False,
                   stamp: dt.datetime | None = None) -> Calendar:  # fmt: skip
    """The calendar object: one all-day event per milestone (and per dated card)."""
    lens = Lens.from_view(view)
    token = _roadmap_token(roadmap)
    now = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", roadmap.info().title)
    lanes = {lane.id: lane.name for lane in roadmap.lanes()}
    for m in roadmap.milestones():
        if not lens.lane_visible(m.lane_id):
            continue
        event = Event()
        event.add("uid", f"milestone-{m.id}-{token}@roadmap-planner")
        event.add("dtstamp", now)
        event.add("dtstart", m.date)
        event.add("dtend", m.date + dt.timedelta(days=1))
        event.add("summary", m.title)
        event.add("categories", [m.kind.capitalize()])
        if m.lane_id is not None and m.lane_id in lanes:
            event.add("description", f"Milestone in {lanes[m.lane_id]}")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    if with_cards:
        for card in lens.filter(roadmap.cards()):
            if card.start is None or card.end is None:
                continue
            event = Event()
            event.add("uid", f"card-{card.id}-{token}@roadmap-planner")
            event.add("dtstamp", now)
            event.add("dtstart", card.start)
            event.add("dtend", card.end + dt.timedelta(days=1))
            event.add("summary", card.title)
            lines = [STATUS_LABELS.get(card.status, card.status)]
            if card.lane_id is not None and card.lane_id in lanes:
                lines.append(f"Lane: {lanes[card.lane_id]}")
            if card.description:
                lines += ["", card.description]
            event.add("description", "\n".join(lines))
            if card.tags:
                event.add("categories", list(card.tags))
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    return cal


def export_ics(roadmap: Roadmap, view: View | None = None, with_cards: bool = False) -> bytes:
    """The calendar as bytes, checked by parsing it back."""
    data: bytes = build_calendar(roadmap, view, with_cards).to_ical()
    try:
        Calendar.from_ical(data)
    except ValueError as exc:  # pragma: no cover - would be a bug in building it
        raise RoadmapFileError(f"the calendar could not be built: {exc}") from exc
    return data
