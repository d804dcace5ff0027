"""The Jira preset: which Jira column feeds which card field, and Jira's values in ours.

Issue types: Epic -> epic, Story -> story, Task -> feature, Bug and Sub-task -> story
(small pieces of work), Initiative -> initiative; a site's own types become features and
the import says so. Statuses a site invented fall back to Jira's Status Category. An issue
with only a due date gets the usual length of its kind, ending on that date (only a start
date: starting on it), instead of a one-day bar.
"""

from __future__ import annotations

from collections.abc import Sequence

# Header (case-folded, spaces squeezed) -> card field.
COLUMNS: dict[str, str] = {
    "summary": "title",
    "issue key": "external_key",
    "issue type": "kind",
    "status": "status",
    "status category": "status_category",
    "priority": "priority",
    "labels": "tags",
    "sprint": "tags",
    "custom field (start date)": "start",
    "start date": "start",
    "due date": "end",
    "custom field (story points)": "estimate",
    "custom field (story point estimate)": "estimate",
    "story points": "estimate",
    "story point estimate": "estimate",
    "description": "description",
    "assignee": "owner",
}

KINDS: dict[str, str] = {
    "epic": "epic",
    "story": "story",
    "user story": "story",
    "task": "feature",
    "new feature": "feature",
    "improvement": "feature",
    "feature": "feature",
    "bug": "story",
    "sub-task": "story",
    "subtask": "story",
    "spike": "story",
    "initiative": "initiative",
}

STATUSES: dict[str, str] = {
    "to do": "planned",
    "open": "planned",
    "backlog": "planned",
    "selected for development": "planned",
    "reopened": "planned",
    "new": "planned",
    "in progress": "in_progress",
    "in review": "in_progress",
    "review": "in_progress",
    "in testing": "in_progress",
    "testing": "in_progress",
    "blocked": "in_progress",
    "done": "done",
    "closed": "done",
    "resolved": "done",
    "released": "done",
    "won't do": "dropped",
    "wont do": "dropped",
    "cancelled": "dropped",
    "canceled": "dropped",
    "rejected": "dropped",
    "idea": "idea",
    "draft": "idea",
}

# Days an issue with only a due date (or only a start date) lasts, by card kind. The same
# numbers are the window's defaults for new cards (ui/settings.py); planner must not import
# ui, so they are repeated here.
DEFAULT_DAYS: dict[str, int] = {"initiative": 90, "epic": 42, "feature": 14, "story": 5}

PRIORITIES: dict[str, str] = {
    "highest": "must",
    "blocker": "must",
    "critical": "must",
    "high": "must",
    "major": "should",
    "medium": "should",
    "low": "could",
    "lowest": "could",
    "minor": "could",
    "trivial": "could",
}


def _column(header: Sequence[str], name: str) -> int | None:
    for i, h in enumerate(header):
        if " ".join(h.casefold().split()) == name:
            return i
    return None


def epic_lanes(header: Sequence[str], rows: Sequence[Sequence[str]]) -> dict[int, str | None]:
    """The lane of each row: the summary of its epic (or top ancestor), found via parents.

    An epic is its own lane; an issue whose parent is not in the file goes to the lane named
    by its Parent summary; an issue without a parent has no lane.
    """
    at = {n: _column(header, n) for n in
          ("summary", "issue key", "issue id", "issue type", "parent", "parent key",
           "parent summary", "parent id")}  # fmt: skip

    def cell(row: Sequence[str], name: str) -> str:
        i = at[name]
        return row[i].strip() if i is not None and i < len(row) else ""

    by_ref: dict[str, int] = {}
    for index, row in enumerate(rows):
        for name in ("issue key", "issue id"):
            if cell(row, name):
                by_ref[cell(row, name)] = index

    def parent_of(index: int) -> int | None:
        row = rows[index]
        for name in ("parent key", "parent", "parent id"):
            ref = cell(row, name)
            if ref and ref in by_ref and by_ref[ref] != index:
                return by_ref[ref]
        return None

    result: dict[int, str | None] = {}
    for index in range(len(rows)):
        node, seen = index, {index}
        lane: str | None = None
        while True:
            if cell(rows[node], "issue type").casefold() == "epic":
                lane = cell(rows[node], "summary")
                break
            up = parent_of(node)
            if up is None or up in seen:
                lane = cell(rows[node], "parent summary") or (
                    cell(rows[node], "summary") if node != index else None)
                break
            seen.add(up)
            node = up
        result[index] = lane or None
    return result
