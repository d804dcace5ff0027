"""Edit ▸ Preferences: generated from the declared settings, stored on OK, defaults restorable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QDoubleSpinBox, QSpinBox

from ui import preferences, settings, theme
from ui.preferences import PreferencesDialog


@pytest.fixture(autouse=True)
def system_theme_after() -> Iterator[None]:
    yield
    theme.apply(QApplication.instance(), "system")


def _open(window) -> PreferencesDialog:
    window.file_actions.preferences.trigger()
    dialogs = [w for w in window.findChildren(PreferencesDialog) if w.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def test_preferences_has_a_field_for_every_user_setting(window):
    dialog = _open(window)
    shown = set(dialog.fields)
    assert shown == {s.name for s in settings.SETTINGS.values() if not s.internal}
    for name in ("week_start", "snap_unit", "date_format", "presentation_scale", "theme",
                 "default_duration_initiative", "default_duration_epic",
                 "default_duration_feature", "default_duration_story"):  # fmt: skip
        assert name in shown
    assert "recent_files" not in shown and "last_file" not in shown
    assert isinstance(dialog.fields["theme"], QComboBox)
    assert isinstance(dialog.fields["default_duration_story"], QSpinBox)
    assert isinstance(dialog.fields["presentation_scale"], QDoubleSpinBox)
    for field in dialog.fields.values():
        assert field.accessibleName()
    dialog.reject()


def test_ok_stores_the_choices_and_applies_the_theme(window, qtbot):
    seen: list[tuple[str, object]] = []
    settings.notifier().setting_changed.connect(lambda name, value: seen.append((name, value)))
    dialog = _open(window)
    theme_box = dialog.fields["theme"]
    theme_box.setCurrentIndex(theme_box.findData("dark"))
    week = dialog.fields["week_start"]
    week.setCurrentIndex(week.findData("sunday"))
    dialog.fields["default_duration_story"].setValue(3)
    dialog.fields["presentation_scale"].setValue(2.0)
    dialog.accept()
    assert settings.get("theme") == "dark"
    assert settings.get("week_start") == "sunday" and settings.week_start_day() == 7
    assert settings.default_duration("story") == 3
    assert settings.get("presentation_scale") == 2.0
    assert theme.is_dark()
    assert ("theme", "dark") in seen
    QSettings().sync()
    assert QSettings().value("default_duration_story") in (3, "3")


def test_cancel_changes_nothing_and_defaults_can_be_restored(window):
    settings.put("snap_unit", "month")
    dialog = _open(window)
    assert dialog.value("snap_unit") == "month"
    dialog.fields["snap_unit"].setCurrentIndex(0)
    dialog.reject()
    assert settings.get("snap_unit") == "month"

    dialog = _open(window)
    buttons = dialog.findChild(QDialogButtonBox)
    buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).click()
    assert dialog.value("snap_unit") == "week"
    dialog.accept()
    assert settings.get("snap_unit") == "week"


def test_dates_follow_the_chosen_format(qapp):
    import datetime as dt

    day = dt.date(2026, 3, 4)
    assert settings.format_date(day)  # the locale's own by default
    settings.put("date_format", "iso")
    assert settings.format_date(day) == "2026-03-04"
    settings.put("date_format", "day_month_year")
    assert settings.format_date(day) == "04/03/2026"
    settings.put("date_format", "month_day_year")
    assert settings.format_date(day) == "03/04/2026"
    assert settings.format_date(None) == ""


def test_choice_labels_read_well(qapp):
    assert preferences.choice_label("system") == "Follow the system"
    assert preferences.choice_label("in_progress") == "In progress"
