"""The open roadmap as seen by the widgets: change signals and the shared card selection."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from planner.model import Card, View
from planner.search import CardFilter
from planner.store import Change, Roadmap

# A window on a roadmap of more cards than this reads them in chunks after its first paint.
# Measured: reading and showing 20,000 cards at once holds the first paint for about a second.
CHUNKED_ABOVE = 20_000
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
        # The ids still to read, last first, in the order the timeline stacks them (read in the
        # load's first turn); the load stops when a plan swap makes the rooms read everything.
        self._load_order: list[int] | None = None
        self._load_stopped = False
        self._load_read = 0
        self._chunk = CHUNK
        self._when_loaded: list[Callable[[], None]] = []
        self._load_timer: QTimer | None = None
        if progressive:
            total = roadmap.card_count()
            if total > CHUNKED_ABOVE:
                self._cards = {}
                self._load_total = total
                self._load_timer = QTimer(self)
                self._load_timer.setInterval(0)
                self._load_timer.timeout.connect(self._load_chunk)

    # ----- progressive loading of a big roadmap

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
        if self._cards is None or self._load_stopped or self.roadmap.closed:
            # The plan was swapped or everything is read again: the rooms read every card.
            self._end_load()
            return
        order = self._load_order
        if order is None:
            self._load_order = self.roadmap.card_ids_by_date()
            self._load_order.reverse()  # taken from the end, a chunk at a time
            return
        if not order:  # every card is in: in Roadmap.cards()' order from now on
            every = sorted(self._cards.values(), key=lambda c: (c.position, c.id))
            self._cards = {c.id: c for c in every}
            self._end_load()
            return
        started = time.perf_counter()
        wanted = order[-self._chunk :]
        del order[-self._chunk :]
        wanted.reverse()
        self._load_read += len(wanted)
        # A card an edit brought in already (added, or changed before its chunk came) is
        # kept as it is; a card deleted meanwhile is simply not read.
        new = self.roadmap.read_cards([i for i in wanted if i not in self._cards])
        for card in new:
            self._cards[card.id] = card
        if new:
            self.changed.emit([Change("card", "added", tuple(c.id for c in new))])
        if order:
            self.load_progress.emit(self._load_read, max(self._load_total, self._load_read))
        # The next chunk is sized so that reading and showing it takes about TURN_S.
        took = max(time.perf_counter() - started, 1e-3)
        size = self._chunk * min(2.0, max(0.5, TURN_S / took))
        self._chunk = int(min(CHUNK_MAX, max(CHUNK_MIN, size)))

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
