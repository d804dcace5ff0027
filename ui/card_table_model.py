"""Cards as a table: one row per card the active view shows, updated row by row on each change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QUndoStack

from planner.card_rules import date_change, fmt_number
from planner.errors import ValidationError
from planner.model import (
    DATE_CONFIDENCES,
    KINDS,
    PRIORITIES,
    PRIORITY_LABELS,
    STATUS_LABELS,
    STATUSES,
    Card,
    Lane,
    Objective,
)
from planner.store import Change
from ui.commands import UpdateCards, run
from ui.document import Document
from ui.widgets.date_edit import parse_date
from ui.widgets.plain import short, tooltip

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2  # the raw field value, for editors
ID_ROLE = Qt.ItemDataRole.UserRole + 3

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str  # text, choice, number, date, tags, bool, readonly


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", "text"),
    Column("lane_id", "Lane", "choice"),
    Column("kind", "Kind", "choice"),
    Column("status", "Status", "choice"),
    Column("start", "Start", "date"),
    Column("end", "End", "date"),
    Column("priority", "Priority", "choice"),
    Column("estimate", "Estimate", "number"),
    Column("rice", "RICE", "readonly"),
    Column("reach", "Reach", "number"),
    Column("impact", "Impact", "number"),
    Column("confidence", "Confidence %", "number"),
    Column("effort", "Effort", "number"),
    Column("date_confidence", "Date confidence", "choice"),
    Column("owner", "Owner", "text"),
    Column("tags", "Tags", "tags"),
    Column("objective_id", "Objective", "choice"),
    Column("user_story", "User story", "readonly"),
    Column("criteria", "Criteria done", "readonly"),
    Column("internal", "Internal", "bool"),
    Column("link", "Link", "text"),
    Column("created", "Created", "readonly"),
    Column("id", "Id", "readonly"),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)


class CardTableModel(QAbstractTableModel):
    """The cards of the plan through the active lens; edits go through undo commands."""

    edit_failed = Signal(str)

    def __init__(self, document: Document, undo_stack: QUndoStack,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.roadmap = document.roadmap
        self.undo_stack = undo_stack
        self._cards: list[Card] = []
        self._rows: dict[int, int] = {}
        self._lanes: dict[int, Lane] = {}
        self._objectives: dict[int, Objective] = {}
        self._lens: Any = None
        self._reload()
        document.changed.connect(self._on_document_changed)
        document.view_changed.connect(self._on_document_view_changed)

    # ----- loading

    def _make_lens(self) -> Any:
        try:
            from planner.lens import Lens
        except ImportError:  # the lens module is not there yet
            return None
        return Lens.from_view(self.document.active_view)

    def _shown(self, card: Card) -> bool:
        return self._lens is None or self._lens.includes(card)

    def _reload(self) -> None:
        self.beginResetModel()
        self._lens = self._make_lens()
        self._load_names()
        self._cards = [c for c in self.document.cards() if self._shown(c)]
        self._reindex()
        self.endResetModel()

    def _load_names(self) -> None:
        self._lanes = {lane.id: lane for lane in self.roadmap.lanes()}
        self._objectives = {o.id: o for o in self.roadmap.objectives()}

    def _reindex(self) -> None:
        self._rows = {c.id: i for i, c in enumerate(self._cards)}

    def _on_document_view_changed(self, _view: object) -> None:
        self._reload()

    def _on_document_changed(self, changes: list[Change]) -> None:
        names_changed = False
        for change in changes:
            if change.entity == "plan" or (change.entity == "card" and change.op == "reset"):
                self._reload()
                return
            if change.entity in ("lane", "objective"):
                names_changed = True
            elif change.entity == "card" and change.op == "removed":
                self._remove_ids(change.ids)
            elif change.entity == "card":
                self._upsert_ids(change.ids)
        if names_changed and self._cards:
            self._load_names()
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._cards) - 1, len(COLUMNS) - 1))  # fmt: skip

    def _remove_ids(self, ids: Iterable[int]) -> None:
        ids = [i for i in ids if i in self._rows]
        rows = sorted({self._rows[i] for i in ids}, reverse=True)
        if not rows:
            return
        # Remove contiguous runs from the bottom up, then reindex once.
        run_end = run_start = rows[0]
        for row in [*rows[1:], None]:
            if row is not None and row == run_start - 1:
                run_start = row
                continue
            self.beginRemoveRows(QModelIndex(), run_start, run_end)
            del self._cards[run_start : run_end + 1]
            self.endRemoveRows()
            if row is not None:
                run_end = run_start = row
        for cid in ids:
            self._rows.pop(cid, None)
        for i in range(rows[-1], len(self._cards)):  # rows above the first removed keep theirs
            self._rows[self._cards[i].id] = i

    def _upsert_ids(self, ids: Sequence[int]) -> None:
        found = self.roadmap.cards_by_id(ids)
        gone = [i for i in ids if i in self._rows and (i not in found or not self._shown(found[i]))]
        self._remove_ids(gone)
        new: list[Card] = []
        changed: dict[int, Card] = {}
        for cid in ids:
            card = found.get(cid)
            if card is None or not self._shown(card):
                continue
            row = self._rows.get(cid)
            if row is None:
                new.append(card)
            else:
                changed[row] = card
        self._replace_rows(changed)
        if new:
            first = len(self._cards)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._cards.extend(new)
            for i, card in enumerate(new):
                self._rows[card.id] = first + i
            self.endInsertRows()

    def _replace_rows(self, cards: dict[int, Card]) -> None:
        """Put new cards in their rows, one dataChanged per run of adjacent rows.

        Each run is announced before the next is changed: the sorting proxy re-sorts the rows
        it is told about against rows it can trust, so no row may change unannounced.
        """
        last = len(COLUMNS) - 1
        rows = sorted(cards)
        i = 0
        while i < len(rows):
            j = i
            while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
                j += 1
            for row in rows[i : j + 1]:
                self._cards[row] = cards[row]
            self.dataChanged.emit(self.index(rows[i], 0), self.index(rows[j], last))
            i = j + 1

    # ----- reading

    def card_at(self, row: int) -> Card:
        return self._cards[row]

    def row_of(self, card_id: int) -> int | None:
        return self._rows.get(card_id)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt
        return 0 if parent.isValid() else len(self._cards)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr(COLUMNS[section].title)
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        kind = COLUMNS[index.column()].kind
        if self.roadmap.read_only or kind == "readonly":
            return base
        if kind == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def raw(self, card: Card, key: str) -> Any:
        if key == "rice":
            return card.rice
        if key == "user_story":
            return card.user_story
        if key == "criteria":
            return card.criteria_done
        return getattr(card, key)

    def display(self, card: Card, key: str) -> str:
        value = self.raw(card, key)
        if key == "lane_id":
            lane = self._lanes.get(value) if value is not None else None
            return short(lane.name, 80) if lane else ""
        if key == "objective_id":
            o = self._objectives.get(value) if value is not None else None
            return short(o.name, 80) if o else ""
        if key == "status":
            return self.tr(STATUS_LABELS.get(value, value))
        if key == "priority":
            return self.tr(PRIORITY_LABELS[value]) if value in PRIORITY_LABELS else ""
        if key in ("kind", "date_confidence"):
            return self.tr(value.capitalize()) if value else ""
        if key == "criteria":
            return f"{card.criteria_done} / {len(card.criteria)}" if card.criteria else ""
        if key == "tags":
            return short(", ".join(card.tags), 120)
        if key == "internal":
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, float):
            return fmt_number(round(value, 2))
        if value is None:
            return ""
        return short(str(value))

    def sort_value(self, card: Card, key: str) -> Any:
        value = self.raw(card, key)
        if key == "lane_id":
            lane = self._lanes.get(value) if value is not None else None
            return lane.position if lane else 1_000_000
        if key == "objective_id":
            o = self._objectives.get(value) if value is not None else None
            return o.position if o else 1_000_000
        if key == "status":
            return STATUSES.index(value) if value in STATUSES else len(STATUSES)
        if key == "priority":
            return PRIORITIES.index(value) if value in PRIORITIES else len(PRIORITIES)
        if key == "kind":
            return KINDS.index(value) if value in KINDS else len(KINDS)
        if key == "date_confidence":
            return DATE_CONFIDENCES.index(value) if value in DATE_CONFIDENCES else -1
        if key in ("start", "end"):
            return value.isoformat() if value else "9999"
        if key in ("estimate", "reach", "impact", "confidence", "effort", "rice", "criteria"):
            return float("-inf") if value is None else float(value)
        if key in ("internal", "id"):
            return int(value)
        if key == "tags":
            return ", ".join(card.tags).casefold()
        return str(value or "")[:200].casefold()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        card = self._cards[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(card, column.key)
        if role == Qt.ItemDataRole.EditRole:
            if column.kind in ("number",):
                value = self.raw(card, column.key)
                return "" if value is None else fmt_number(value).replace(",", "")
            if column.kind == "tags":
                return ", ".join(card.tags)
            if column.kind == "text":
                return str(self.raw(card, column.key))
            return self.display(card, column.key)
        if role == SORT_ROLE:
            return self.sort_value(card, column.key)
        if role == VALUE_ROLE:
            return self.raw(card, column.key)
        if role == ID_ROLE:
            return card.id
        if role == Qt.ItemDataRole.CheckStateRole and column.kind == "bool":
            return Qt.CheckState.Checked if card.internal else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and column.key in ("title", "user_story", "tags",
                                                                  "owner", "link"):
            text = self.raw(card, column.key)
            text = ", ".join(text) if isinstance(text, tuple) else str(text or "")
            return tooltip(text) if text else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in ("number",) or (
            role == Qt.ItemDataRole.TextAlignmentRole and column.key in ("rice", "id")
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def choices(self, key: str) -> list[tuple[str, Any]]:
        """(label, value) pairs a choice column offers."""
        tr = self.tr
        if key == "lane_id":
            return [(tr("No lane"), None)] + [(short(lane.name, 80), lane.id)
                                              for lane in self.roadmap.lanes()]
        if key == "objective_id":
            return [(tr("—"), None)] + [(short(o.name, 80), o.id)
                                        for o in self.roadmap.objectives()]
        if key == "status":
            return [(tr(STATUS_LABELS[s]), s) for s in STATUSES]
        if key == "kind":
            return [(tr(k.capitalize()), k) for k in KINDS]
        if key == "priority":
            return [(tr("—"), None)] + [(tr(PRIORITY_LABELS[p]), p) for p in PRIORITIES]
        if key == "date_confidence":
            return [(tr("—"), None)] + [(tr(c.capitalize()), c) for c in DATE_CONFIDENCES]
        return []

    # ----- editing

    def setData(self, index: AnyIndex, value: Any,  # noqa: N802 - Qt override
                role: int = Qt.ItemDataRole.EditRole) -> bool:  # fmt: skip
        if not index.isValid() or not (self.flags(index) & (Qt.ItemFlag.ItemIsEditable
                                                             | Qt.ItemFlag.ItemIsUserCheckable)):
            return False
        card = self._cards[index.row()]
        column = COLUMNS[index.column()]
        try:
            fields = self._fields_for(card, column, value, role)
        except ValueError as exc:
            self.edit_failed.emit(str(exc))
            return False
        if fields is None:
            return False
        if all(getattr(card, k) == v for k, v in fields.items()):
            return True
        text = self.tr("Edit %1").replace("%1", self.tr(column.title).lower())
        try:
            run(self.undo_stack, UpdateCards(self.roadmap, {card.id: fields}, text))
        except ValidationError as exc:
            self.edit_failed.emit(str(exc))
            return False
        return True

    def _fields_for(self, card: Card, column: Column, value: Any,
                    role: int) -> dict[str, Any] | None:  # fmt: skip
        key = column.key
        if column.kind == "bool":
            if role != Qt.ItemDataRole.CheckStateRole:
                return None
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            return {key: checked}
        if role != Qt.ItemDataRole.EditRole:
            return None
        if column.kind == "choice":
            return {key: value}
        if column.kind == "number":
            text = str(value if value is not None else "").strip().replace(",", "")
            try:
                return {key: float(text) if text else None}
            except ValueError:
                raise ValueError(self.tr("%1 must be a number, or empty")
                                 .replace("%1", self.tr(column.title))) from None
        if column.kind == "date":
            try:
                day = parse_date(str(value or ""))
            except ValueError:
                message = self.tr("Write the date as YYYY-MM-DD, or leave it empty")
                raise ValueError(message) from None
            from ui.card_editor import duration_days

            return date_change(card, key, day, duration_days(card.kind))
        if column.kind == "tags":
            return {key: tuple(t.strip() for t in str(value or "").split(",") if t.strip())}
        text = str(value if value is not None else "")
        return {key: text if key == "title" else text.strip()}


class CardFilterProxy(QSortFilterProxyModel):
    """Sorts by each column's sort value and keeps only the cards the search bar matches."""

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        document.search_changed.connect(self._on_document_search_changed)

    def _on_document_search_changed(self, _search: object) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+; invalidateFilter is deprecated there
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int,  # noqa: N802 - Qt override
                         source_parent: AnyIndex) -> bool:  # fmt: skip
        search = self.document.search
        if not search.active:
            return True
        model = self.sourceModel()
        assert isinstance(model, CardTableModel)
        return bool(search.matches(model.card_at(source_row)))
