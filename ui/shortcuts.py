"""Help ▸ Keyboard Shortcuts, generated from the window's actions when it opens (never stale),
and accessible names for the main widgets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QTabWidget, QToolBar, QWidget

if TYPE_CHECKING:
    from ui.shortcuts_dialog import ShortcutsDialog

RECENT_MENU = "recent_menu"  # object name of File ▸ Open Recent, whose entries are files


@dataclass(frozen=True)
class Entry:
    menu: str  # "File", "File ▸ Open Recent", or "Other" for actions outside the menus
    command: str
    keys: str  # in the platform's notation; "" when the action has none
    action: QAction


def _plain(text: str) -> str:
    """Menu text without mnemonics or the trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("….").strip()


def _typeable(keys: QKeySequence) -> bool:
    """Keys found on an ordinary keyboard (not media keys such as "Open" or "Exit")."""
    if keys.isEmpty():
        return False
    first = keys[0]  # type: ignore[index]
    return bool(first.key().value < Qt.Key.Key_Back.value)


def _keys(action: QAction) -> str:
    return ", ".join(
        k.toString(QKeySequence.SequenceFormat.NativeText)
        for k in action.shortcuts()
        if _typeable(k)
    )


def _walk(menu: QMenu, path: str, out: list[Entry], seen: set[int]) -> None:
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        sub = action.menu()
        if sub is not None and not isinstance(sub, QMenu):
            continue
        if sub is not None:
            if sub.objectName() != RECENT_MENU:
                _walk(sub, f"{path} ▸ {_plain(sub.title())}", out, seen)
            continue
        if not action.text():
            continue
        seen.add(id(action))
        out.append(Entry(path, _plain(action.text()), _keys(action), action))


def collect(window: QMainWindow, other_label: str = "Other") -> list[Entry]:
    """Every action of the window's menus in menu order, then other actions with shortcuts."""
    out: list[Entry] = []
    seen: set[int] = set()
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.isVisible():
            _walk(menu, _plain(menu.title()), out, seen)
    for action in window.findChildren(QAction):
        if id(action) in seen or action.isSeparator() or not action.text():
            continue
        if action.menu() is not None or not _keys(action):
            continue
        seen.add(id(action))
        out.append(Entry(other_label, _plain(action.text()), _keys(action), action))
    return out


def show_shortcuts(window: QMainWindow) -> ShortcutsDialog:
    """Open the list without blocking."""
    from ui.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def _name_for(widget: QWidget) -> str:
    if isinstance(widget, QDockWidget | QToolBar):
        return widget.windowTitle()
    parent = widget.parentWidget()
    # A dock's content is named after the dock, a tab page after its tab.
    if isinstance(parent, QDockWidget) and parent.widget() is widget:
        return parent.windowTitle()
    stack = parent.parentWidget() if parent is not None else None
    if isinstance(stack, QTabWidget):
        index = stack.indexOf(widget)
        if index >= 0:
            return stack.tabText(index).replace("&", "")
    return ""


def name_widgets(window: QMainWindow) -> None:
    """Give the main widgets that have none an accessible name, and a sensible focus order."""
    window.menuBar().setAccessibleName(window.tr("Menu bar"))
    window.statusBar().setAccessibleName(window.tr("Status bar"))
    tabs = getattr(window, "tabs", None)
    if isinstance(tabs, QTabWidget) and not tabs.accessibleName():
        tabs.setAccessibleName(window.tr("Views of the roadmap"))
    for widget in window.findChildren(QWidget):
        if widget.accessibleName() or isinstance(widget, QMenu):
            continue
        name = _name_for(widget)
        if name:
            widget.setAccessibleName(name)
    # Focus goes centre first (the current tab), then the docks from left to right.
    chain: list[QWidget] = []
    if isinstance(tabs, QTabWidget) and tabs.currentWidget() is not None:
        chain.append(tabs.currentWidget())
    docks = sorted(
        (d for d in window.findChildren(QDockWidget) if d.widget() is not None),
        key=lambda d: window.dockWidgetArea(d).value,
    )
    from PySide6.QtWidgets import QAbstractScrollArea  # after the first paint

    for dock in docks:
        target = dock.widget()
        if (
            isinstance(target, QAbstractScrollArea)
            or target.focusPolicy() != Qt.FocusPolicy.NoFocus
        ):
            chain.append(target)
    for first, second in zip(chain, chain[1:]):
        QWidget.setTabOrder(first, second)


def __getattr__(name: str) -> Any:
    """``ShortcutsDialog``, loaded on first use (it lives in ui.shortcuts_dialog)."""
    if name == "ShortcutsDialog":
        from ui.shortcuts_dialog import ShortcutsDialog

        return ShortcutsDialog
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
