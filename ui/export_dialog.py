"""File ▸ Export Image/PDF… with a live preview, and File ▸ Print Preview… / Print…."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QColor,
    QImage,
    QKeySequence,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.errors import ValidationError
from planner.model import View
from ui import settings
from ui.export import (
    ExportError,
    ExportOptions,
    ExportResult,
    RoadmapPicture,
    build_picture,
    export_roadmap,
    image_size,
    page_layout,
    paint_image,
    paint_page,
    paint_pages,
    plan_pages,
)

PREVIEW = QSize(360, 250)
PAGE_NAMES = ("A4", "A3", "Letter", "Legal", "Tabloid")


def _plan_label(document: Any) -> str | None:
    label = getattr(document, "plan_label", None)
    if callable(label):
        try:
            text = label()
        except Exception:  # a courtesy on the page, never a reason to fail
            return None
        return str(text) if text else None
    return None


def remembered_options() -> ExportOptions:
    """The settings the export dialog and printing were last used with."""
    dpi = int(settings.get("export_dpi"))
    return ExportOptions(
        format=settings.get("export_format"), scale=float(settings.get("export_scale")),
        dpi=dpi or None, page_size=settings.get("export_page_size"),
        orientation=settings.get("export_orientation"), fit=settings.get("export_fit"),
        margin_mm=float(settings.get("export_margin_mm")),
    )  # fmt: skip


def remember_options(options: ExportOptions) -> None:
    settings.put("export_format", options.format)
    settings.put("export_scale", float(options.scale))
    settings.put("export_dpi", int(options.dpi or 0))
    settings.put("export_page_size", options.page_size)
    settings.put("export_orientation", options.orientation)
    settings.put("export_fit", options.fit)
    settings.put("export_margin_mm", float(options.margin_mm))


def preview_image(picture: RoadmapPicture, options: ExportOptions, size: QSize) -> QImage:
    """A thumbnail of the image, or of the first page of the PDF, within ``size``."""
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(0, 0, 0, 0))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    if options.format == "pdf":
        layout = page_layout(options)
        full = layout.fullRectPoints()
        paint = layout.paintRectPoints()
        plan = plan_pages(picture, paint.width(), paint.height(), options.fit)
        k = min(size.width() / full.width(), size.height() / full.height())
        p.translate((size.width() - full.width() * k) / 2, (size.height() - full.height() * k) / 2)
        p.scale(k, k)
        p.fillRect(QRectF(0, 0, full.width(), full.height()), QColor("white"))
        p.setPen(QPen(QColor("#8c8c8c"), 0))
        p.drawRect(QRectF(0, 0, full.width(), full.height()))
        p.translate(paint.x(), paint.y())
        paint_page(p, picture, plan.pages[0], plan.width, plan.scale, 1, len(plan.pages))
    else:
        w, h = image_size(picture)
        k = min(size.width() / w, size.height() / h)
        p.translate((size.width() - w * k) / 2, (size.height() - h * k) / 2)
        p.scale(k, k)
        paint_image(p, picture)
    p.end()
    return image


class ExportDialog(QDialog):
    """Choose the format, view, date window and paper; see the result before writing it."""

    def __init__(self, document: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.roadmap = document.roadmap
        self.export_result: ExportResult | None = None
        self.setWindowTitle(self.tr("Export Image or PDF"))
        remembered = remembered_options()

        self.format_box = QComboBox(self)
        for key, text in (("pdf", self.tr("PDF document")), ("png", self.tr("PNG image")),
                          ("svg", self.tr("SVG drawing"))):  # fmt: skip
            self.format_box.addItem(text, key)
        self.format_box.setCurrentIndex(max(0, self.format_box.findData(remembered.format)))

        self.view_box = QComboBox(self)
        self.view_box.addItem(self.tr("Everything"), None)
        active = getattr(document, "active_view", None)
        for view in self.roadmap.views():
            self.view_box.addItem(view.name, view.id)
            if active is not None and getattr(active, "id", None) == view.id:
                self.view_box.setCurrentIndex(self.view_box.count() - 1)

        span = self.roadmap.date_range()
        today = dt.date.today()
        first, last = span if span else (today, today + dt.timedelta(days=90))
        self.from_check = QCheckBox(self.tr("From"), self)
        self.from_edit = QDateEdit(QDate(first.year, first.month, first.day), self)
        self.to_check = QCheckBox(self.tr("To"), self)
        self.to_edit = QDateEdit(QDate(last.year, last.month, last.day), self)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.from_check.toggled.connect(self.from_edit.setEnabled)
        self.to_check.toggled.connect(self.to_edit.setEnabled)
        window_row = QHBoxLayout()
        for w in (self.from_check, self.from_edit, self.to_check, self.to_edit):
            window_row.addWidget(w)
        window_row.addStretch(1)

        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(self.roadmap.title)

        self.scale_box = QComboBox(self)
        for scale in (1.0, 2.0, 3.0):
            self.scale_box.addItem(self.tr("%1x").replace("%1", f"{scale:g}"), scale)
        self.scale_box.addItem(self.tr("Chosen DPI"), 0.0)
        self.dpi_spin = QSpinBox(self)
        self.dpi_spin.setRange(10, 2400)
        self.dpi_spin.setSuffix(self.tr(" dpi"))
        self.dpi_spin.setValue(remembered.dpi or 300)
        if remembered.dpi:
            self.scale_box.setCurrentIndex(self.scale_box.count() - 1)
        else:
            self.scale_box.setCurrentIndex(max(0, self.scale_box.findData(remembered.scale)))

        self.page_box = QComboBox(self)
        for name in PAGE_NAMES:
            self.page_box.addItem(name, name)
        self.page_box.setCurrentIndex(max(0, self.page_box.findData(remembered.page_size)))
        self.orientation_box = QComboBox(self)
        self.orientation_box.addItem(self.tr("Landscape"), "landscape")
        self.orientation_box.addItem(self.tr("Portrait"), "portrait")
        self.orientation_box.setCurrentIndex(
            max(0, self.orientation_box.findData(remembered.orientation)))
        self.fit_box = QComboBox(self)
        self.fit_box.addItem(self.tr("Fit on one page"), "page")
        self.fit_box.addItem(self.tr("Tile across pages"), "tile")
        self.fit_box.setCurrentIndex(max(0, self.fit_box.findData(remembered.fit)))
        self.margin_spin = QDoubleSpinBox(self)
        self.margin_spin.setRange(0.0, 60.0)
        self.margin_spin.setDecimals(0)
        self.margin_spin.setSuffix(self.tr(" mm"))
        self.margin_spin.setValue(remembered.margin_mm)

        self.changes_box = QComboBox(self)
        self.changes_box.addItem(self.tr("No"), None)
        for plan in self.roadmap.plans():
            if plan.kind == "snapshot":
                self.changes_box.addItem(self.tr("Since %1").replace("%1", plan.name), plan.name)

        form = QFormLayout()
        form.addRow(self.tr("Format:"), self.format_box)
        form.addRow(self.tr("View:"), self.view_box)
        form.addRow(self.tr("Dates:"), window_row)
        form.addRow(self.tr("Title:"), self.title_edit)
        form.addRow(self.tr("Scale:"), self.scale_box)
        form.addRow(self.tr("Resolution:"), self.dpi_spin)
        form.addRow(self.tr("Paper:"), self.page_box)
        form.addRow(self.tr("Orientation:"), self.orientation_box)
        form.addRow(self.tr("Layout:"), self.fit_box)
        form.addRow(self.tr("Margins:"), self.margin_spin)
        form.addRow(self.tr("What changed:"), self.changes_box)
        self._form = form

        self.preview = QLabel(self)
        self.preview.setMinimumSize(PREVIEW)
        # The thumbnail follows the label's size, never the other way round.
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.info = QLabel(self)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Export…"))
        self.buttons.accepted.connect(self._on_export_clicked)
        self.buttons.rejected.connect(self.reject)

        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.info)
        body = QHBoxLayout()
        body.addLayout(form, 0)
        body.addLayout(right, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(body)
        outer.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self._on_preview_timer_timeout)
        for box in (self.format_box, self.view_box, self.scale_box, self.page_box,
                    self.orientation_box, self.fit_box, self.changes_box):  # fmt: skip
            box.currentIndexChanged.connect(self._on_setting_changed)
        for check in (self.from_check, self.to_check):
            check.toggled.connect(self._on_setting_changed)
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(self._on_setting_changed)
        self.dpi_spin.valueChanged.connect(self._on_setting_changed)
        self.margin_spin.valueChanged.connect(self._on_setting_changed)
        self.title_edit.textChanged.connect(self._on_setting_changed)
        self.resize(920, 560)
        self._update_enabled()
        self.update_preview()

    # ----- reading the form

    def view(self) -> View | None:
        view_id = self.view_box.currentData()
        return self.roadmap.view(view_id) if view_id is not None else None

    def options(self) -> ExportOptions:
        scale = float(self.scale_box.currentData() or 0.0)
        return ExportOptions(
            format=str(self.format_box.currentData()),
            scale=scale or 1.0,
            dpi=self.dpi_spin.value() if not scale else None,
            page_size=str(self.page_box.currentData()),
            orientation=str(self.orientation_box.currentData()),
            fit=str(self.fit_box.currentData()),
            margin_mm=float(self.margin_spin.value()),
            date_from=_day(self.from_edit.date()) if self.from_check.isChecked() else None,
            date_to=_day(self.to_edit.date()) if self.to_check.isChecked() else None,
            title=self.title_edit.text().strip() or None,
            changes_since=self.changes_box.currentData(),
        )

    def _update_enabled(self) -> None:
        fmt = self.format_box.currentData()
        is_pdf = fmt == "pdf"
        for widget in (self.page_box, self.orientation_box, self.fit_box, self.margin_spin,
                       self.changes_box):  # fmt: skip
            widget.setEnabled(is_pdf)
        self.scale_box.setEnabled(fmt == "png")
        self.dpi_spin.setEnabled(fmt == "png" and not self.scale_box.currentData())

    # ----- preview

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._timer.start()  # redraw the thumbnail at the new size

    def _on_setting_changed(self, *_args: object) -> None:
        self._update_enabled()
        self._timer.start()

    def _on_preview_timer_timeout(self) -> None:
        if self.roadmap.closed:
            return  # the window closed before the timer fired
        self.update_preview()

    def update_preview(self) -> None:
        """Redraw the thumbnail and the size line from the current settings."""
        options = self.options()
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if options.date_from and options.date_to and options.date_to < options.date_from:
            self.info.setText(self.tr("The last day is before the first day."))
            save.setEnabled(False)
            return
        try:
            picture = build_picture(self.roadmap, self.view(), options, _plan_label(self.document))
            size = self.preview.contentsRect().size().expandedTo(PREVIEW)
            image = preview_image(picture, options, size)
            self.preview.setPixmap(QPixmap.fromImage(image))
            self.info.setText(self._describe(picture, options))
            save.setEnabled(True)
        except ExportError as exc:
            self.info.setText(str(exc))
            save.setEnabled(False)

    def _describe(self, picture: RoadmapPicture, options: ExportOptions) -> str:
        from ui.export import check_image_size

        if options.format == "pdf":
            rect = page_layout(options).paintRectPoints()
            plan = plan_pages(picture, rect.width(), rect.height(), options.fit)
            pages = len(plan.pages) + (1 if options.changes_since else 0)
            text = self.tr("%1 page(s), %2 %3").replace("%1", str(pages)) \
                .replace("%2", options.page_size).replace("%3", self.orientation_box.currentText())
            return "\n".join([text, *plan.notes])
        w, h = image_size(picture)
        if options.format == "svg":
            return self.tr("%1 x %2 points, vector").replace("%1", str(w)).replace("%2", str(h))
        pw, ph = check_image_size(w, h, options.png_scale)
        return self.tr("%1 x %2 pixels").replace("%1", str(pw)).replace("%2", str(ph))

    # ----- writing

    def export_to(self, path: str | Path) -> ExportResult:
        """Write the export to ``path`` and remember these settings for next time."""
        options = self.options()
        result = export_roadmap(self.roadmap, path, options, self.view(),
                                _plan_label(self.document))  # fmt: skip
        remember_options(options)
        settings.put("export_folder", str(Path(path).parent))
        self.export_result = result
        return result

    def _on_export_clicked(self) -> None:
        options = self.options()
        folder = settings.get("export_folder") or str(Path.home())
        suggested = Path(folder) / f"{self.roadmap.title}.{options.format}"
        filters = {"pdf": self.tr("PDF documents (*.pdf)"), "png": self.tr("PNG images (*.png)"),
                   "svg": self.tr("SVG drawings (*.svg)")}  # fmt: skip
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), str(suggested),
                                              filters[options.format])  # fmt: skip
        if not path:
            return
        if not path.lower().endswith("." + options.format):
            path += "." + options.format
        try:
            self.export_to(path)
        except (ExportError, ValidationError, OSError) as exc:
            _warn(self, self.tr("The export failed"), str(exc))
            return
        self.accept()


def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


def _warn(parent: QWidget, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.exec()


# ----- printing


def make_printer(options: ExportOptions | None = None) -> QPrinter:
    """A printer set up with the remembered paper, orientation and margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    try:
        printer.setPageLayout(page_layout(options or remembered_options()))
    except ExportError:
        pass
    return printer


