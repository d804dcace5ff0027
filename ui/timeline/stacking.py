"""The rows of one lane, kept up to date card by card.

``LaneStack`` gives exactly the rows of ``planner.layout.stack_rows`` (cards by start date, each
in the lowest free row), but after a card moves it stacks again only from the first changed card
until the stacking is back in the state it had before, not the whole lane: a drag in a lane of
thousands of cards touches a handful of rows.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping
from heapq import heapify, heappop, heappush
from itertools import islice
from operator import itemgetter

from planner.layout import span

Key = tuple[dt.date, dt.date, int]  # (first day, last day, card id): the stacking order

_ID = itemgetter(2)


class LaneStack:
    """Cards of one lane in stacking order and the row of each."""

    def __init__(self, spans: Iterable[tuple[int, dt.date, dt.date]]) -> None:
        self.order: list[Key] = sorted(span(s, e) + (cid,) for cid, s, e in spans)
        self.keys: dict[int, Key] = {k[2]: k for k in self.order}
        self.longest = max(((e - s).days for s, e, _ in self.order), default=0)
        self.rows: dict[int, int] = {}
        self.count = 0  # rows in use
        # The stacking's state after its last card (running cards, free rows, rows opened,
        # cards), kept from the last pass that reached the end: cards that join after every
        # other (a big roadmap read by date) are stacked on from there.
        self._tail: tuple[list[tuple[dt.date, int, int, bool]], list[int], int, int] | None = None
        self._stack_from(0)

    def _stack_from(self, p: int) -> None:
        """Stack every card from position ``p`` on, the cards before it keeping their rows."""
        order, rows = self.order, self.rows
        busy, free, count = self._state_at(p)
        for start, end, cid in islice(order, p, None):
            while busy and busy[0][0] < start:
                heappush(free, heappop(busy)[1])
            if free:
                row = heappop(free)
            else:
                row = count
                count += 1
            rows[cid] = row
            heappush(busy, (end, row, cid, False))
        self.count = count
        self._tail = (busy, free, count, len(order))

    def _state_at(self, p: int) -> tuple[list[tuple[dt.date, int, int, bool]], list[int], int]:
        """The stacking's state before the card at position ``p``: the cards still running then
        (end, row, id, False), the free rows and the number of rows opened so far."""
        order, rows = self.order, self.rows
        if p == 0:
            return [], [], 0
        count = 1 + max(map(rows.__getitem__, map(_ID, islice(order, p))))
        if p >= len(order):
            return [], [], count
        start = order[p][0]
        first = bisect_left(order, (start - dt.timedelta(days=self.longest),), 0, p)
        busy = [(e, rows[c], c, False) for _, e, c in islice(order, first, p) if e >= start]
        heapify(busy)
        taken = {b[1] for b in busy}
        free = [r for r in range(count) if r not in taken]
        return busy, free, count

    def update(self, spans: Mapping[int, tuple[dt.date, dt.date] | None]) -> set[int]:
        """Cards that joined the lane or moved in it (their new dates) or left it (None).

        Returns the cards to place again: the changed ones still here and those whose row
        changed. The rows are those a full re-stack would give.
        """
        order, rows, keys = self.order, self.rows, self.keys
        tail, self._tail = self._tail, None
        changed: list[Key] = []
        old_rows: dict[int, int] = {}
        old_end: dt.date | None = None
        for cid, dates in spans.items():
            old = keys.pop(cid, None)
            if old is not None:
                del order[bisect_left(order, old)]
                old_rows[cid] = rows.pop(cid)
                changed.append(old)
                old_end = old[1] if old_end is None else max(old_end, old[1])
            if dates is not None:
                key = span(*dates) + (cid,)
                insort(order, key)
                keys[cid] = key
                changed.append(key)
                self.longest = max(self.longest, (key[1] - key[0]).days)
        if not changed:
            return set()
        last = max(changed)
        p = bisect_left(order, min(changed))
        if tail is not None and not old_rows and p == tail[3]:
            # Only cards after every other joined: on from where the last pass ended.
            busy = [(e, r, c, False) for e, r, c, _ in tail[0]]
            free, count = list(tail[1]), tail[2]
        else:
            busy, free, count = self._state_at(p)
        # The old stacking's count of rows at the same point, to know when both agree again.
        old_count = max(count, max(old_rows.values(), default=-1) + 1)
        mismatched = 0  # running cards whose row differs from before (or that moved)
        placed: set[int] = set()
        for key in islice(order, p, None):
            start, end, cid = key
            while busy and busy[0][0] < start:
                _, free_row, _, bad = heappop(busy)
                heappush(free, free_row)
                mismatched -= bad
            if not mismatched and key > last and (old_end is None or start > old_end) \
                    and count == old_count:  # fmt: skip
                return placed  # the same state as before: the rest keep their rows
            if free:
                row = heappop(free)
            else:
                row = count
                count += 1
            moved = cid in spans
            before = old_rows.get(cid) if moved else rows[cid]
            if not moved and before is not None:
                old_count = max(old_count, before + 1)
            bad = moved or row != before
            if bad:
                placed.add(cid)
                mismatched += 1
            rows[cid] = row
            heappush(busy, (end, row, cid, bad))
        self.count = count
        if p < len(order):  # (past the last card the state read above is not the whole one)
            self._tail = (busy, free, count, len(order))
        return placed
