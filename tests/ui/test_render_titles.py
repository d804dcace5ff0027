"""Bar titles on screen come from kept pictures (``render._stamp_title``): they must look like
the title Qt draws as text, whole or cut short with an ellipsis, and text that a picture cannot
cut right (right to left, combining marks, line breaks) is drawn as text."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter

from ui import render

TITLES = [
    "Ship onboarding",
    "Improve usage dashboard for enterprise customers #710",
    "Rework release notes, then tell every customer (v2)",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
    # kerned pairs and joined letters: a cut between them would show part of the next letter
    "WAVE Tokyo LTV",
    "Type your text",
    "AVAVA Toyota Wave",
    "Office affairs fluffy",
]
OTHER = [
    "خارطة الطريق للربع القادم",  # right to left
    "Café crème brûlée — naïve",
    "e\u0301te\u0301 a\u0300 la plage",  # combining accents
    "two\nlines of title",
    "表 計画 ロードマップ 四半期",
]


def _bar(title: str, x: float, width: float, stamps: float, color: str = "#4c78a8") -> QImage:
    img = QImage(520, 40, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    render.paint_plain_card(p, x, 8.0, width, 24.0, title, color, render.Theme(), None, None,
                            ("title",), None, stamps)  # fmt: skip
    p.end()
    return img


def _differing(a: QImage, b: QImage, tolerance: int = 2) -> int:
    n = 0
    for y in range(a.height()):
        for x in range(a.width()):
            ca, cb = a.pixel(x, y), b.pixel(x, y)
            if ca == cb:
                continue
            if max(abs(((ca >> s) & 255) - ((cb >> s) & 255)) for s in (0, 8, 16)) > tolerance:
                n += 1
    return n


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("width", [480.0, 160.0, 131.0, 90.0, 75.0, 61.0, 45.0, 40.0])
@pytest.mark.parametrize("color", ["#4c78a8", "#f2cf5b"])  # white and black ink
def test_a_kept_title_looks_like_the_text_qt_draws(qapp, title, width, color) -> None:
    drawn = _bar(title, 10.0, width, 0.0, color)
    kept = _bar(title, 10.0, width, 1.0, color)
    # Whole titles match to the pixel. In a cut one, the ellipsis's three dots may sit up to
    # half a pixel off, and nothing of the letter after the cut may show before them.
    assert _differing(drawn, kept) <= 18
    font = render.sized_font(render.Theme().font, 12)[0]
    shown = render.ELIDE.elide(title, width - 2 * render.HANDLE - 4, font)
    if shown != title:
        cut = QFontMetricsF(font).horizontalAdvance(shown[:-1])
        left = int(10 + render.HANDLE + 2 + cut)
        assert _differing(drawn.copy(0, 0, left, 40), kept.copy(0, 0, left, 40)) == 0
    assert drawn != _bar("", 10.0, width, 0.0, color)  # the title is there at all


@pytest.mark.parametrize("title", TITLES[:2])
def test_a_whole_title_matches_exactly(qapp, title) -> None:
    assert _differing(_bar(title, 10.0, 500.0, 0.0), _bar(title, 10.0, 500.0, 1.0)) == 0


@pytest.mark.parametrize("title", OTHER)
def test_other_text_is_drawn_as_text(qapp, title) -> None:
    for width in (480.0, 120.0):
        assert _bar(title, 10.25, width, 1.0) == _bar(title, 10.25, width, 0.0)


def test_a_title_at_a_fractional_x_sits_on_the_nearest_whole_pixel(qapp) -> None:
    title = TITLES[1]
    for x in (10.2, 10.5, 10.7):
        kept = _bar(title, x, 480.0, 1.0)
        rounded = _bar(title, float(int(x + 0.5)), 480.0, 0.0)
        # the bar's own edges stay where they are; the letters are those at the whole pixel
        text_area = kept.copy(20, 8, 400, 24)
        assert _differing(text_area, rounded.copy(20, 8, 400, 24)) == 0


def test_the_kept_pictures_stay_within_their_budget(qapp) -> None:
    stamps = render._TitleStamps(budget=200_000)
    theme = render.Theme()
    font = render.sized_font(theme.font, 12)[0]
    for i in range(400):
        title = f"Title number {i} of many"
        assert stamps.get(title, font, "k", QColor("white"), 24.0, 1.0)
        assert stamps._bytes <= 200_000
