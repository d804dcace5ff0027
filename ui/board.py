"""The Now / Next / Later board: the same cards bucketed by date relative to today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFontMetrics,
    QPainter,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from planner.buckets import BUCKET_LABELS, BUCKETS, bucket_for, dates_for_bucket
from planner.errors import ValidationError
from planner.lens import Lens, color_for
from planner.model import STATUS_LABELS, Card
from ui.commands import MoveCards, SetInfo, run
from ui.document import Document

CARD_MIME = "application/x-roadmap-card-ids"
ID_ROLE = Qt.ItemDataRole.UserRole
COLOUR_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
INTERNAL_ROLE = Qt.ItemDataRole.UserRole + 4


def encode_ids(ids: Iterable[int]) -> QMimeData:
    mime = QMimeData()
    mime.setData(CARD_MIME, QByteArray(",".join(str(i) for i in ids).encode("ascii")))
    return mime


def decode_ids(mime: QMimeData) -> list[int]:
    if not mime.hasFormat(CARD_MIME):
        return []
    raw = bytes(mime.data(CARD_MIME).data()).decode("ascii", "replace")
    return [int(p) for p in raw.split(",") if p.strip().isdigit()]


def _text_on(colour: QColor) -> QColor:
    """Black or white, whichever reads better on ``colour``."""
    luma = 0.299 * colour.redF() + 0.587 * colour.greenF() + 0.114 * colour.blueF()
    return QColor("#1b1b1b") if luma > 0.6 else QColor("#ffffff")


def two_lines(text: str, fm: QFontMetrics, width: int) -> list[str]:
    """The title wrapped at words onto at most two lines, the second elided."""
    words = text.split()
    first = ""
    while words and fm.horizontalAdvance((first + " " + words[0]).strip()) <= width:
        first = (first + " " + words.pop(0)).strip()
    if not first:  # one very long word
        return [fm.elidedText(text, Qt.TextElideMode.ElideRight, width)]
    rest = " ".join(words)
    if not rest:
        return [first]
    return [first, fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)]


class TileDelegate(QStyledItemDelegate):
    """Paints a card as a tile: colour band, title, then the view's chosen fields."""

    @override
    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt override
                 index: QModelIndex | QPersistentModelIndex) -> QSize:  # fmt: skip
        fm = QFontMetrics(option.font)
        lines = 3 if index.data(DETAIL_ROLE) else 2  # the title may take two lines
        return QSize(180, fm.height() * lines + 22)

    @override
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        rect: QRect = option.rect.adjusted(4, 3, -4, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colour = QColor(index.data(COLOUR_ROLE) or "#8c8c8c")
        palette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(palette.highlight().color() if selected else palette.mid().color())
        painter.setBrush(palette.base())
        painter.drawRoundedRect(rect, 5, 5)
        band = QRect(rect.left(), rect.top(), 6, rect.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(band, 3, 3)
        text_rect = rect.adjusted(14, 5, -8, -5)
        fm = QFontMetrics(option.font)
        font = option.font
        bold = type(font)(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(palette.text().color())
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        top = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        y = 0
        for line in two_lines(title, QFontMetrics(bold), text_rect.width()):
            painter.drawText(text_rect.adjusted(0, y, 0, 0), top, line)
            y += fm.height()
        detail = index.data(DETAIL_ROLE)
        if detail:
            painter.setFont(font)
            painter.setPen(palette.placeholderText().color())
            line = fm.elidedText(str(detail), Qt.TextElideMode.ElideRight, text_rect.width())
            painter.drawText(text_rect.adjusted(0, y + 2, 0, 0), top, line)
        painter.restore()


class BoardColumn(QListWidget):
    """One bucket's tiles; tiles are dragged out and dropped in as card ids."""

    cards_dropped = Signal(object, str)  # (list of card ids, bucket)

    def __init__(self, bucket: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bucket = bucket
        self.read_only = False
        self.setObjectName(f"board_{bucket}")
        self.setItemDelegate(TileDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSpacing(1)
        self.setUniformItemSizes(False)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def card_ids(self) -> list[int]:
        return [int(self.item(i).data(ID_ROLE)) for i in range(self.count())]

    def item_for(self, card_id: int) -> QListWidgetItem | None:
        for i in range(self.count()):
            if self.item(i).data(ID_ROLE) == card_id:
                return self.item(i)
        return None

    @override
    def startDrag(self, supportedActions: Qt.DropAction) -> None:  # noqa: N802,N803
        if self.read_only:
            return
        ids = [int(it.data(ID_ROLE)) for it in self.selectedItems()]
        if not ids:
            return
        drag = QDrag(self)
        drag.setMimeData(encode_ids(ids))
        # The board reloads from the file after the drop; the source never removes rows itself.
        drag.exec(Qt.DropAction.MoveAction)

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        return not self.read_only and event.mimeData().hasFormat(CARD_MIME)

    @override
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._accepts(event):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    @override
    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if self._accepts(event):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    @override
    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        if not self._accepts(event):
            event.ignore()
            return
        ids = decode_ids(event.mimeData())
        event.setDropAction(Qt.DropAction.CopyAction)  # never let the source delete rows
        event.accept()
        if ids:
            self.cards_dropped.emit(ids, self.bucket)


class BoardView(QWidget):
    """Now / Next / Later / Unscheduled columns, honouring the active view's filters."""

    card_activated = Signal(int)
    message_shown = Signal(str)

    def __init__(self, document: Document, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.document = document
        self.undo_stack = undo_stack
        self.today: dt.date | None = None  # None: the real today (tests pin a date)
        self.read_only = False
        self._lens = Lens.from_view(document.active_view)
        self._loading = False
        self._tiles: dict[int, QListWidgetItem] = {}  # card id -> its tile, in any column

        self.now_spin = QSpinBox(self)
        self.next_spin = QSpinBox(self)
        for spin in (self.now_spin, self.next_spin):
            spin.setRange(0, 520)
            spin.setSuffix(self.tr(" weeks"))
            spin.setKeyboardTracking(False)
            spin.editingFinished.connect(self._on_horizon_edited)
        self.now_spin.setToolTip(self.tr("Now: cards starting within this many weeks of today"))
        self.next_spin.setToolTip(self.tr("Next: cards starting in the weeks after Now"))
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.controls = QWidget(self)
        top = QHBoxLayout(self.controls)
        top.setContentsMargins(0, 0, 0, 0)
        for text, spin in ((self.tr("Now:"), self.now_spin), (self.tr("Next:"), self.next_spin)):
            label = QLabel(text, self.controls)
            label.setTextFormat(Qt.TextFormat.PlainText)
            top.addWidget(label)
            top.addWidget(spin)
        top.addSpacing(12)
        top.addWidget(self.message, 1)

        self.columns: dict[str, BoardColumn] = {}
        self.headers: dict[str, QLabel] = {}
        row = QHBoxLayout()
        row.setSpacing(8)
        for bucket in BUCKETS:
            frame = QFrame(self)
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            box = QVBoxLayout(frame)
            box.setContentsMargins(4, 4, 4, 4)
            header = QLabel(frame)
            header.setTextFormat(Qt.TextFormat.PlainText)
            header.setStyleSheet("font-weight: bold")  # keeps the size presentation sets
            column = BoardColumn(bucket, frame)
            column.cards_dropped.connect(self._on_column_cards_dropped)
            column.itemSelectionChanged.connect(self._on_column_selection_changed)
            column.itemActivated.connect(self._on_column_item_activated)
            box.addWidget(header)
            box.addWidget(column, 1)
            row.addWidget(frame, 1)
            self.columns[bucket] = column
            self.headers[bucket] = header
        outer = QVBoxLayout(self)
        outer.addWidget(self.controls)
        outer.addLayout(row, 1)

        document.changed.connect(self._on_document_changed)
        document.view_changed.connect(self._on_document_view_changed)
        document.search_changed.connect(self._on_document_view_changed)
        document.selection_changed.connect(self._on_document_selection_changed)
        self._stale = True
        self.rebuild(lazy=True)  # tiles are made when the board is first shown

    # ----- reading the plan

    def current_today(self) -> dt.date:
        return self.today or dt.date.today()

    def bucket_of(self, card: Card) -> str:
        info = self._info
        return bucket_for(card, self.current_today(), info.now_weeks, info.next_weeks)

    def shown_ids(self) -> dict[str, list[int]]:
        """Card ids per bucket, as displayed."""
        if self._stale:
            self.rebuild()
        return {b: c.card_ids() for b, c in self.columns.items()}

    def _shows(self, card: Card) -> bool:
        return self._lens.includes(card) and self.document.search.matches(card)

    def rebuild(self, lazy: bool = False) -> None:
        """Reload every tile (after a view, lane, objective or settings change).

        With ``lazy`` and the board hidden, only the settings are read and the tiles wait
        until it is shown, so opening a large roadmap does not pay for a tab nobody looks at.
        """
        roadmap = self.document.roadmap
        if roadmap.closed:
            return
        self._lens = Lens.from_view(self.document.active_view)
        self._info = info = roadmap.info()
        self._loading = True
        try:
            self.now_spin.setValue(info.now_weeks)
            self.next_spin.setValue(info.next_weeks)
            self._lanes = {lane.id: lane for lane in roadmap.lanes()}
            self._objectives = {o.id: o for o in roadmap.objectives()}
            for column in self.columns.values():
                column.clear()
            self._tiles.clear()
            self._stale = lazy and not self.isVisible()
            if self._stale:
                return
            for card in sorted(self.document.cards(), key=_sort_key):
                if self._shows(card):
                    self._add_tile(card, append=True)  # already in order: no search
        finally:
            self._loading = False
        self._update_headers()
        self._on_document_selection_changed(self.document.selection, None)

    def _add_tile(self, card: Card, append: bool = False) -> None:
        column = self.columns[self.bucket_of(card)]
        item = QListWidgetItem(card.title)
        item.setData(ID_ROLE, card.id)
        item.setData(COLOUR_ROLE, color_for(card, self._lens, self._lanes, self._objectives))
        item.setData(DETAIL_ROLE, self._detail(card))
        item.setData(SORT_ROLE, _sort_key(card))
        item.setData(INTERNAL_ROLE, card.internal)
        self._tiles[card.id] = item
        if append:
            column.addItem(item)
            return
        # The column is in key order: insert after the tiles with keys up to this one.
        key = _sort_key(card)
        lo, hi = 0, column.count()
        while lo < hi:
            mid = (lo + hi) // 2
            if column.item(mid).data(SORT_ROLE) > key:
                hi = mid
            else:
                lo = mid + 1
        column.insertItem(lo, item)

    def _detail(self, card: Card) -> str:
        """The second line of a tile: the view's chosen fields, dates at its precision."""
        fields = self._lens.fields
        parts: list[str] = []
        if "status" in fields:
            parts.append(self.tr(STATUS_LABELS.get(card.status, card.status)))
        if "owner" in fields and card.owner:
            parts.append(card.owner)
        if "estimate" in fields and card.estimate is not None:
            parts.append(self.tr("%1 pts").replace("%1", f"{card.estimate:g}"))
        if "dates" in fields and self._lens.precision != "nnl" and card.scheduled:
            assert card.start is not None and card.end is not None
            parts.append(self._lens.format_range(*self._lens.display_dates(card.start, card.end)))
        if "tags" in fields and card.tags:
            parts.append(", ".join(card.tags))
        return " · ".join(parts)

    def _update_headers(self) -> None:
        for bucket, header in self.headers.items():
            n = self.columns[bucket].count()
            header.setText(f"{self.tr(BUCKET_LABELS[bucket])}  ({n})")

    def _update_cards(self, ids: Sequence[int]) -> None:
        """Re-place just these cards' tiles, keeping the shared selection as it is."""
        self._loading = True  # taking a selected tile out must not clear the selection
        try:
            for cid in ids:
                item = self._tiles.pop(cid, None)
                column = item.listWidget() if item is not None else None
                if item is not None and column is not None:
                    column.takeItem(column.row(item))
            cards = self.document.roadmap.cards_by_id(ids)
            selected = set(self.document.selection)
            for cid in ids:
                card = cards.get(cid)
                if card is not None and self._shows(card):
                    self._add_tile(card)
                    if cid in selected:
                        self._tiles[cid].setSelected(True)
        finally:
            self._loading = False
        self._update_headers()

    # ----- edits

    def move_to_bucket(self, ids: Sequence[int], bucket: str) -> bool:
        """Move cards' dates into ``bucket`` keeping their durations, as one undo step."""
        if self.read_only or self.document.roadmap.read_only:
            return False
        info = self.document.roadmap.info()
        today = self.current_today()
        moves = {}
        try:
            for card in self.document.roadmap.cards_by_id(ids).values():
                start, end = dates_for_bucket(card, bucket, today, info.now_weeks,
                                              info.next_weeks)  # fmt: skip
                if (start, end) != (card.start, card.end):
                    moves[card.id] = (start, end, None)
            if not moves:
                return False
            title = self.tr("Move to %1").replace("%1", self.tr(BUCKET_LABELS[bucket]))
            run(self.undo_stack, MoveCards(self.document.roadmap, moves, text=title))
        except ValidationError as exc:
            self._show_message(str(exc))
            return False
        self._show_message("")
        return True

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for column in self.columns.values():
            column.read_only = read_only
            column.setDragEnabled(not read_only)
            column.setAcceptDrops(not read_only)
        self.now_spin.setEnabled(not read_only)
        self.next_spin.setEnabled(not read_only)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        if text:
            self.message_shown.emit(text)

    # ----- slots

    def _on_column_cards_dropped(self, ids: list[int], bucket: str) -> None:
        self.move_to_bucket(ids, bucket)

    def _on_horizon_edited(self) -> None:
        if self._loading or self.read_only:
            return
        info = self.document.roadmap.info()
        now, nxt = self.now_spin.value(), self.next_spin.value()
        if (now, nxt) == (info.now_weeks, info.next_weeks):
            return
        try:
            run(self.undo_stack, SetInfo(self.document.roadmap, self.tr("Change horizons"),
                                         now_weeks=now, next_weeks=nxt))  # fmt: skip
        except ValidationError as exc:
            self._show_message(str(exc))

    def _on_column_selection_changed(self) -> None:
        if self._loading:
            return
        column = self.sender()
        ids = [int(i.data(ID_ROLE)) for i in column.selectedItems()]  # type: ignore[attr-defined]
        self._loading = True
        try:
            for other in self.columns.values():
                if other is not column:
                    other.clearSelection()
        finally:
            self._loading = False
        self.document.set_selection(ids, self)

    def _on_column_item_activated(self, item: QListWidgetItem) -> None:
        self.card_activated.emit(int(item.data(ID_ROLE)))

    def _on_document_selection_changed(self, ids: object, initiator: object) -> None:
        if initiator is self:
            return
        wanted = set(ids)  # type: ignore[call-overload]
        self._loading = True
        try:  # touch only the tiles selected before and after, not every tile
            for column in self.columns.values():
                for item in column.selectedItems():
                    if item.data(ID_ROLE) not in wanted:
                        item.setSelected(False)
            for cid in wanted:
                tile = self._tiles.get(cid)
                if tile is not None and not tile.isSelected():
                    tile.setSelected(True)
        finally:
            self._loading = False

    def _on_document_changed(self, changes: list[Any]) -> None:
        card_ids: list[int] = []
        for c in changes:
            if c.entity == "card":
                card_ids.extend(c.ids)
            elif c.entity in ("lane", "objective", "roadmap", "plan"):
                self.rebuild(lazy=True)  # an edited active view arrives as view_changed
                return
        if card_ids and not self._stale:
            self._update_cards(list(dict.fromkeys(card_ids)))

    def _on_document_view_changed(self, _view: object) -> None:
        self.rebuild(lazy=True)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        if self._stale:
            self.rebuild()
        super().showEvent(event)


def _sort_key(card: Card) -> str:
    """Tiles run by start date, then the card's position, then title."""
    start = card.start.isoformat() if card.start else "9999-99-99"
    return f"{start}|{card.position:012d}|{card.title.casefold()}"


def install(window: QMainWindow) -> BoardView:
    """The board as a tab beside the timeline."""
    board = BoardView(window.document, window.undo_stack, window)  # type: ignore[attr-defined]
    window.tabs.addTab(board, window.tr("Now / Next / Later"))  # type: ignore[attr-defined]
    window.board = board  # type: ignore[attr-defined]
    board.message_shown.connect(lambda text: window.statusBar().showMessage(text, 5000))
    return board
