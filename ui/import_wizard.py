"""File ▸ Import CSV…: a wizard from a CSV (Jira or any spreadsheet) to cards, one undo step.

Pages: choose the file; encoding, delimiter and preset with a preview of the first rows;
which column feeds which card field (and the date order when dates are ambiguous); the
review with every row problem, where the user skips those rows or cancels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from planner.errors import RoadmapFileError, ValidationError
from planner.io import csv_io, jira
from planner.io._files import read_bytes
from planner.store import DeletedCard, DeletedLane, DeletedObjective, Roadmap
from ui.commands import RoadmapCommand, run

PREVIEW_ROWS = 20


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


def _label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _item(text: str) -> QTableWidgetItem:
    shown = text if len(text) <= 200 else text[:199] + "…"
    item = QTableWidgetItem(" ".join(shown.split()))
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


class ImportCards(RoadmapCommand):
    """The whole import as one undo step: undo removes what it created and restores updates."""

    def __init__(self, roadmap: Roadmap, plan: csv_io.ImportPlan, source: str) -> None:
        super().__init__(roadmap, _tr("Import %1").replace("%1", source))
        self.plan = plan
        self.source = source
        self.report: csv_io.ImportReport | None = None
        self._cards: list[DeletedCard] = []
        self._lanes: list[DeletedLane] = []
        self._objectives: list[DeletedObjective] = []

    def apply(self) -> csv_io.ImportReport:
        if self.report is None:
            self.report = csv_io.apply_import(self.roadmap, self.plan, True, self.source)
            return self.report
        report = self.report
        with self.roadmap.transaction():
            for lane in self._lanes:
                self.roadmap.restore_lane(lane)
            for objective in self._objectives:
                self.roadmap.restore_objective(objective)
            if self._cards:
                self.roadmap.restore_cards(self._cards)
            if report.updated_after:
                self.roadmap.update_cards(report.updated_after)
        return report

    def revert(self) -> None:
        report = self.report
        assert report is not None
        with self.roadmap.transaction():
            if report.updated_before:
                self.roadmap.update_cards(report.updated_before)
            self._cards = self.roadmap.delete_cards(report.created) if report.created else []
            self._objectives = [self.roadmap.delete_objective(i)
                                for i in reversed(report.objectives_created)]  # fmt: skip
            self._objectives.reverse()
            self._lanes = [self.roadmap.delete_lane(i) for i in reversed(report.lanes_created)]
            self._lanes.reverse()


class FilePage(QWizardPage):
    """Choose the CSV file."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(_tr("Choose a CSV file"))
        self.setSubTitle(_tr("A Jira export (Filters ▸ Export ▸ CSV, all fields) or any "
                             "spreadsheet saved as CSV."))  # fmt: skip
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("import_path")
        self.path_edit.textChanged.connect(self._on_path_edit_changed)
        browse = QPushButton(_tr("Browse…"), self)
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.error = _label("", self)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def _on_browse_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, _tr("Import CSV"), "", _tr("CSV files (*.csv *.txt);;All files (*)"))
        if name:
            self.path_edit.setText(name)

    def _on_path_edit_changed(self, _text: str) -> None:
        self.error.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return Path(self.path_edit.text().strip()).is_file()

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        path = Path(self.path_edit.text().strip())
        try:
            self.wiz.data = read_bytes(path, csv_io.MAX_CSV_BYTES)
        except RoadmapFileError as exc:
            self.error.setText(str(exc))
            return False
        self.wiz.source = path
        return True


_ENCODINGS = (("", "Detect"), ("utf-8", "UTF-8"), ("utf-16", "UTF-16"),
              ("cp1252", "Windows-1252 (Excel)"), ("latin-1", "Latin-1"))  # fmt: skip
_DELIMITERS = (("", "Detect"), (",", "Comma"), (";", "Semicolon"), ("\t", "Tab"))
_PRESETS = (("", "Detect"), ("jira", "Jira"), ("generic", "Generic"))


