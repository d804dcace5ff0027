"""File ▸ Import CSV… and File ▸ Export Data ▸ CSV / JSON / Markdown / iCalendar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from planner.errors import RoadmapFileError, ValidationError

# Format key -> (menu text, file filter, suffix).
FORMATS: dict[str, tuple[str, str, str]] = {
    "csv": ("&CSV (cards, for spreadsheets)…", "CSV files (*.csv)", ".csv"),
    "json": ("&JSON (the whole roadmap)…", "JSON files (*.json)", ".json"),
    "md": ("&Markdown summary…", "Markdown files (*.md)", ".md"),
    "ics": ("&iCalendar (milestones)…", "iCalendar files (*.ics)", ".ics"),
    "ics_cards": ("iCalendar (milestones and &dated cards)…", "iCalendar files (*.ics)", ".ics"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("DataExport", text)


def export_to(window: Any, fmt: str, out: Path) -> None:
    """Write the window's roadmap, through its active view, in one format to ``out``."""
    from planner.io import export_path

    view = window.document.active_view if fmt != "json" else None
    export_path(window.roadmap, Path(out), view=view, since=None,
                with_cards=fmt == "ics_cards")  # fmt: skip


def _default_name(window: Any, suffix: str) -> str:
    stem = window.path.stem if getattr(window, "path", None) else "roadmap"
    folder = window.path.parent if getattr(window, "path", None) else Path.home()
    return str(folder / f"{stem}{suffix}")


def ask_and_export(window: Any, fmt: str) -> Path | None:
    """Ask where to save, export, and say so in the status bar; errors in a message box."""
    _text, file_filter, suffix = FORMATS[fmt]
    name, _ = QFileDialog.getSaveFileName(window, _tr("Export Data"),
                                          _default_name(window, suffix), _tr(file_filter))
    if not name:
        return None
    out = Path(name)
    if out.suffix.lower() != suffix:
        out = out.with_name(out.name + suffix)
    try:
        export_to(window, fmt, out)
    except (ValidationError, RoadmapFileError, OSError) as exc:
        box = QMessageBox(QMessageBox.Icon.Warning, _tr("Export failed"), str(exc),
                          QMessageBox.StandardButton.Ok, window)  # fmt: skip
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        return None
    window.statusBar().showMessage(_tr("Exported %1").replace("%1", out.name), 8000)
    return out


def _anchor(menu: QMenu) -> QAction | None:
    """Where our actions go: after the image export if there is one, else before Quit."""
    actions = menu.actions()
    for i, action in enumerate(actions):
        if action.objectName() == "export_action":
            return actions[i + 1] if i + 1 < len(actions) else None
    for i, action in enumerate(actions):
        if action.menuRole() == QAction.MenuRole.QuitRole:
            return actions[i - 1] if i > 0 and actions[i - 1].isSeparator() else action
    return None


def install(window: Any) -> None:
    """Add File ▸ Import CSV… and the File ▸ Export Data submenu to the main window."""
    from ui.import_wizard import show_import_wizard

    menu: QMenu = window.file_menu
    import_action = QAction(_tr("&Import CSV…"), window)
    import_action.setObjectName("import_csv_action")
    import_action.setEnabled(not window.roadmap.read_only)
    import_action.triggered.connect(lambda: show_import_wizard(window))
    export_menu = QMenu(_tr("Export &Data"), window)
    export_menu.setObjectName("export_data_menu")
    actions: dict[str, QAction] = {"import": import_action}
    for fmt, (text, _filter, _suffix) in FORMATS.items():
        action = QAction(_tr(text), window)
        action.setObjectName(f"export_{fmt}_action")
        action.triggered.connect(lambda _=False, f=fmt: ask_and_export(window, f))
        export_menu.addAction(action)
        actions[fmt] = action
    anchor = _anchor(menu)
    if anchor is None:
        menu.addAction(import_action)
        menu.addMenu(export_menu)
    else:
        menu.insertAction(anchor, import_action)
        menu.insertMenu(anchor, export_menu)
    window.data_actions = actions
    window.export_data_menu = export_menu