def print_picture(printer: QPrinter, document: Any, fit: str | None = None) -> int:
    """Paint the active view onto ``printer``; returns the number of pages."""
    options = remembered_options()
    view = getattr(document, "active_view", None)
    picture = build_picture(document.roadmap, view, options, _plan_label(document))
    plan = paint_pages(printer, picture, fit or options.fit)
    return len(plan.pages)


def show_print_preview(window: Any) -> None:
    printer = make_printer()
    dialog = QPrintPreviewDialog(printer, window)
    dialog.setWindowTitle(window.tr("Print Preview"))
    dialog.paintRequested.connect(lambda p: _print_safely(window, p))
    dialog.exec()


def show_print_dialog(window: Any) -> None:
    printer = make_printer()
    dialog = QPrintDialog(printer, window)
    dialog.setWindowTitle(window.tr("Print Roadmap"))
    if dialog.exec() == QDialog.DialogCode.Accepted:
        pages = _print_safely(window, printer)
        if pages:
            window.statusBar().showMessage(
                window.tr("Sent %1 page(s) to the printer").replace("%1", str(pages)), 5000)


def _print_safely(window: Any, printer: QPrinter) -> int:
    try:
        return print_picture(printer, window.document)
    except ExportError as exc:
        window.statusBar().showMessage(str(exc), 8000)
        return 0


