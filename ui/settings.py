"""Every user setting, declared once (name, default, help), read through one accessor.

QSettings is the store. A missing or unreadable value falls back to the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    choices: tuple[Any, ...] = ()


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("snap_unit", "week", "What dragged dates snap to",
                ("day", "week", "sprint", "month")),
        Setting("presentation_scale", 1.5, "Text size in presentation mode, relative to normal"),
    )
}  # fmt: skip


def _store() -> QSettings:
    return QSettings()


def get(name: str) -> Any:
    """The setting's value, or its default when unset or unreadable."""
    setting = SETTINGS[name]
    try:
        value = _store().value(name, setting.default)
    except Exception:  # a broken settings store must never stop the app
        return setting.default
    if value is None:
        return setting.default
    target = type(setting.default)
    try:
        if target is bool and isinstance(value, str):
            value = value.lower() in ("1", "true", "yes")
        elif not isinstance(value, target):
            value = target(value)
    except (TypeError, ValueError):
        return setting.default
    if setting.choices and value not in setting.choices:
        return setting.default
    return value


def put(name: str, value: Any) -> None:
    if name not in SETTINGS:
        raise KeyError(name)
    _store().setValue(name, value)
