"""The backlog dock: undated cards, sorted and filtered, dragged to and from the timeline."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from planner.card_rules import default_end, fmt_number
from planner.errors import ValidationError
from planner.model import PRIORITIES, PRIORITY_LABELS, Card
from planner.search import CardFilter
from planner.store import Change
from ui.card_editor import duration_days
from ui.commands import AddCards, DeleteCards, MoveCards, UpdateCards, run
from ui.document import Document
from ui.widgets.plain import plain_label, short, tooltip

CARD_IDS_MIME = "application/x-roadmap-card-ids"
SORTS = ("priority", "rice", "age", "title")
ID_ROLE = Qt.ItemDataRole.UserRole
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 1  # "Should · RICE 450 · feature"


def encode_card_ids(ids: Iterable[int]) -> QMimeData:
    """Mime data carrying card ids as a JSON list of ints."""
    mime = QMimeData()
    mime.setData(CARD_IDS_MIME, json.dumps([int(i) for i in ids]).encode("ascii"))
    return mime


def decode_card_ids(mime: QMimeData | None) -> list[int]:
    """Card ids from mime data; anything malformed gives an empty list."""
    if mime is None or not mime.hasFormat(CARD_IDS_MIME):
        return []
    try:
        value = json.loads(bytes(mime.data(CARD_IDS_MIME).data()).decode("ascii"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return []
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, int) and not isinstance(v, bool)][:100_000]


def in_backlog(card: Card) -> bool:
    """Undated cards sit in the backlog (dated cards without a lane are on the timeline)."""
    return not card.scheduled


def sort_key(order: str) -> Any:
    """Sort key for backlog cards: priority, RICE score (high first), age (oldest first), title."""
    rank = {p: i for i, p in enumerate(PRIORITIES)}
    if order == "rice":
        return lambda c: (c.rice is None, -(c.rice or 0.0), c.id)
    if order == "age":
        return lambda c: (c.created or "9999", c.id)
    if order == "title":
        return lambda c: (c.title.casefold(), c.id)
    return lambda c: (rank.get(c.priority or "", len(rank)), -(c.rice or 0.0), c.id)


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


class BacklogItemDelegate(QStyledItemDelegate):
    """A card as two lines: its title in bold, then a smaller grey detail line; a rule below.

    Both lines are cut with "…" to the row's width, so the list never scrolls sideways.
    """

    PAD = 5

    def fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        """The title font (bold) and the detail font (smaller)."""
        title = QFont(option.font)
        title.setBold(True)
        detail = QFont(option.font)
        if detail.pointSizeF() > 0:
            detail.setPointSizeF(max(6.0, detail.pointSizeF() * 0.85))
        else:
            detail.setPixelSize(max(8, round(detail.pixelSize() * 0.85)))
        return title, detail

    def lines(self, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> tuple[str, str]:  # fmt: skip
        """The title and detail line as painted in ``option.rect``, elided to fit."""
        title_font, detail_font = self.fonts(option)
        width = max(0, option.rect.width() - 2 * self.PAD)
        elide = Qt.TextElideMode.ElideRight
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        detail = str(index.data(DETAIL_ROLE) or "")
        return (QFontMetrics(title_font).elidedText(title, elide, width),
                QFontMetrics(detail_font).elidedText(detail, elide, width))  # fmt: skip

    @override
    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt override
                 index: QModelIndex | QPersistentModelIndex) -> QSize:  # fmt: skip
        title_font, detail_font = self.fonts(option)
        height = QFontMetrics(title_font).height() + QFontMetrics(detail_font).height()
        # Width 1: rows take the viewport's width and never ask for a horizontal scroll bar.
        return QSize(1, height + 3 * self.PAD)

    @override
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        base = QStyleOptionViewItem(option)
        self.initStyleOption(base, index)
        base.text = ""  # the style draws the selection and focus; the text is ours
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, base, painter, widget)
        title, detail = self.lines(option, index)
        title_font, detail_font = self.fonts(option)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = palette.highlightedText().color() if selected else palette.text().color()
        grey = QColor(text_colour) if selected else palette.placeholderText().color()
        rect = option.rect
        x, width = rect.left() + self.PAD, max(0, rect.width() - 2 * self.PAD)
        title_height = QFontMetrics(title_font).height()
        detail_height = QFontMetrics(detail_font).height()
        left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.save()
        painter.setFont(title_font)
        painter.setPen(text_colour)
        painter.drawText(x, rect.top() + self.PAD, width, title_height, left, title)
        painter.setFont(detail_font)
        painter.setPen(grey)
        painter.drawText(x, rect.top() + self.PAD + title_height + self.PAD // 2, width,
                         detail_height, left, detail)  # fmt: skip
        painter.setPen(palette.mid().color())
        painter.drawLine(rect.left(), rect.bottom(), rect.right(), rect.bottom())
        painter.restore()


class BacklogList(QListWidget):
    """The list of backlog cards: drags card ids out, takes timeline cards dropped in."""

    cards_dropped = Signal(object)  # list of card ids dropped here

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setUniformItemSizes(True)
        self.setItemDelegate(BacklogItemDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

    def selected_ids(self) -> list[int]:
        return [int(item.data(Qt.ItemDataRole.UserRole)) for item in self.selectedItems()]

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt override
        return [CARD_IDS_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:  # noqa: N802 - Qt override
        return encode_card_ids(int(i.data(Qt.ItemDataRole.UserRole)) for i in items)

    def startDrag(self, supported: Qt.DropAction) -> None:  # noqa: N802 - Qt override
        # Our own QDrag: the default would remove the rows from this list after a move.
        items = self.selectedItems()
        if not items:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData(items))
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, Qt.DropAction.MoveAction)

    def _acceptable(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        return event.source() is not self and bool(decode_card_ids(event.mimeData()))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._acceptable(event):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if self._acceptable(event):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        if not self._acceptable(event):
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.cards_dropped.emit(decode_card_ids(event.mimeData()))


class Backlog(QWidget):
    """Undated cards with a quick-add line, a text filter and a sort order."""

    card_activated = Signal(int)
    status_message = Signal(str)

    def __init__(self, document: Document, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.roadmap = document.roadmap
        self.undo_stack = undo_stack
        self._ids: list[int] = []
        self._waiting: set[int] = set()  # every backlog card, shown or filtered out
        tr = self.tr
        self.add_line = QLineEdit(self)
        self.add_line.setPlaceholderText(tr("Add a card: type a title, press Enter"))
        self.add_line.setClearButtonEnabled(True)
        self.filter_line = QLineEdit(self)
        self.filter_line.setPlaceholderText(tr("Filter the backlog"))
        self.filter_line.setClearButtonEnabled(True)
        self.sort_combo = QComboBox(self)
        for text, key in ((tr("Priority"), "priority"), (tr("RICE score"), "rice"),
                          (tr("Age"), "age"), (tr("Title"), "title")):  # fmt: skip
            self.sort_combo.addItem(text, key)
        self.sort_combo.setToolTip(tr("Sort the backlog"))
        self.list = BacklogList(self)
        self.count_label = plain_label("", self)
        self.message_label = plain_label("", self, wrap=True)
        self.message_label.setStyleSheet("color: #d32f2f;")
        self.message_label.hide()
        row = QHBoxLayout()
        row.addWidget(self.filter_line, 1)
        row.addWidget(self.sort_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.add_line)
        layout.addWidget(self.message_label)
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)

        self.schedule_action = QAction(tr("&Schedule from Next Monday"), self)
        self.schedule_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.schedule_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.schedule_action.triggered.connect(self._on_schedule_triggered)
        self.delete_action = QAction(tr("&Delete"), self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self._on_delete_triggered)
        self.list.addAction(self.schedule_action)
        self.list.addAction(self.delete_action)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.addAction(self.schedule_action)

        self.add_line.returnPressed.connect(self._on_add_line_return_pressed)
        self.filter_line.textChanged.connect(self.refresh)
        self.sort_combo.currentIndexChanged.connect(self.refresh)
        self.list.itemSelectionChanged.connect(self._on_list_selection_changed)
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.list.cards_dropped.connect(self.unschedule)
        if self.roadmap.read_only:
            self.add_line.setEnabled(False)
            self.add_line.setPlaceholderText(tr("Read-only: cards cannot be added"))
            self.list.setAcceptDrops(False)
            self.schedule_action.setEnabled(False)
            self.delete_action.setEnabled(False)
        document.changed.connect(self._on_document_changed)
        document.selection_changed.connect(self._on_document_selection_changed)
        document.view_changed.connect(self.refresh)
        document.search_changed.connect(self.refresh)
        self.refresh()

    # ----- contents

    def card_ids(self) -> list[int]:
        """The ids listed, in their shown order."""
        return list(self._ids)

    def _lens(self) -> Any:
        try:
            from planner.lens import Lens
        except ImportError:  # the lens module is not there yet
            return None
        return Lens.from_view(self.document.active_view)

    def refresh(self, *_args: object) -> None:
        lens = self._lens()
        search: CardFilter = self.document.search
        text = CardFilter.build(self.filter_line.text())
        waiting = [c for c in self.document.cards() if in_backlog(c)]
        self._waiting = {c.id for c in waiting}
        cards = [c for c in waiting if (lens is None or lens.includes(c))
                 and search.matches(c) and text.matches(c)]  # fmt: skip
        cards.sort(key=sort_key(self.sort_combo.currentData() or "priority"))
        self._ids = [c.id for c in cards]
        selected = set(self.document.selection)
        with QSignalBlocker(self.list):
            self.list.clear()
            for card in cards:
                title, detail = short(card.title, 100), self._item_detail(card)
                item = QListWidgetItem(title)
                item.setData(ID_ROLE, card.id)
                item.setData(DETAIL_ROLE, detail)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}, {detail}")
                item.setToolTip(tooltip(self._tooltip(card)))
                self.list.addItem(item)
                if card.id in selected:
                    item.setSelected(True)
        total = len(waiting)
        if len(cards) == total:
            self.count_label.setText(self.tr("%1 cards in the backlog").replace("%1", str(total)))
        else:
            self.count_label.setText(self.tr("%1 of %2 backlog cards shown")
                                     .replace("%1", str(len(cards))).replace("%2", str(total)))

    def _item_detail(self, card: Card) -> str:
        bits = [PRIORITY_LABELS[card.priority]] if card.priority in PRIORITY_LABELS else []
        if card.rice is not None:
            bits.append(self.tr("RICE %1").replace("%1", fmt_number(round(card.rice))))
        bits.append(card.kind)
        return " · ".join(bits)

    def _tooltip(self, card: Card) -> str:
        lines = [card.title]
        if card.user_story:
            lines.append(card.user_story)
        return "\n".join(short(line, 300) for line in lines)

    def _on_document_changed(self, changes: list[Change]) -> None:
        touched: set[int] = set()
        for c in changes:
            if c.entity == "plan" or (c.entity == "card" and (c.op == "reset" or not c.ids)):
                self.refresh()
                return
            if c.entity == "card":
                touched.update(c.ids)
        if not touched:
            return
        # Only cards that are or were waiting change the list or its count: adding, deleting
        # or editing scheduled cards costs no rebuild.
        if not touched.isdisjoint(self._waiting) or any(
            in_backlog(c) for c in self.roadmap.cards_by_id(touched).values()
        ):
            self.refresh()

    # ----- selection

    def _on_list_selection_changed(self) -> None:
        self.document.set_selection(self.list.selected_ids(), self)

    def _on_document_selection_changed(self, ids: tuple[int, ...], initiator: object) -> None:
        if initiator is self:
            return
        wanted = set(ids)
        with QSignalBlocker(self.list):
            for i in range(self.list.count()):
                item = self.list.item(i)
                item.setSelected(int(item.data(Qt.ItemDataRole.UserRole)) in wanted)

    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        self.card_activated.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    # ----- edits

    def _report(self, message: str) -> None:
        self.message_label.setText(message)
        self.message_label.setVisible(bool(message))
        if message:
            self.status_message.emit(message)

    def _on_add_line_return_pressed(self) -> None:
        title = self.add_line.text()
        if not title.strip():
            return
        try:
            cards = run(self.undo_stack, AddCards(self.roadmap, [{"title": title}]))
        except ValidationError as exc:
            self._report(str(exc))
            return
        self._report("")
        self.add_line.clear()
        self.document.set_selection([cards[0].id], None)

    def unschedule(self, ids: Sequence[int]) -> None:
        """Move scheduled cards back to the backlog (one undo step)."""
        cards = self.roadmap.cards_by_id(ids)
        moves = {cid: (None, None, None) for cid in ids
                 if cid in cards and cards[cid].scheduled}  # fmt: skip
        if not moves:
            return
        text = self.tr("Move %1 cards to the backlog").replace("%1", str(len(moves)))
        if len(moves) == 1:
            text = self.tr("Move card to the backlog")
        try:
            run(self.undo_stack, MoveCards(self.roadmap, moves, text))
        except ValidationError as exc:
            self._report(str(exc))

    def schedule(self, ids: Sequence[int], start: dt.date) -> None:
        """Give backlog cards dates from ``start`` (default length by kind) and a lane."""
        lanes = self.roadmap.lanes()
        if not lanes:
            self._report(self.tr("Add a lane first (Roadmap ▸ Lanes…) to schedule cards."))
            return
        cards = self.roadmap.cards_by_id(ids)
        changes: dict[int, dict[str, Any]] = {}
        for cid in ids:
            card = cards.get(cid)
            if card is None:
                continue
            days = duration_days(card.kind)
            fields: dict[str, Any] = {"start": start, "end": default_end(start, card.kind, days)}
            if card.scheduled and card.start and card.end:
                fields = {"start": start, "end": start + (card.end - card.start)}
            if card.lane_id is None:
                fields["lane_id"] = lanes[0].id
            changes[cid] = fields
        if not changes:
            return
        try:
            run(self.undo_stack, UpdateCards(self.roadmap, changes, self.tr("Schedule cards")))
        except ValidationError as exc:
            self._report(str(exc))

    def _on_schedule_triggered(self) -> None:
        self.schedule(self.list.selected_ids(), next_monday(dt.date.today()))

    def _on_delete_triggered(self) -> None:
        ids = self.list.selected_ids()
        if ids:
            run(self.undo_stack, DeleteCards(self.roadmap, ids))


def install(window: Any) -> Backlog:
    """The backlog dock on the left."""
    dock = window.dock("backlog_dock", window.tr("Backlog"), Qt.DockWidgetArea.LeftDockWidgetArea)
    backlog = Backlog(window.document, window.undo_stack, dock)
    dock.setWidget(backlog)
    window.backlog_dock, window.backlog = dock, backlog
    action = dock.toggleViewAction()
    action.setText(window.tr("&Backlog"))
    window.view_menu.addAction(action)
    backlog.status_message.connect(lambda m: window.statusBar().showMessage(m, 8000))
    activate = getattr(window, "activate_card", None)
    if activate is not None:
        backlog.card_activated.connect(activate)
    add = QAction(window.tr("&Add Card to Backlog"), window)
    add.setShortcut(QKeySequence("Ctrl+Shift+B"))

    def focus_add() -> None:
        dock.show()
        dock.raise_()
        backlog.add_line.setFocus()

    add.triggered.connect(focus_add)
    window.roadmap_menu.addAction(add)
    return backlog