def _combo(parent: QWidget, items: tuple[tuple[str, str], ...], name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for value, text in items:
        combo.addItem(_tr(text), value)
    return combo


class PreviewPage(QWizardPage):
    """Encoding, delimiter and preset, with the first rows as they will be read."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(_tr("Check how the file reads"))
        self.encoding = _combo(self, _ENCODINGS, "import_encoding")
        self.delimiter = _combo(self, _DELIMITERS, "import_delimiter")
        self.preset = _combo(self, _PRESETS, "import_preset")
        form = QFormLayout()
        form.addRow(_tr("Encoding:"), self.encoding)
        form.addRow(_tr("Delimiter:"), self.delimiter)
        form.addRow(_tr("Preset:"), self.preset)
        self.info = _label("", self)
        self.table = QTableWidget(self)
        self.table.setObjectName("import_preview")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        for combo in (self.encoding, self.delimiter, self.preset):
            combo.currentIndexChanged.connect(self._on_option_changed)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.reload()

    def _on_option_changed(self, _index: int) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the file with the chosen options and show the first rows."""
        wiz = self.wiz
        wiz.table = None
        self.table.clear()
        try:
            table = csv_io.read_table(wiz.data, self.encoding.currentData() or None,
                                      self.delimiter.currentData() or None,
                                      wiz.source.name)  # fmt: skip
        except ValidationError as exc:
            self.info.setText(str(exc))
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.completeChanged.emit()
            return
        wiz.table = table
        wiz.preset = self.preset.currentData() or csv_io.detect_preset(table.header)
        names = {",": _tr("comma"), ";": _tr("semicolon"), "\t": _tr("tab")}
        self.info.setText(
            _tr("%1 rows, %2 columns · %3, %4 · %5 preset")
            .replace("%1", f"{len(table.rows):,}").replace("%2", str(len(table.header)))
            .replace("%3", table.encoding).replace("%4", names[table.delimiter])
            .replace("%5", "Jira" if wiz.preset == "jira" else _tr("generic"))
        )
        shown = table.rows[:PREVIEW_ROWS]
        self.table.setColumnCount(len(table.header))
        self.table.setRowCount(len(shown))
        for col, name in enumerate(table.header):
            self.table.setHorizontalHeaderItem(col, _item(name))
        for r, row in enumerate(shown):
            for col, cell in enumerate(row[: len(table.header)]):
                self.table.setItem(r, col, _item(cell))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.wiz.table is not None


_ORDERS = (("", "Ask (not needed)"), ("dmy", "Day first: 03/04/2026 is 3 April"),
           ("mdy", "Month first: 03/04/2026 is March 4"))  # fmt: skip


class MappingPage(QWizardPage):
    """Which column feeds which card field; and the date order when the dates need it."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(_tr("Match columns to card fields"))
        self.setSubTitle(_tr("Columns set to “—” are left out. Every column set to Tags "
                             "adds a tag."))  # fmt: skip
        self.table = QTableWidget(self)
        self.table.setObjectName("import_mapping")
        self.table.setColumnCount(3)
        self.table.setHorizontalHeaderLabels([_tr("Column"), _tr("First value"), _tr("Field")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.lanes_from_epics = QCheckBox(_tr("Lanes from Jira epics (or parents)"), self)
        self.lanes_from_epics.setChecked(True)
        self.date_label = _label(_tr("How are dates such as 03/04/2026 written?"), self)
        self.date_order = _combo(self, _ORDERS, "import_date_order")
        self.date_order.currentIndexChanged.connect(self._on_date_order_changed)
        self.error = _label("", self)
        self.error.setObjectName("import_mapping_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.lanes_from_epics)
        layout.addWidget(self.date_label)
        layout.addWidget(self.date_order)
        layout.addWidget(self.error)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        table = self.wiz.table
        assert table is not None
        mapping = csv_io.default_mapping(table.header, self.wiz.preset)
        self.table.setRowCount(len(table.header))
        self.combos = []
        for i, name in enumerate(table.header):
            sample = next((r[i] for r in table.rows[:200] if i < len(r) and r[i].strip()), "")
            self.table.setItem(i, 0, _item(name))
            self.table.setItem(i, 1, _item(sample))
            combo = QComboBox(self.table)
            combo.addItem("—", None)
            for fname, label in csv_io.IMPORT_FIELDS.items():
                combo.addItem(_tr(label), fname)
            combo.setCurrentIndex(max(0, combo.findData(mapping[i])))
            self.table.setCellWidget(i, 2, combo)
            self.combos.append(combo)
        self.table.resizeColumnToContents(0)
        self.lanes_from_epics.setVisible(self.wiz.preset == "jira")
        self.error.clear()
        self._show_date_question(False)

    def _show_date_question(self, show: bool) -> None:
        self.date_label.setVisible(show)
        self.date_order.setVisible(show)

    def _on_date_order_changed(self, _index: int) -> None:
        self.error.clear()

    def mapping(self) -> list[str | None]:
        return [combo.currentData() for combo in self.combos]

    def set_field(self, column: int, fname: str | None) -> None:
        """Choose the field of one column (as a user does with its combo box)."""
        self.combos[column].setCurrentIndex(max(0, self.combos[column].findData(fname)))

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        wiz = self.wiz
        table = wiz.table
        assert table is not None
        fields = self.mapping()
        lanes = None
        if wiz.preset == "jira" and "lane" not in fields and self.lanes_from_epics.isChecked():
            lanes = jira.epic_lanes(table.header, table.rows)
        try:
            wiz.plan = csv_io.plan_import(table, fields, wiz.roadmap.cards(), wiz.preset,
                                          self.date_order.currentData() or None, lanes,
                                          csv_io.own_key_prefix(wiz.roadmap))
        except csv_io.AmbiguousDates as exc:
            self._show_date_question(True)
            self.error.setText(str(exc).replace(" (--date-order dmy or mdy)", " below"))
            return False
        except ValidationError as exc:
            self.error.setText(str(exc))
            return False
        return True


class ReviewPage(QWizardPage):
    """What will happen, every row problem, and the choice to skip those rows or cancel."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(_tr("Review and import"))
        self.summary = _label("", self)
        self.summary.setObjectName("import_summary")
        self.problems = QTableWidget(self)
        self.problems.setObjectName("import_problems")
        self.problems.setColumnCount(4)
        self.problems.setHorizontalHeaderLabels(
            [_tr("Line"), _tr("Column"), _tr("Value"), _tr("Problem")])
        self.problems.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.problems.verticalHeader().setVisible(False)
        self.skip = QCheckBox(self)
        self.skip.setObjectName("import_skip")
        self.skip.toggled.connect(self._on_skip_toggled)
        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.skip)
        layout.addStretch(0)
        self.setFinalPage(True)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        plan = self.wiz.plan
        assert plan is not None
        new = sum(1 for r in plan.rows if r.card_id is None)
        matched = len(plan.rows) - new
        lanes = {r.lane.casefold() for r in plan.rows if r.lane}
        known = {lane.name.casefold() for lane in self.wiz.roadmap.lanes()}
        text = _tr("%1 new cards, %2 matched by key (updated where they differ)") \
            .replace("%1", f"{new:,}").replace("%2", f"{matched:,}")
        if lanes - known:
            text += _tr("; %1 new lanes").replace("%1", str(len(lanes - known)))
        dated = sum(1 for r in plan.rows if "start" in r.fields)
        text += "\n" + _tr("%1 cards have dates and go on the timeline; %2 go to the backlog") \
            .replace("%1", f"{dated:,}").replace("%2", f"{len(plan.rows) - dated:,}")
        bad = plan.bad_lines
        if bad:
            text += "\n" + _tr("%1 rows have problems (listed below). Skip them and import "
                               "the rest, or cancel to import nothing.").replace("%1",
                                                                                 str(len(bad)))
        for note in plan.notes:
            text += "\n" + note
        self.summary.setText(text)
        self.problems.setRowCount(len(plan.problems))
        for r, p in enumerate(plan.problems):
            for c, value in enumerate((str(p.line), p.column, p.value, p.message)):
                self.problems.setItem(r, c, _item(value))
        self.problems.setVisible(bool(bad))
        self.skip.setVisible(bool(bad))
        self._layout.setStretch(3, 0 if bad else 1)
        self.skip.setChecked(False)
        self.skip.setText(_tr("Skip the %1 rows with problems").replace("%1", str(len(bad))))
        self.setButtonText(QWizard.WizardButton.FinishButton, _tr("Import"))

    def _on_skip_toggled(self, _checked: bool) -> None:
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        plan = self.wiz.plan
        return plan is not None and (not plan.problems or self.skip.isChecked())


