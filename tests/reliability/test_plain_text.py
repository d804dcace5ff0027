"""Plain text everywhere: text from the file is never rendered as rich text (issue 8.4)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QGraphicsTextItem,
    QGraphicsView,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QTextEdit,
    QToolBar,
    QToolButton,
)

from planner.errors import LockedError, ValidationError
from planner.store import Roadmap
from tests.reliability._support import ROOT, report
from tests.reliability.hostile import HOSTILE_TITLES

# Markup that a rich-text renderer would act on; the file puts it everywhere it can.
MARKUP = re.compile(r"<\s*(img|table|a\s|script|b>|i>|span|td|tr)", re.IGNORECASE)


def _hostile_roadmap(path: Path) -> Roadmap:
    """A sound roadmap whose every text field carries hostile markup."""
    r = Roadmap.create(path, title='<b>Plan</b><img src="/dev/zero">')
    titles = []
    for title in HOSTILE_TITLES:
        try:
            r.add_lane(title[:200])
            titles.append(title)
        except ValidationError:
            titles.append(title.replace("\x00", "").replace("\n", " "))
    lanes = r.lanes()
    objective = r.add_objective('<img src="/dev/zero"> objective', metric="<b>NPS</b>")
    specs = []
    for i, title in enumerate(titles):
        start = dt.date(2026, 1, 5) + dt.timedelta(days=14 * i)
        specs.append({
            "title": title, "lane_id": lanes[i % len(lanes)].id, "start": start,
            "end": start + dt.timedelta(days=20), "description": title, "owner": title[:80],
            "tags": [title[:40], "<i>tag</i>"], "link": title[:200], "as_a": title,
            "i_want": title, "so_that": title, "hypothesis": title, "measure": title,
            "objective_id": objective.id,
        })  # fmt: skip
        specs.append({"title": title, "description": title})  # a backlog card too
    for spec in specs:
        try:
            r.add_cards([spec])
        except ValidationError:
            r.add_cards([{"title": "x" + re.sub(r"[\x00-\x1f]", " ", spec["title"])[:150]}])
    cards = r.cards()
    r.add_dependency(cards[0].id, cards[2].id)
    r.add_milestone('<img src="/dev/zero"> launch', dt.date(2026, 3, 2))
    r.add_view('<table><tr><td>view</td></tr></table>')
    r.take_snapshot('<img src="/dev/zero"> snapshot')
    return r


def might_be_rich(text: str) -> bool:
    """Qt's own guess (QLabel, tooltips and message boxes in AutoText use it)."""
    return bool(GuiQt.mightBeRichText(text))  # type: ignore[attr-defined]


def _rich(text: str, fmt: Qt.TextFormat) -> bool:
    """Whether Qt would render ``text`` as rich text in this format."""
    if fmt == Qt.TextFormat.RichText:
        return True
    if fmt == Qt.TextFormat.AutoText:
        return might_be_rich(text)
    return False


def _walk_model(view: QAbstractItemView, problems: list[str], limit: int = 400) -> int:
    model = view.model()
    if model is None:
        return 0
    seen = 0
    stack = [QModelIndex()]
    while stack and seen < limit:
        parent = stack.pop()
        try:
            columns = model.columnCount(parent)
        except TypeError:  # list models keep columnCount private: one column
            columns = 1
        for row in range(min(model.rowCount(parent), limit)):
            for col in range(columns):
                index = model.index(row, col, parent)
                seen += 1
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str) and MARKUP.search(tip) and might_be_rich(tip):
                    problems.append(f"{type(view).__name__} item tooltip is rich: {tip[:80]!r}")
            first = model.index(row, 0, parent)
            if columns > 1 and model.rowCount(first) > 0:
                stack.append(first)
    return seen


def _tooltip_shown(action: QAction) -> bool:
    """Whether a tooltip of this action ever appears (tool buttons; menus that show them)."""
    for obj in action.associatedObjects():
        if isinstance(obj, QToolButton | QToolBar):
            return True
        if isinstance(obj, QMenu) and obj.toolTipsVisible():
            return True
    return False


