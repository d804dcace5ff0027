"""An unexpected error shows a dialog (what happened, copy details, the file is safe); the app
goes on. The hook is installed only here."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from ui import errors


class _Emitter(QObject):
    fired = Signal()


class _Broken(QWidget):
    def customEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override that fails
        raise RuntimeError("the override went wrong <b>bold</b>")


@pytest.fixture
def hook() -> Iterator[None]:
    before = sys.excepthook
    errors.install()
    yield
    errors.uninstall()
    dialog = errors.current_dialog()
    if dialog is not None:
        dialog.close()
    assert sys.excepthook is before


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_the_dialog_and_the_app_goes_on(qtbot, hook, window):
    emitter = _Emitter()

    def broken_slot() -> None:
        raise ValueError("the injected failure")

    emitter.fired.connect(broken_slot)
    emitter.fired.emit()
    dialog = errors.current_dialog()
    assert dialog is not None and dialog.isVisible()
    assert "ValueError: the injected failure" in dialog.summary_label.text()
    assert dialog.summary_label.textFormat() == Qt.TextFormat.PlainText
    assert "safe" in dialog.promise_label.text() and "saved" in dialog.promise_label.text()
    assert "broken_slot" in dialog.details()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert "the injected failure" in QGuiApplication.clipboard().text()

    # the app goes on: the window still works and writes to its file
    lane = window.roadmap.lanes()[0]
    window.roadmap.add_card(title="Still working", lane_id=lane.id)
    assert "Still working" in [c.title for c in window.roadmap.cards()]


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_qt_override_and_a_second_one_share_the_dialog(qtbot, hook):
    widget = _Broken()
    qtbot.addWidget(widget)
    # delivered by the event loop, so no Python caller is there to receive the exception
    QApplication.postEvent(widget, QEvent(QEvent.Type.User))
    qtbot.waitUntil(lambda: errors.current_dialog() is not None)
    dialog = errors.current_dialog()
    assert "the override went wrong <b>bold</b>" in dialog.summary_label.text()
    with qtbot.waitSignal(_timer_fired(), timeout=2000):
        pass
    assert errors.current_dialog() is dialog
    assert "from a timer" in dialog.summary_label.text()
    assert dialog.details().count("Traceback") >= 2


def _timer_fired() -> Signal:
    emitter = _Emitter()
    _keep.append(emitter)

    def fail() -> None:
        emitter.fired.emit()
        raise KeyError("from a timer")

    QTimer.singleShot(0, fail)
    return emitter.fired


_keep: list[_Emitter] = []


def test_the_hook_is_not_installed_outside_its_test():
    assert sys.excepthook is not errors.excepthook


def test_file_errors_are_plain_text(qtbot):
    box = errors.show_file_error(None, "<img src='/dev/zero'> is not a roadmap")
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == "<img src='/dev/zero'> is not a roadmap"
    box.close()
