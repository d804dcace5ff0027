"""Presentation mode: full screen, read-only, and its keys do what they say."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QToolBar


def _snapshot(path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, title, lane_id, start_date, end_date FROM cards"
                            " ORDER BY id").fetchall()  # fmt: skip


def _chrome(window) -> dict[str, bool]:
    state = {"menu": window.menuBar().isVisible(), "status": window.statusBar().isVisible(),
             "tabbar": window.tabs.tabBar().isVisible()}  # fmt: skip
    for bar in window.findChildren(QToolBar):
        state[bar.objectName()] = bar.isVisible()
    for dock in window.findChildren(QDockWidget):
        state[dock.objectName()] = dock.isVisible()
    return state


@pytest.fixture
def presenting(window, qtbot):
    with qtbot.waitSignal(window.presenter.entered):
        window.presenter.action.trigger()
    return window  # pytest-qt closes the window before fixtures are torn down


def _key(window, key, modifier=Qt.KeyboardModifier.NoModifier, widget=None):
    QTest.keyClick(widget or window.tabs.currentWidget(), key, modifier)


def test_f5_enters_full_screen_with_the_chrome_hidden_and_esc_restores_it(window, qtbot):
    before = _chrome(window)
    geometry = window.geometry()
    assert window.presenter.action in window.view_menu.actions()
    assert window.presenter.action.shortcut().toString() == "F5"
    with qtbot.waitSignal(window.presenter.entered):
        window.presenter.action.trigger()
    assert window.isFullScreen()
    chrome = _chrome(window)
    assert not any(chrome.values()), chrome
    assert window.presenter.legend.isVisible() and window.presenter.legend.items
    assert window.tabs.font().pointSizeF() > window.font().pointSizeF()
    with qtbot.waitSignal(window.presenter.left):
        _key(window, Qt.Key.Key_Escape)
    assert not window.isFullScreen()
    assert _chrome(window) == before
    assert window.geometry() == geometry
    assert window.tabs.font().pointSizeF() == window.font().pointSizeF()


def test_page_down_and_up_step_through_the_saved_views(presenting, qtbot):
    window = presenting
    names = [v.name for v in window.roadmap.views()]
    assert window.document.active_view is None and names[0] == "Everything"
    # The window already shows everything, so the first Page Down moves on to the next view.
    _key(window, Qt.Key.Key_PageDown)
    assert window.document.active_view.name == names[1]
    toast = window.presenter.toast
    assert toast.isVisible() and toast.text() == names[1]
    assert toast.textFormat() == Qt.TextFormat.PlainText
    assert window.view_switcher.currentText() == names[1]
    _key(window, Qt.Key.Key_PageDown)
    assert window.document.active_view.name == names[2 % len(names)]
    _key(window, Qt.Key.Key_PageUp)
    _key(window, Qt.Key.Key_PageUp)
    assert window.document.active_view.name == names[0]
    _key(window, Qt.Key.Key_PageUp)
    assert window.document.active_view.name == names[-1]
    qtbot.waitUntil(lambda: not toast.isVisible(), timeout=5000)


def test_first_page_up_from_everything_goes_to_the_last_view(presenting):
    window = presenting
    names = [v.name for v in window.roadmap.views()]
    _key(window, Qt.Key.Key_PageUp)
    assert window.document.active_view.name == names[-1]


def test_the_view_name_toast_covers_no_card(presenting, qtbot):
    window = presenting
    qtbot.waitUntil(lambda: window.isFullScreen() or window.isVisible())
    _key(window, Qt.Key.Key_PageDown)
    toast = window.presenter.toast
    assert toast.isVisible()
    timeline = window.timeline
    box = toast.geometry()
    assert not box.intersects(window.presenter._overlay.geometry())  # never on the legend
    shown = [c for c in window.roadmap.cards() if c.scheduled]
    for card in shown:
        r = timeline.card_rect(card.id)
        if r.isEmpty():
            continue
        on_window = r.translated(timeline.viewport().mapTo(window, QPoint(0, 0)))
        assert not on_window.intersects(box), card.title


def _ink(image, rows: int) -> int:
    """Dark (text) pixels in the top ``rows`` rows of a grabbed widget, past the colour chip."""
    count = 0
    for y in range(min(rows, image.height())):
        for x in range(24, image.width()):
            if image.pixelColor(x, y).lightness() < 110:
                count += 1
    return count


def test_presentation_enlarges_the_timeline_text(window, qtbot):
    from ui import settings

    timeline = window.timeline
    card = next(c for c in window.roadmap.cards() if c.scheduled)
    before_names = timeline.lane_names.grab().toImage()
    assert timeline.text_scale == 1.0
    assert settings.get("presentation_scale") > 1
    with qtbot.waitSignal(window.presenter.entered):
        window.presenter.action.trigger()
    assert timeline.text_scale == pytest.approx(settings.get("presentation_scale"))
    assert timeline.timeline_scene.theme.text_scale == timeline.text_scale
    assert timeline.lane_names.width() > before_names.width()
    assert timeline.header.height() > 44
    qtbot.wait(10)
    after_names = timeline.lane_names.grab().toImage()
    # the same lane names, drawn larger: clearly more ink in the first lane's name
    assert _ink(after_names, 60) > 1.3 * _ink(before_names, 60)
    assert timeline.card_rect(card.id).isValid()
    with qtbot.waitSignal(window.presenter.left):
        _key(window, Qt.Key.Key_Escape)
    assert timeline.text_scale == 1.0
    assert timeline.lane_names.width() == before_names.width()


def test_number_keys_spotlight_a_lane_and_zero_clears(presenting):
    window = presenting
    lanes = [lane.id for lane in window.roadmap.lanes()]
    _key(window, Qt.Key.Key_2)
    assert window.presenter.spotlight == lanes[1]
    _key(window, Qt.Key.Key_9)  # no ninth lane: nothing changes
    assert window.presenter.spotlight == lanes[1]
    _key(window, Qt.Key.Key_0)
    assert window.presenter.spotlight is None


def test_keys_cannot_change_the_plan(window, sample_path, qtbot):
    card = window.roadmap.cards()[0]
    from ui.commands import UpdateCards, run

    run(window.undo_stack, UpdateCards(window.roadmap, {card.id: {"title": "Renamed"}}))
    before = _snapshot(sample_path)
    with qtbot.waitSignal(window.presenter.entered):
        window.presenter.action.trigger()
    window.document.set_selection([card.id])
    for target in (window.tabs.currentWidget(), window.board.columns["now"]):
        _key(window, Qt.Key.Key_Delete, widget=target)
        _key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier, widget=target)
        _key(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier, widget=target)
    assert _snapshot(sample_path) == before
    assert window.undo_stack.index() == 1
    window.presenter.leave()
    window.undo_action.trigger()  # out of presentation the same undo does work
    assert _snapshot(sample_path) != before


def _mouse(widget, kind, pos: QPoint, buttons=Qt.MouseButton.LeftButton):
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(widget, event)


def test_a_drag_on_the_board_changes_nothing(window, sample_path, qtbot):
    window.tabs.setCurrentWidget(window.board)
    with qtbot.waitSignal(window.presenter.entered):
        window.presenter.action.trigger()
    before = _snapshot(sample_path)
    source = window.board.columns["later"]
    target = window.board.columns["now"]
    start = source.visualItemRect(source.item(0)).center()
    _mouse(source.viewport(), QEvent.Type.MouseButtonPress, start)
    for dx in (10, 40, 200, 400):
        _mouse(source.viewport(), QEvent.Type.MouseMove, start + QPoint(-dx, 0))
    _mouse(source.viewport(), QEvent.Type.MouseButtonRelease, start + QPoint(-400, 0))
    # A drop that reaches the board anyway is refused too.
    from tests.ui.test_board import _drop

    _drop(target, [int(source.item(0).data(Qt.ItemDataRole.UserRole))])
    assert _snapshot(sample_path) == before
    assert window.undo_stack.count() == 0
    assert window.presenter.story_card is None or not window.presenter.story_card.isVisible()


def test_a_click_on_a_card_opens_its_story_card_and_dependencies_lead_on(window, qtbot):
    roadmap = window.roadmap
    deps = roadmap.dependencies()
    assert deps, "the sample has dependencies"
    first = roadmap.card(deps[0].before_id)
    window.tabs.setCurrentWidget(window.board)
    window.board.today = None
    window.board.rebuild()
    with qtbot.waitSignal(window.presenter.entered):
        window.presenter.action.trigger()
    column = next(c for c in window.board.columns.values() if c.item_for(first.id) is not None)
    column.scrollToItem(column.item_for(first.id))
    pos = column.visualItemRect(column.item_for(first.id)).center()
    _mouse(column.viewport(), QEvent.Type.MouseButtonPress, pos)
    _mouse(column.viewport(), QEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton)
    card = window.presenter.story_card
    assert card.isVisible() and card.card_id == first.id
    assert card.labels["title"].text() == first.title
    for label in card.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText
    button = card.dependency_buttons[deps[0].after_id]
    button.click()
    assert card.card_id == deps[0].after_id
    _key(window, Qt.Key.Key_Escape, widget=card)
    assert not card.isVisible() and window.presenter.active
    _key(window, Qt.Key.Key_Escape)
    assert not window.presenter.active


def test_story_card_shows_the_why_the_story_and_criteria(window, qtbot):
    roadmap = window.roadmap
    objective = roadmap.add_objective("Grow weekly users", metric="WAU", baseline=100,
                                      target=300, current=180)  # fmt: skip
    card = roadmap.add_card('<b>Bold</b> claim', objective_id=objective.id, as_a="clinic admin",
                            i_want="to see the day", so_that="nobody waits",
                            criteria=[("Loads fast", True), ("Works offline", False)])  # fmt: skip
    view = roadmap.add_view("Quarterly", precision="quarter")
    window.document.set_active_view(view)
    window.presenter.enter()
    assert window.presenter.show_story(card.id)
    labels = window.presenter.story_card.labels
    assert labels["title"].text() == "<b>Bold</b> claim"
    assert labels["objective"].text() == "Grow weekly users"
    assert labels["metric"].text() == "WAU: 100 → 180 → 300"
    story = "As a clinic admin, I want to see the day, so that nobody waits."
    assert labels["story"].text() == story
    assert labels["criteria"].text() == "☑ Loads fast\n☐ Works offline"
    window.presenter.leave()


def test_story_card_dates_respect_the_lens_precision(window):
    import datetime as dt

    roadmap = window.roadmap
    card = roadmap.add_card("Dated", start=dt.date(2027, 2, 3), end=dt.date(2027, 5, 20))
    window.document.set_active_view(roadmap.add_view("Months", precision="month"))
    window.presenter.enter()
    window.presenter.show_story(card.id)
    assert window.presenter.story_card.labels["meta"].text().startswith("Feb – May 2027")
    window.document.set_active_view(roadmap.add_view("Quarters", precision="quarter"))
    window.presenter.show_story(card.id)
    assert window.presenter.story_card.labels["meta"].text().startswith("Q1 – Q2 2027")
    window.presenter.leave()


def test_timeline_keys_do_what_they_say(presenting):
    window = presenting
    tl = window.timeline
    bar = tl.horizontalScrollBar()
    for px_per_day in (10.0, 40.0, 2.0):
        tl.set_zoom(px_per_day, 0)
        tl.go_to_today()
        start = bar.value()
        tl.pan_periods(1)  # one period of the header at this zoom
        period = bar.value() - start
        bar.setValue(start)
        _key(window, Qt.Key.Key_Right)
        assert period > 0 and bar.value() == start + period
        _key(window, Qt.Key.Key_Left)
        assert abs(bar.value() - start) <= max(3, px_per_day)  # back, give or take a day

    zoom = tl.time_scale.px_per_day
    _key(window, Qt.Key.Key_Plus)
    assert tl.time_scale.px_per_day > zoom
    _key(window, Qt.Key.Key_Minus)
    _key(window, Qt.Key.Key_Minus)
    assert tl.time_scale.px_per_day < zoom

    value = bar.value()
    _key(window, Qt.Key.Key_F)
    shown = [c for c in window.roadmap.cards() if c.scheduled]
    assert bar.value() != value or tl.time_scale.px_per_day != zoom
    first = min(shown, key=lambda c: c.start)
    assert not tl.card_rect(first.id).isEmpty()

    _key(window, Qt.Key.Key_T)
    today_x = tl.x_for_date(tl.timeline_scene.today)
    assert 0 < today_x < tl.viewport().width()

    _key(window, Qt.Key.Key_1)
    assert tl.timeline_scene.spotlight == window.roadmap.lanes()[0].id
    _key(window, Qt.Key.Key_0)
    assert tl.timeline_scene.spotlight is None


def test_a_drag_and_delete_on_the_timeline_change_nothing(window, sample_path, qtbot):
    tl = window.timeline
    card = next(c for c in window.roadmap.cards() if c.scheduled and c.status == "in_progress")
    with qtbot.waitSignal(window.presenter.entered):
        window.presenter.action.trigger()
    tl.scroll_to_card(card.id)
    rect = tl.card_rect(card.id)
    assert not rect.isEmpty()
    before = _snapshot(sample_path)
    start = rect.center()
    _mouse(tl.viewport(), QEvent.Type.MouseButtonPress, start)
    for dx in (10, 60, 160):
        _mouse(tl.viewport(), QEvent.Type.MouseMove, start + QPoint(dx, 40))
    _mouse(tl.viewport(), QEvent.Type.MouseButtonRelease, start + QPoint(160, 40),
           Qt.MouseButton.NoButton)  # fmt: skip
    window.document.set_selection([card.id])
    tl.setFocus()
    for key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
        _key(window, key, widget=tl)
    _key(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier, widget=tl)
    _key(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier, widget=tl)
    QApplication.sendEvent(tl.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, start, tl.viewport().mapToGlobal(start)))
    assert _snapshot(sample_path) == before
    assert window.undo_stack.count() == 0
    assert tl.read_only


def test_a_click_on_a_timeline_bar_opens_the_story_card(window, qtbot):
    tl = window.timeline
    card = next(c for c in window.roadmap.cards() if c.scheduled)
    with qtbot.waitSignal(window.presenter.entered):
        window.presenter.action.trigger()
    tl.scroll_to_card(card.id)
    pos = tl.card_rect(card.id).center()
    _mouse(tl.viewport(), QEvent.Type.MouseButtonPress, pos)
    _mouse(tl.viewport(), QEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton)
    assert window.presenter.story_card.isVisible()
    assert window.presenter.story_card.card_id == card.id
    window.presenter.leave()
    assert not tl.read_only


def test_the_keyboard_alone_reaches_a_story_card(presenting):
    window = presenting
    window.document.set_selection([])
    _key(window, Qt.Key.Key_Down)
    _key(window, Qt.Key.Key_Down)
    order = window.presenter.card_order()
    assert window.document.selection == (order[1],)
    _key(window, Qt.Key.Key_Up)
    assert window.document.selection == (order[0],)
    _key(window, Qt.Key.Key_Return)
    assert window.presenter.story_card.isVisible()
    assert window.presenter.story_card.card_id == order[0]
    _key(window, Qt.Key.Key_Escape, widget=window.presenter.story_card)
    assert window.presenter.active and not window.presenter.story_card.isVisible()


def test_the_scenario_on_show_is_named_on_screen(window):
    roadmap = window.roadmap
    window.presenter.enter()
    assert not window.presenter.plan_label.isVisible()
    window.presenter.leave()
    scenario = roadmap.create_scenario("Hire two more engineers")
    roadmap.use_plan(scenario.id)
    window.presenter.enter()
    label = window.presenter.plan_label
    assert label.isVisible() and "Hire two more engineers" in label.text()
    assert label.textFormat() == Qt.TextFormat.PlainText
    roadmap.use_plan(1)
    assert not label.isVisible()
    window.presenter.leave()