def walk(problems: list[str]) -> dict[str, int]:
    """Check every widget, tooltip, message box, item and text item that exists now."""
    counts = {"labels": 0, "buttons": 0, "tooltips": 0, "message boxes": 0, "text items": 0,
              "item views": 0, "items": 0, "text edits": 0, "actions": 0}  # fmt: skip
    for w in QApplication.allWidgets():
        name = f"{type(w).__name__}({w.objectName()})"
        tip = w.toolTip()
        if tip:
            counts["tooltips"] += 1
            if MARKUP.search(tip) and might_be_rich(tip):
                problems.append(f"{name} tooltip is rich: {tip[:80]!r}")
        if isinstance(w, QLabel):
            counts["labels"] += 1
            if w.text() and _rich(w.text(), w.textFormat()) and MARKUP.search(w.text()):
                problems.append(f"{name} renders file text as rich text: {w.text()[:80]!r}")
            elif w.textFormat() == Qt.TextFormat.RichText and w.text():
                problems.append(f"{name} uses rich text: {w.text()[:80]!r}")
        if isinstance(w, QMessageBox):
            counts["message boxes"] += 1
            for text in (w.text(), w.informativeText(), w.detailedText()):
                if text and _rich(text, w.textFormat()):
                    problems.append(f"{name} message box is rich: {text[:80]!r}")
        if isinstance(w, QAbstractButton):
            counts["buttons"] += 1
        if isinstance(w, QTextEdit):
            counts["text edits"] += 1
            html = w.document().toHtml()
            if re.search(r"<(img|table)\b", html):
                problems.append(f"{name} renders markup from the file: {w.toPlainText()[:80]!r}")
        if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView):
            counts["item views"] += 1
            counts["items"] += _walk_model(w, problems)
        if isinstance(w, QGraphicsView) and w.scene() is not None:
            for item in w.scene().items():
                tip = item.toolTip()
                if tip:
                    counts["tooltips"] += 1
                    if MARKUP.search(tip) and might_be_rich(tip):
                        problems.append(f"graphics item tooltip is rich: {tip[:80]!r}")
                if isinstance(item, QGraphicsTextItem):
                    counts["text items"] += 1
                    if re.search(r"<(img|table)\b", item.document().toHtml()):
                        problems.append(f"text item renders markup: {item.toPlainText()[:80]!r}")
        for action in w.actions():
            counts["actions"] += 1
            tip = action.toolTip()
            if MARKUP.search(tip) and might_be_rich(tip) and _tooltip_shown(action):
                problems.append(f"action tooltip is rich: {tip[:80]!r}")
    return counts


@pytest.mark.slow
def test_hostile_titles_are_shown_as_plain_text(qtbot, tmp_path: Path) -> None:
    from ui.main_window import MainWindow, open_roadmap

    path = tmp_path / "hostile.roadmap"
    _hostile_roadmap(path).close()
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    problems: list[str] = []
    totals: dict[str, int] = {}
    card_ids = [c.id for c in window.roadmap.cards()]
    # Visit every tab with a card selected (the editor and story card show its fields).
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        for cid in card_ids[:: max(1, len(card_ids) // 6)]:
            window.document.set_selection([cid])
            QApplication.processEvents()
            window.grab()  # paint everything once: rich-text guessing happens here
        for key, n in walk(problems).items():
            totals[key] = totals.get(key, 0) + n
    for action in window.findChildren(QAction):
        tip = action.toolTip()
        if MARKUP.search(tip) and might_be_rich(tip) and _tooltip_shown(action):
            problems.append(f"action {action.text()[:60]!r} has a rich tooltip")
    # A message box that quotes the file: the "file in use" question, for a hostile file name.
    locked = tmp_path / '<b>x<img src="zero">.roadmap'
    locked.write_bytes(path.read_bytes())
    holder = Roadmap.open(locked)
    boxes: list[int] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        boxes.append(1)
        for key, n in walk(problems).items():
            totals[key] = totals.get(key, 0) + n
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer)
    with pytest.raises(LockedError):
        open_roadmap(locked, window)
    holder.close()
    assert boxes, "the file-in-use question was not asked"
    window.close()
    report("plain text: hostile titles in every field, every tab visited: "
           + ", ".join(f"{n} {k}" for k, n in totals.items())
           + f" checked; {len(problems)} render rich text")  # fmt: skip
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_the_walk_catches_rich_text(qtbot) -> None:
    """The detector itself: a label guessing rich text from a title is reported."""
    label = QLabel('<img src="/dev/null"> title')
    qtbot.addWidget(label)
    plain = QLabel('<img src="/dev/null"> title')
    plain.setTextFormat(Qt.TextFormat.PlainText)
    qtbot.addWidget(plain)
    problems: list[str] = []
    walk(problems)
    assert len([p for p in problems if "QLabel" in p]) == 1


# Every place the code may render rich text or open a link, with why it is safe.
ALLOWED = {
    ("ui/card_editor.py", "openUrl"): 1,  # the card's link, only on an explicit click
    ("ui/file_actions.py", "openUrl"): 1,  # open_url(): the user guide and explicit link clicks
}
PATTERNS = {
    "setHtml": re.compile(r"\bsetHtml\b|\binsertHtml\b"),
    "RichText": re.compile(r"\bRichText\b"),
    "openUrl": re.compile(r"\bopenUrl\b"),
    "setOpenExternalLinks": re.compile(r"setOpenExternalLinks\(\s*True"),
}


def test_rich_text_and_links_only_where_allowed() -> None:
    found: dict[tuple[str, str], int] = {}
    files = [*ROOT.joinpath("ui").rglob("*.py"), *ROOT.joinpath("planner").rglob("*.py"),
             ROOT / "main.py"]  # fmt: skip
    for path in files:
        text = path.read_text(encoding="utf-8")
        for name, pattern in PATTERNS.items():
            n = len(pattern.findall(text))
            if n:
                found[(path.relative_to(ROOT).as_posix(), name)] = n
    report(f"plain text (static): {len(files)} source files; setHtml/RichText/openUrl uses: "
           + (", ".join(f"{p} {k} x{n}" for (p, k), n in sorted(found.items())) or "none")
           + f"; allow-list of {len(ALLOWED)}")  # fmt: skip
    unexpected = {k: n for k, n in found.items() if n > ALLOWED.get(k, 0)}
    assert not unexpected, f"rich text or link opening outside the allow-list: {unexpected}"

