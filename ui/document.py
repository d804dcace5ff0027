"""The open roadmap as seen by the widgets: change signals and the shared card selection."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QObject, Signal

from planner.model import View
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
        self._unsubscribe = roadmap.subscribe(self._on_roadmap_changed)

    def _on_roadmap_changed(self, changes: Sequence[Change]) -> None:
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
