"""The open roadmap as seen by the widgets: change signals and the shared card selection."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QObject, Signal

from planner.model import Card, View
from planner.search import CardFilter
from planner.store import Change, Roadmap


class Document(QObject):
    """Wraps a Roadmap; turns its change callbacks into a Qt signal widgets connect to."""

    changed = Signal(object)  # list[Change], after each committed transaction
    selection_changed = Signal(object, object)  # (tuple of card ids, initiator or None)
    view_changed = Signal(object)  # the active planner.View, or None for "everything"
    search_changed = Signal(object)  # the search bar's planner.search.CardFilter

    def __init__(self, roadmap: Roadmap, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.roadmap = roadmap
        self._selection: tuple[int, ...] = ()
        self.active_view: View | None = None
        self.search = CardFilter()
        self._cards: dict[int, Card] | None = None
        self._unsubscribe = roadmap.subscribe(self._on_roadmap_changed)

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
