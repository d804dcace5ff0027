"""The legend widget and the painting function the export shares."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from ui.legend import LegendWidget, fit_strip, legend_height, paint_legend


def test_paint_legend_draws_swatches_in_their_colours(qapp) -> None:
    image = QImage(400, 60, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    used = paint_legend(painter, QRectF(0, 0, 400, 60), [("Red", "#ff0000"), ("Blue", "#0000ff")],
                        QFont())  # fmt: skip
    painter.end()
    assert 0 < used <= 60
    colours = {image.pixelColor(x, y).name() for x in range(400) for y in range(0, 60, 2)}
    assert "#ff0000" in colours and "#0000ff" in colours


def test_long_legends_wrap_and_hostile_labels_stay_text(qapp) -> None:
    items = [(f'<img src="/dev/zero"> item {i}', "#4e79a7") for i in range(30)]
    font = QFont()
    assert legend_height(items, font, 300) > legend_height(items, font, 3000)
    image = QImage(300, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    paint_legend(painter, QRectF(0, 0, 300, 400), items, font)
    painter.end()


def test_window_legend_follows_the_colour_by_of_the_view(window, qtbot) -> None:
    legend = window.legend
    assert isinstance(legend, LegendWidget)
    lanes = [lane.name for lane in window.roadmap.lanes()]
    assert [label for label, _ in legend.items][: len(lanes)] == lanes
    window.document.set_active_view(window.roadmap.view_named("Engineering"))  # by status
    qtbot.waitUntil(lambda: {"Planned", "In progress"} <= {label for label, _ in legend.items})
    assert legend.heightForWidth(800) > 0
    legend.grab()


def test_legend_is_in_the_view_menu(window) -> None:
    assert window.legend_bar.toggleViewAction() in window.view_menu.actions()


def test_a_hundred_colours_keep_the_strip_to_two_lines_with_the_rest_counted(qtbot) -> None:
    items = [(f"Lane number {i}", "#4e79a7") for i in range(100)]
    widget = LegendWidget()
    qtbot.addWidget(widget)
    widget.set_items(items)
    line = QFontMetricsF(widget.font()).height()
    for width in (300, 800, 1900):
        shown, hidden = fit_strip(items, widget.font(), width - 8)
        assert 0 < len(shown) < 100 and hidden == 100 - len(shown)
        assert widget.heightForWidth(width) <= line * 2.3 + 6 + 1
    assert widget.sizeHint().height() <= line * 2.3 + 7
    widget.resize(800, widget.heightForWidth(800))
    shown, hidden = fit_strip(items, widget.font(), 800 - 8)
    tip = widget.toolTip()
    assert f"Lane number {len(shown)}" in tip and "Lane number 0\n" not in tip  # the hidden ones
    assert len(tip.splitlines()) <= 15 and "more" in tip.splitlines()[-1]
    long_names = [(f"Grow self-serve revenue in segment number {i} this year", "#4e79a7")
                  for i in range(6)]  # fmt: skip
    widget.set_items(long_names)
    widget.resize(640, 40)
    if fit_strip(long_names, widget.font(), 632)[1]:  # hidden with only six long names
        assert "Not shown" in widget.toolTip() and "number 5" in widget.toolTip()
    image = widget.grab().toImage()
    assert not image.isNull()
    few = [("Red", "#ff0000"), ("Blue", "#0000ff")]
    assert fit_strip(few, widget.font(), 800) == (few, 0)
