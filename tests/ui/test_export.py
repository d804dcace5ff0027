"""Exports as a reader sees them: image pixels, PDF pages and text, SVG text, print, the dialog."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QImage, QKeySequence

from planner import Roadmap
from planner.lens import MONTHS, Lens
from ui import export
from ui.export import (
    ExportError,
    ExportOptions,
    build_picture,
    export_roadmap,
    image_body_origin,
    image_size,
)

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    """Remembered export settings go to a file of the test's own."""
    path = str(tmp_path / "settings.ini")
    monkeypatch.setattr("ui.settings._store", lambda: QSettings(path, QSettings.Format.IniFormat))


@pytest.fixture
def colored(tmp_path, qapp) -> Path:
    """Two lanes, three cards with their own colours, one outside the spring window."""
    path = tmp_path / "colored.roadmap"
    with Roadmap.create(path, title="Colours") as r:
        a = r.add_lane("Alpha", color="#3366cc")
        b = r.add_lane("Beta", color="#22aa55")
        r.add_card("Red card with a long enough title", lane_id=a.id,
                   start=dt.date(2027, 3, 1), end=dt.date(2027, 4, 30), color="#ff0000")
        r.add_card("Green card", lane_id=b.id, start=dt.date(2027, 5, 3),
                   end=dt.date(2027, 6, 25), color="#00c000")
        r.add_card("Autumn card", lane_id=b.id, start=dt.date(2027, 10, 4),
                   end=dt.date(2027, 11, 26), color="#0000ff")  # fmt: skip
    return path


