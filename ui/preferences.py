"""Edit ▸ Preferences: one field per declared setting, generated from ui.settings.SETTINGS."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui import settings, theme
from ui.settings import Setting


def _tr(text: str) -> str:
    return QCoreApplication.translate("preferences", text)


def choice_label(value: Any) -> str:
    """How a choice reads in the dialog."""
    labels = {
        "system": _tr("Follow the system"),
        "light": _tr("Light"),
        "dark": _tr("Dark"),
        "day": _tr("Day"),
        "week": _tr("Week"),
        "sprint": _tr("Sprint"),
        "month": _tr("Month"),
        "monday": _tr("Monday"),
        "sunday": _tr("Sunday"),
        "saturday": _tr("Saturday"),
        "long": _tr("Long, in the system's language"),
        "iso": _tr("Year-month-day (2026-11-25)"),
        "day_month_year": _tr("Day/month/year (25/11/2026)"),
        "month_day_year": _tr("Month/day/year (11/25/2026)"),
    }
    return labels.get(value, str(value).replace("_", " ").capitalize())


def editable_settings() -> list[Setting]:
    """The settings a person chooses (not the ones the app keeps for itself)."""
    return [s for s in settings.SETTINGS.values() if not s.internal]


class PreferencesDialog(QDialog):
    """A form generated from the declared settings; OK stores them, Restore Defaults resets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self.setAccessibleName(self.tr("Preferences"))
        self.fields: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for setting in editable_settings():
            field = self._make_field(setting)
            field.setObjectName(f"pref_{setting.name}")
            label_text = QCoreApplication.translate("settings", setting.help)
            field.setAccessibleName(label_text)
            field.setToolTip(label_text)
            label = QLabel(label_text + ":", self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(field)
            form.addRow(label, field)
            self.fields[setting.name] = field
            self._show(setting, settings.get(setting.name))
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(self._on_restore_clicked)
        layout.addWidget(buttons)
        self.accepted.connect(self._on_dialog_accepted)

    def _make_field(self, setting: Setting) -> QWidget:
        default = setting.default
        if setting.choices:
            combo = QComboBox(self)
            for value in setting.choices:
                combo.addItem(choice_label(value), value)
            return combo
        if isinstance(default, bool):
            return QCheckBox(self)
        if isinstance(default, int):
            spin = QSpinBox(self)
            spin.setRange(int(setting.minimum or 0), int(setting.maximum or 10_000))
            return spin
        if isinstance(default, float):
            dspin = QDoubleSpinBox(self)
            dspin.setRange(setting.minimum or 0.0, setting.maximum or 1000.0)
            dspin.setSingleStep(0.1)
            dspin.setDecimals(2)
            return dspin
        return QLineEdit(self)

    def _show(self, setting: Setting, value: Any) -> None:
        field = self.fields[setting.name]
        if isinstance(field, QComboBox):
            index = field.findData(value)
            field.setCurrentIndex(max(index, 0))
        elif isinstance(field, QCheckBox):
            field.setChecked(bool(value))
        elif isinstance(field, QSpinBox | QDoubleSpinBox):
            field.setValue(value)
        elif isinstance(field, QLineEdit):
            field.setText(str(value))

    def value(self, name: str) -> Any:
        """What the dialog currently holds for a setting."""
        field = self.fields[name]
        if isinstance(field, QComboBox):
            return field.currentData()
        if isinstance(field, QCheckBox):
            return field.isChecked()
        if isinstance(field, QSpinBox | QDoubleSpinBox):
            return field.value()
        assert isinstance(field, QLineEdit)
        return field.text()

    def _on_restore_clicked(self) -> None:
        for setting in editable_settings():
            self._show(setting, setting.default)

    def _on_dialog_accepted(self) -> None:
        changed = False
        for setting in editable_settings():
            new = self.value(setting.name)
            if new != settings.get(setting.name):
                settings.put(setting.name, new)
                changed = changed or setting.name == "theme"
        if changed:
            theme.apply()


def show_preferences(parent: QWidget | None) -> PreferencesDialog:
    """Open the dialog without blocking; it stores the values when OK is pressed."""
    dialog = PreferencesDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