def show_export_dialog(window: Any) -> ExportDialog:
    dialog = ExportDialog(window.document, window)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.export_result is not None:
        path = dialog.export_result.path
        window.statusBar().showMessage(
            window.tr("Exported to %1").replace("%1", str(path)), 8000)
    return dialog


def install_actions(window: Any) -> dict[str, QAction]:
    """Add File ▸ Export Image/PDF…, Print Preview… and Print… above Quit."""
    export = QAction(window.tr("&Export Image/PDF…"), window)
    export.setObjectName("export_action")
    export.setShortcut(QKeySequence("Ctrl+Shift+E"))
    export.triggered.connect(lambda: show_export_dialog(window))
    preview = QAction(window.tr("Print Pre&view…"), window)
    preview.setObjectName("print_preview_action")
    preview.triggered.connect(lambda: show_print_preview(window))
    print_action = QAction(window.tr("&Print…"), window)
    print_action.setObjectName("print_action")
    print_action.setShortcut(QKeySequence.StandardKey.Print)
    print_action.triggered.connect(lambda: show_print_dialog(window))
    menu: QMenu = window.file_menu
    actions = menu.actions()
    anchor = None
    for i, action in enumerate(actions):
        if action.menuRole() == QAction.MenuRole.QuitRole:
            anchor = actions[i - 1] if i > 0 and actions[i - 1].isSeparator() else action
            break
    if anchor is None:
        menu.addSeparator()
        menu.addActions([export, preview, print_action])
    elif anchor.isSeparator():
        menu.insertSeparator(anchor)
        menu.insertActions(anchor, [export, preview, print_action])
    else:
        menu.insertActions(anchor, [export, preview, print_action])
        menu.insertSeparator(anchor)
    installed = {"export": export, "print_preview": preview, "print": print_action}
    window.export_actions = installed
    return installed