def _pdftotext(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-raw"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip


def _words(path: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) of every word, in points."""
    import html
    import re

    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                         text=True).stdout  # fmt: skip
    words = []
    page = 0
    for line in out.splitlines():
        if line.strip().startswith("<page "):
            page += 1
        m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<',
                      line)
        if m:
            words.append((page, *(float(m.group(i)) for i in range(1, 5)),
                          html.unescape(m.group(5))))  # fmt: skip
    return words


def _shown(title: str, text: str) -> bool:
    """The title is in the text whole, or as it is drawn when its bar is short (elided)."""
    return title in text or any(title[:k].rstrip() + "…" in text for k in range(len(title)))


def _titles(path: Path) -> list[str]:
    with Roadmap.open(path, read_only=True) as r:
        return [c.title for c in r.cards() if c.scheduled]


def test_png_dimensions_are_exact_for_each_scale(colored, tmp_path):
    with Roadmap.open(colored, read_only=True) as r:
        w, h = image_size(build_picture(r, None, ExportOptions(format="png"), today=TODAY))
        sizes = {}
        for scale in (1, 2, 3):
            out = tmp_path / f"x{scale}.png"
            export_roadmap(r, out, ExportOptions(format="png", scale=scale), today=TODAY)
            image = QImage(str(out))
            sizes[scale] = (image.width(), image.height())
        export_roadmap(r, tmp_path / "dpi.png", ExportOptions(format="png", dpi=192), today=TODAY)
    assert sizes == {1: (w, h), 2: (2 * w, 2 * h), 3: (3 * w, 3 * h)}
    image = QImage(str(tmp_path / "dpi.png"))
    assert (image.width(), image.height()) == (2 * w, 2 * h)
    assert round(image.dotsPerMeterX() * 0.0254) == 192


def test_a_cards_colour_is_at_its_pixels(colored, tmp_path):
    scale = 2
    out = tmp_path / "c.png"
    with Roadmap.open(colored, read_only=True) as r:
        picture = build_picture(r, None, ExportOptions(format="png"), today=TODAY)
        image_size(picture)
        bars = {c.title: picture.scene.card_bar_scene(c.id) for c in r.cards()}
        export_roadmap(r, out, ExportOptions(format="png", scale=scale), today=TODAY)
    image = QImage(str(out))
    origin = image_body_origin(picture)
    left, top = origin.x() - picture.x0, origin.y()
    for title, color in (("Red card with a long enough title", "#ff0000"),
                         ("Green card", "#00c000")):  # fmt: skip
        bar = bars[title]
        assert bar.width() > 50
        for fx in (0.15, 0.85):  # away from the rounded ends, above the text
            x = (left + bar.left() + bar.width() * fx) * scale
            y = (top + bar.top() + 2.5) * scale
            assert image.pixelColor(int(x), int(y)).name() == QColor(color).name(), (title, fx)
        above = (top + bar.top() - 4) * scale
        x = (left + bar.center().x()) * scale
        assert image.pixelColor(int(x), int(above)).name() != QColor(color).name()


def test_image_size_cap_refuses_with_a_clear_message(colored, tmp_path):
    out = tmp_path / "huge.png"
    out.write_bytes(b"old image")
    options = ExportOptions(format="png", scale=8, date_from=dt.date(1990, 1, 1),
                            date_to=dt.date(2100, 1, 1))  # fmt: skip
    with Roadmap.open(colored, read_only=True) as r, pytest.raises(ExportError) as info:
        export_roadmap(r, out, options, today=TODAY)
    assert "limit" in str(info.value) and "16384" in str(info.value)
    assert out.read_bytes() == b"old image"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_pdf_sample_a4_landscape_one_page_readable_and_uncut(sample_path, tmp_path):
    out = tmp_path / "a4.pdf"
    with Roadmap.open(sample_path, read_only=True) as r:
        result = export_roadmap(r, out, ExportOptions(format="pdf"), today=TODAY)
    assert result.pages == 1 and not result.notes
    from pypdf import PdfReader

    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = " ".join(_pdftotext(out).split())
    for title in _titles(sample_path):
        assert _shown(title, text), title
    words = _words(out)
    margin = 10 / 25.4 * 72
    for _page, x0, y0, x1, y1, word in words:
        assert y1 - y0 >= 6.0, word  # text height in points: nothing under 6 pt
        assert margin - 0.5 <= x0 and x1 <= 842 - margin + 0.5, word
        assert margin - 0.5 <= y0 and y1 <= 595 - margin + 0.5, word


def test_pdf_page_sizes_and_orientation(colored, tmp_path):
    from pypdf import PdfReader

    expected = {("A3", "portrait"): (842, 1191), ("Letter", "landscape"): (792, 612),
                ("Legal", "portrait"): (612, 1008), ("Tabloid", "landscape"): (1224, 792)}
    with Roadmap.open(colored, read_only=True) as r:
        for (size, orientation), dims in expected.items():
            out = tmp_path / f"{size}.pdf"
            export_roadmap(r, out, ExportOptions(page_size=size, orientation=orientation),
                           today=TODAY)  # fmt: skip
            box = PdfReader(str(out)).pages[0].mediabox
            assert (round(float(box.width)), round(float(box.height))) == dims


def test_tiling_repeats_header_and_lane_names_and_numbers_pages(sample_path, tmp_path):
    out = tmp_path / "tiled.pdf"
    with Roadmap.open(sample_path, read_only=True) as r:
        lanes = [lane.name for lane in r.lanes()]
        result = export_roadmap(r, out, ExportOptions(page_size="A3", fit="tile"), today=TODAY)
    from pypdf import PdfReader

    pages = len(PdfReader(str(out)).pages)
    assert pages == result.pages >= 2
    for n in range(1, pages + 1):
        text = _pdftotext(out, n)
        assert sum(f"{m} " in text for m in MONTHS) >= 2, n  # the time header
        assert sum(name in text for name in lanes) >= 1, n  # lane names
        assert f"Page {n} of {pages}" in text
        assert "Tandem" in text  # the title
    all_text = " ".join(_pdftotext(out).split())
    titles = _titles(sample_path)
    assert all(_shown(title, all_text) for title in titles)
    whole = [title for title in titles if title in all_text]
    assert len(whole) >= len(titles) * 2 // 3  # at the window's zoom most titles fit
    assert "Übersetzung: German patient portal" in all_text
    for page, x0, y0, x1, y1, word in _words(out):
        assert y1 - y0 >= 6.0 and x0 >= 28 - 0.5 and x1 <= 1191 - 28 + 0.5, (page, word)


def test_fit_that_would_shrink_text_below_6pt_tiles_and_says_so(tmp_path, qapp):
    path = tmp_path / "big.roadmap"
    with Roadmap.create(path, title="Big") as r:
        lanes = [r.add_lane(f"Team {i}").id for i in range(4)]
        r.add_cards([{"title": f"Card {i}", "lane_id": lanes[i % 4],
                      "start": dt.date(2027, 1, 1) + dt.timedelta(days=i),
                      "end": dt.date(2027, 3, 1) + dt.timedelta(days=i)}
                     for i in range(400)])  # fmt: skip
        result = export_roadmap(r, tmp_path / "big.pdf", ExportOptions(), today=TODAY)
    assert result.pages > 1
    assert any("6 pt" in note for note in result.notes)
    for n in range(1, result.pages + 1):
        text = _pdftotext(tmp_path / "big.pdf", n)
        assert "Team " in text, n  # every page names its lanes, continued ones too
    assert "(continued)" in _pdftotext(tmp_path / "big.pdf")


def test_date_window_leaves_out_cards_outside_it(colored, tmp_path):
    out = tmp_path / "spring.pdf"
    options = ExportOptions(date_from=dt.date(2027, 3, 1), date_to=dt.date(2027, 6, 30))
    with Roadmap.open(colored, read_only=True) as r:
        export_roadmap(r, out, options, today=TODAY)
    text = " ".join(_pdftotext(out).split())
    assert "Red card with a long enough title" in text and "Green card" in text
    assert "Autumn card" not in text
    assert "Oct" not in text.split("Colours", 1)[1].split("Page")[0].replace("October", "")


def test_svg_has_the_titles_as_text(colored, tmp_path):
    out = tmp_path / "r.svg"
    with Roadmap.open(colored, read_only=True) as r:
        result = export_roadmap(r, out, ExportOptions(format="svg"), today=TODAY)
    import xml.etree.ElementTree as ET

    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    text = out.read_text(encoding="utf-8")
    assert "Green card" in text and "Colours" in text
    assert result.size[0] > 100
    # Sized in pixels at 1x, like the PNG at scale 1, and drawn in the same pixels.
    w, h = result.size
    assert (root.get("width"), root.get("height")) == (str(w), str(h))
    assert root.get("viewBox") == f"0 0 {w} {h}"
    with Roadmap.open(colored, read_only=True) as r:
        png = export_roadmap(r, tmp_path / "r.png", ExportOptions(format="png"), today=TODAY)
    assert png.size == (w, h)


def test_view_lens_is_used(sample_path, tmp_path):
    out = tmp_path / "customers.pdf"
    with Roadmap.open(sample_path, read_only=True) as r:
        view = r.view_named("Customers")
        lens = Lens.from_view(view)
        hidden = [c.title for c in r.cards() if c.scheduled and not lens.includes(c)]
        export_roadmap(r, out, ExportOptions(), view=view, today=TODAY)
    text = " ".join(_pdftotext(out).split())
    assert hidden and not any(title in text for title in hidden)
    assert "Customers" in text


def test_print_paints_pages_on_a_printer(window, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from ui.export_dialog import make_printer, print_picture

    printer = make_printer(ExportOptions(page_size="A3", fit="tile"))
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    pages = print_picture(printer, window.document, fit="tile")
    del printer
    assert pages >= 2
    assert "Scheduling engine v3" in _pdftotext(out)


def test_window_has_export_and_print_actions(window):
    actions = window.export_actions
    assert actions["print"].shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    texts = [a.text() for a in window.file_menu.actions()]
    assert "&Export Image/PDF…" in texts and "&Print…" in texts


def test_dialog_previews_exports_and_remembers(window, qtbot, tmp_path):
    from ui.export_dialog import ExportDialog

    dialog = ExportDialog(window.document, window)
    qtbot.addWidget(dialog)
    assert not dialog.preview.pixmap().isNull()
    assert "page" in dialog.info.text()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("png"))
    dialog.scale_box.setCurrentIndex(dialog.scale_box.findData(3.0))
    qtbot.waitUntil(lambda: "pixels" in dialog.info.text())
    out = tmp_path / "dialog.png"
    result = dialog.export_to(out)
    assert QImage(str(out)).width() == result.size[0]
    dialog.close()

    again = ExportDialog(window.document, window)
    qtbot.addWidget(again)
    assert again.format_box.currentData() == "png"
    assert again.scale_box.currentData() == 3.0
    again.format_box.setCurrentIndex(again.format_box.findData("pdf"))
    again.page_box.setCurrentIndex(again.page_box.findData("A3"))
    again.fit_box.setCurrentIndex(again.fit_box.findData("tile"))
    again.update_preview()
    assert "A3" in again.info.text()
    again.export_to(tmp_path / "dialog.pdf")
    third = ExportDialog(window.document, window)
    qtbot.addWidget(third)
    assert (third.format_box.currentData(), third.page_box.currentData(),
            third.fit_box.currentData()) == ("pdf", "A3", "tile")  # fmt: skip


def test_hostile_titles_are_plain_text(tmp_path, qapp):
    path = tmp_path / "hostile.roadmap"
    with Roadmap.create(path, title="<b>bold</b>") as r:
        lane = r.add_lane("<img src='/dev/zero'>")
        r.add_card("<table><tr><td>x</td></tr></table>", lane_id=lane.id,
                   start=dt.date(2027, 1, 4), end=dt.date(2027, 3, 26))  # fmt: skip
        export_roadmap(r, tmp_path / "h.pdf", ExportOptions(), today=TODAY)
    text = _pdftotext(tmp_path / "h.pdf")
    assert "<table><tr><td>x</td></tr></table>" in text and "<b>bold</b>" in text


def test_unknown_page_size_is_refused():
    with pytest.raises(ExportError, match="Tabloid"):
        export.page_layout(ExportOptions(page_size="B5"))


def test_changes_since_adds_a_page(sample_path, tmp_path):
    out = tmp_path / "review.pdf"
    with Roadmap.open(sample_path) as r:
        r.take_snapshot("Q3 review")
        card = next(c for c in r.cards() if c.title == "Smart waitlist")
        r.update_card(card.id, title="Smart waitlist with priorities")
    with Roadmap.open(sample_path, read_only=True) as r:
        result = export_roadmap(r, out, ExportOptions(changes_since="Q3 review"), today=TODAY)
    from pypdf import PdfReader

    assert len(PdfReader(str(out)).pages) == result.pages == 2
    last = " ".join(_pdftotext(out, 2).split())
    assert "What changed since Q3 review" in last
    assert "Smart waitlist" in last and "Page 2 of 2" in last


def test_export_button_asks_for_a_file_and_writes_it(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

    from ui.export_dialog import ExportDialog

    out = tmp_path / "from-button"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(out), "")))  # fmt: skip
    dialog = ExportDialog(window.document, window)
    qtbot.addWidget(dialog)
    dialog.view_box.setCurrentIndex(dialog.view_box.findText("Customers"))
    with qtbot.waitSignal(dialog.accepted):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    written = tmp_path / "from-button.pdf"
    assert written.exists() and dialog.export_result is not None
    assert "Customers" in _pdftotext(written)

    warnings = []
    monkeypatch.setattr("ui.export_dialog._warn", lambda parent, title, text: warnings.append(text))
    out = tmp_path / "missing" / "r.pdf"
    again = ExportDialog(window.document, window)
    qtbot.addWidget(again)
    again.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert warnings and "cannot write" in warnings[0]
    assert again.export_result is None


def test_print_and_print_preview_from_the_file_menu(window, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
    from PySide6.QtWidgets import QDialog

    printed = tmp_path / "printed.pdf"

    def accept_to_pdf(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept_to_pdf)
    window.export_actions["print"].trigger()
    assert "Scheduling" in _pdftotext(printed)
    assert "page" in window.statusBar().currentMessage()

    previewed = tmp_path / "preview.pdf"

    def preview_to_pdf(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(previewed))
        dialog.paintRequested.emit(printer)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QPrintPreviewDialog, "exec", preview_to_pdf)
    window.export_actions["print_preview"].trigger()
    assert "Tandem" in _pdftotext(previewed)


def test_a_long_list_of_changes_runs_on_to_more_pages(sample_path, tmp_path):
    out = tmp_path / "many.pdf"
    with Roadmap.open(sample_path) as r:
        r.take_snapshot("Before")
        r.update_cards({c.id: {"title": c.title + " (renamed)"} for c in r.cards()})
    with Roadmap.open(sample_path, read_only=True) as r:
        result = export_roadmap(r, out, ExportOptions(changes_since="Before"), today=TODAY)
    assert result.pages == 3
    assert "What changed since Before (continued)" in " ".join(_pdftotext(out, 3).split())
    assert "Page 3 of 3" in _pdftotext(out, 3)