class ImportWizard(QWizard):
    """The import wizard; on Finish the import runs as one command on the window's stack."""

    def __init__(self, window: Any, path: Path | None = None) -> None:
        super().__init__(window)
        self.window_ = window
        self.roadmap: Roadmap = window.roadmap
        self.setWindowTitle(_tr("Import CSV"))
        self.setObjectName("import_wizard")
        self.data = b""
        self.source = Path()
        self.table: csv_io.CsvTable | None = None
        self.preset = "generic"
        self.plan: csv_io.ImportPlan | None = None
        self.report: csv_io.ImportReport | None = None
        self.file_page = FilePage(self)
        self.preview_page = PreviewPage(self)
        self.mapping_page = MappingPage(self)
        self.review_page = ReviewPage(self)
        for page in (self.file_page, self.preview_page, self.mapping_page, self.review_page):
            self.addPage(page)
        if path is not None:
            self.file_page.path_edit.setText(str(path))
        self.resize(900, 620)

    def summary_text(self) -> str:
        return self.review_page.summary.text()

    def accept(self) -> None:
        plan = self.plan
        if plan is None:
            return
        command = ImportCards(self.roadmap, plan, self.source.name)
        try:
            self.report = run(self.window_.undo_stack, command)
        except (ValidationError, RoadmapFileError) as exc:
            box = QMessageBox(QMessageBox.Icon.Warning, _tr("Import failed"), str(exc),
                              QMessageBox.StandardButton.Ok, self)  # fmt: skip
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setInformativeText(_tr("Nothing was imported; the roadmap is as it was."))
            box.exec()
            return
        report = self.report
        assert report is not None
        message = _tr("Imported %1: %2 created, %3 updated, %4 skipped") \
            .replace("%1", self.source.name).replace("%2", str(len(report.created))) \
            .replace("%3", str(len(report.updated))).replace("%4", str(len(report.skipped_lines)))
        self.window_.statusBar().showMessage(message, 10_000)
        super().accept()


def show_import_wizard(window: Any) -> ImportWizard | None:
    """Open the wizard over the window; a snapshot on show is frozen, so it says so instead."""
    if window.roadmap.plan().kind == "snapshot":
        box = QMessageBox(QMessageBox.Icon.Information, _tr("Import CSV"),
                          _tr("A snapshot is frozen. Show the plan or a scenario to import "
                              "into it."), QMessageBox.StandardButton.Ok, window)  # fmt: skip
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        return None
    wizard = ImportWizard(window)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    wizard.open()
    return wizard
