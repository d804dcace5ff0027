"""The open roadmap as seen by the widgets: change signals and the shared card selection."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from planner.layout import lane_height, row_count, stack_rows
from planner.model import Card, View
from planner.search import CardFilter
from planner.store import Change, Roadmap

# A window on a roadmap of more cards than this reads them in chunks after its first paint.
# Measured (docs/reliability.md): read at once, 10,000 cards hold the first paint to about
# 0.7 s and 20,000 to 1.4 s; in chunks the first paint takes 0.2 to 0.3 s at any size.
CHUNKED_ABOVE = 10_000
# A window on a roadmap of more cards than this (and no more than ``CHUNKED_ABOVE``) reads before
# its first paint only the cards of the lanes that can be on screen, from the top, and the rest
# in one go right after it: the first paint shows exactly what a full read shows there.
FIRST_SCREEN_ABOVE = 500
CHUNK = 1_000  # cards read in the first turn of the event loop while loading; then as many
CHUNK_MIN, CHUNK_MAX = 100, 5_000  # as take about TURN_S to read and show, within these
TURN_S = 0.06


class Document(QObject):
    """Wraps a Roadmap; turns its change callbacks into a Qt signal widgets connect to."""

    changed = Signal(object)  # list[Change], after each committed transaction
    selection_changed = Signal(object, object)  # (tuple of card ids, initiator or None)
    view_changed = Signal(object)  # the active planner.View, or None for "everything"
    search_changed = Signal(object)  # the search bar's planner.search.CardFilter
    load_progress = Signal(int, int)  # (cards read, cards in all) while a big roadmap loads
    loaded = Signal()  # a progressive load has read every card (emitted once)

    def __init__(self, roadmap: Roadmap, parent: QObject | None = None, *,
                 progressive: bool = False) -> None:  # fmt: skip
        """``progressive``: a roadmap of more than ``CHUNKED_ABOVE`` cards starts with none
        and reads them in chunks once ``load`` is called (the window does so after its first
        paint); each chunk is announced as cards added, so the rooms in place show them."""
        super().__init__(parent)
        self.roadmap = roadmap
        self._selection: tuple[int, ...] = ()
        self.active_view: View | None = None
        self.search = CardFilter()
        self._cards: dict[int, Card] | None = None
        self._unsubscribe = roadmap.subscribe(self._on_roadmap_changed)
        self._load_total = 0
        # The lanes still to read, last first (None: the cards in no lane), read when the load
        # starts, and the ids still to read of the lane under way, last first; the load stops
        # when a plan swap makes the rooms read every card again.
        self._load_lanes: list[int | None] | None = None
        self._load_order: list[int] = []
        self._load_stopped = False
        self._reconciled = False
        self._load_read = 0
        self._chunk = CHUNK
        self._when_loaded: list[Callable[[], None]] = []
        self._load_timer: QTimer | None = None
        # A load of the lanes below the first screen is not announced in the status bar (it
        # ends in one turn of the event loop); only a big roadmap's chunked load is.
        self.announces_load = True
        if progressive:
            total = roadmap.card_count()
            if total > CHUNKED_ABOVE:
                self._cards = {}
                self._start_load(total)
            elif total > FIRST_SCREEN_ABOVE:
                self._read_first_screen(total)

    # ----- progressive loading of a big roadmap

    def _start_load(self, total: int) -> None:
        self._load_total = total
        self._load_timer = QTimer(self)
        self._load_timer.setInterval(0)
        self._load_timer.timeout.connect(self._load_chunk)

    def _read_first_screen(self, total: int) -> None:
        """Read the cards of the lanes at the top that fill the tallest screen, and leave the
        other lanes to the load (in one turn, after the first paint).

        A lane is at least as tall as the rows its dated cards stack into (the timeline shows
        every one of them when no view is chosen, and a view reads every lane at once), with
        nothing of its milestones counted: the lanes read reach at least the screen's bottom.
        """
        lanes = self.roadmap.lanes()
        room = float(_screen_height())
        first: list[int] = []
        cards: list[Card] = []
        for lane in lanes:
            if room <= 0:
                break
            first.append(lane.id)
            some = self.roadmap.cards_in_lanes([lane.id])
            cards += some
            rows = row_count(stack_rows((c.id, c.start, c.end) for c in some
                                        if c.start is not None and c.end is not None))
            room -= lane_height(rows, lane.collapsed)
        if len(first) == len(lanes):
            return  # every lane may be on screen: read everything when first asked
        self._cards = {c.id: c for c in cards}
        self._load_read = len(self._cards)
        self.announces_load = False  # the rest comes in one turn
        self._start_load(total)

    def finish_loading(self) -> None:
        """Read every card still to come now (nothing when no load is under way)."""
        while self._load_timer is not None:
            self._load_chunk()

    @property
    def loading(self) -> bool:
        """True while a progressive load has cards still to read."""
        return self._load_timer is not None

    def load(self) -> None:
        """Start reading the cards in chunks, one per turn of the event loop (once only)."""
        if self._load_timer is not None and not self._load_timer.isActive():
            self.load_progress.emit(len(self._cards or ()), self._load_total)
            self._load_timer.start()

    def when_loaded(self, callback: Callable[[], None]) -> None:
        """Call back once every card is read: now when no load is under way, else at its end
        (and start the load if it waits)."""
        if not self.loading:
            callback()
            return
        if callback not in self._when_loaded:
            self._when_loaded.append(callback)
        self.load()

    def _load_chunk(self) -> None:
        try:
            self._load_step()
        except Exception:
            # The file could not be read (or a room failed on a chunk): end the load once, and
            # let the rooms read the file themselves, which reports what is wrong as any read.
            self._cards = None
            self._end_load()
            raise

    def _load_step(self) -> None:
        """One turn of a progressive load: the next chunk of cards, lane by lane from the top
        and by date in each lane, so the timeline stacks each chunk below or after what it
        shows already and moves no bar it placed before."""
        if self._cards is None or self._load_stopped or self.roadmap.closed:
            # The plan was swapped or everything is read again: the rooms read every card.
            self._end_load()
            return
        if not self.announces_load:
            # The lanes below the first screen, all in this turn: every card not read yet (and
            # none deleted since), as at the end of a chunked load.
            self._reconcile()
            self._finish_load()
            return
        if self._load_lanes is None:
            self._load_lanes = [lane.id for lane in self.roadmap.lanes()] + [None]
            self._load_lanes.reverse()  # taken from the end
        started = time.perf_counter()
        wanted = self._next_ids(self._chunk, started)
        if wanted is None:
            if self._reconciled:
                self._finish_load()
            else:
                self._reconcile()
            return
        if not wanted:
            return  # a big lane's order took this turn: its cards come on the next
        self._load_read += len(wanted)
        # A card an edit brought in already (added, or changed before its chunk came) is
        # kept as it is; a card deleted meanwhile is simply not read.
        self._add_loaded(self.roadmap.read_cards([i for i in wanted if i not in self._cards]))
        self.load_progress.emit(min(self._load_read, self._load_total - 1), self._load_total)
        # The next chunk is sized so that reading and showing it takes about TURN_S.
        took = max(time.perf_counter() - started, 1e-3)
        size = self._chunk * min(2.0, max(0.5, TURN_S / took))
        self._chunk = int(min(CHUNK_MAX, max(CHUNK_MIN, size)))

    def _next_ids(self, count: int, started: float) -> list[int] | None:
        """Up to ``count`` ids to read next, in the load's order (fewer when reading a lane's
        order took half the turn); None when every lane is read."""
        assert self._load_lanes is not None
        wanted: list[int] = []
        order = self._load_order
        while len(wanted) < count:
            if not order:
                if not self._load_lanes:
                    return wanted or None
                order.extend(self.roadmap.card_ids_in_lane(self._load_lanes.pop()))
                order.reverse()
                if time.perf_counter() - started > TURN_S / 2:
                    break
                continue
            take = order[-(count - len(wanted)) :]
            del order[-len(take) :]
            take.reverse()
            wanted.extend(take)
        return wanted

    def _add_loaded(self, cards: Sequence[Card]) -> None:
        assert self._cards is not None
        for card in cards:
            self._cards[card.id] = card
        if cards:
            self.changed.emit([Change("card", "added", tuple(c.id for c in cards))])

    def _reconcile(self) -> None:
        """Every lane is read: make sure the cards are exactly the file's (an edit during the
        load may have moved a card between a lane read and one to come)."""
        assert self._cards is not None
        self._reconciled = True
        every = set(self.roadmap.card_ids())
        gone = [i for i in self._cards if i not in every]
        for card_id in gone:
            del self._cards[card_id]
        if gone:
            self.changed.emit([Change("card", "removed", tuple(gone))])
        self._add_loaded(self.roadmap.read_cards([i for i in every if i not in self._cards]))

    def _finish_load(self) -> None:
        """Put the cards in ``Roadmap.cards()``' order and end the load."""
        assert self._cards is not None
        ordered = sorted(self._cards.values(), key=lambda c: (c.position, c.id))
        self._cards = {c.id: c for c in ordered}
        self._end_load()

    def _end_load(self) -> None:
        if self._load_timer is None:
            return
        self._load_timer.stop()
        self._load_timer.deleteLater()
        self._load_timer = None
        total = len(self._cards) if self._cards is not None else self._load_total
        self.load_progress.emit(total, total)
        self.loaded.emit()
        if self._when_loaded:  # on the next turn, once the last chunk is painted
            QTimer.singleShot(0, self, self._call_when_loaded)

    def _call_when_loaded(self) -> None:
        callbacks, self._when_loaded = self._when_loaded, []
        for callback in callbacks:
            callback()

    def cards(self) -> list[Card]:
        """Every card of the plan in view, read once and then kept up to date per change.

        Rooms use this for their full loads, so opening a large roadmap reads the cards once,
        not once per room, and an edit re-reads only the cards it touched.
        """
        if self._cards is None:
            self._cards = {c.id: c for c in self.roadmap.cards()}
        return list(self._cards.values())

    def cached_cards(self, ids: Iterable[int]) -> dict[int, Card] | None:
        """These cards as the window holds them since the last change (a card gone is left
        out); None when it holds none now and reads every card again when next asked."""
        if self._cards is None:
            return None
        return {i: self._cards[i] for i in ids if i in self._cards}

    def _patch_cards(self, changes: Sequence[Change]) -> None:
        if self._cards is None:
            return
        for c in changes:
            if c.entity == "plan" and c.op == "reset":
                self._cards = None
                return
            if c.entity != "card":
                continue
            if c.op == "removed" and c.ids:
                for card_id in c.ids:
                    self._cards.pop(card_id, None)
            elif c.op in ("added", "updated") and c.ids:
                fresh = self.roadmap.cards_by_id(c.ids)
                for card_id in c.ids:
                    if card_id in fresh:
                        self._cards[card_id] = fresh[card_id]
                    else:
                        self._cards.pop(card_id, None)
            else:  # a change without ids: read everything again when next asked
                self._cards = None
                return

    def _on_roadmap_changed(self, changes: Sequence[Change]) -> None:
        self._patch_cards(changes)
        if self.loading and self._cards is None:
            self._load_stopped = True  # a progressive load ends at its next turn
        removed = {i for c in changes if c.entity == "card" and c.op == "removed" for i in c.ids}
        if removed & set(self._selection):
            self.set_selection([i for i in self._selection if i not in removed])
        if any(c.entity == "plan" and c.op == "reset" for c in changes):
            self.set_selection([])
        self.changed.emit(list(changes))

    @property
    def selection(self) -> tuple[int, ...]:
        return self._selection

    def set_selection(self, ids: Iterable[int], initiator: object = None) -> None:
        new = tuple(dict.fromkeys(ids))
        if new != self._selection:
            self._selection = new
            self.selection_changed.emit(new, initiator)

    def set_active_view(self, view: View | None) -> None:
        if self.loading and not self.announces_load and view is not None:
            self.finish_loading()  # a view may hide lanes at the top: others come on screen
        self.active_view = view
        self.view_changed.emit(view)

    def set_search(self, search: CardFilter) -> None:
        if search != self.search:
            self.search = search
            self.search_changed.emit(search)

    def plan_label(self) -> str:
        """'' for the plan; 'Scenario: X' or 'Snapshot: X' when a copy is shown."""
        plan = self.roadmap.plan()
        if plan.kind == "scenario":
            return self.tr("Scenario: %1").replace("%1", plan.name)
        if plan.kind == "snapshot":
            return self.tr("Snapshot: %1").replace("%1", plan.name)
        return ""

    def detach(self) -> None:
        self._unsubscribe()
        if self._load_timer is not None:
            self._load_timer.stop()


def _screen_height() -> int:
    """The height of the tallest screen (a window on it shows at most this much of a lane)."""
    from PySide6.QtGui import QGuiApplication

    heights = [screen.geometry().height() for screen in QGuiApplication.screens()]
    return max(heights, default=0) or 2160
