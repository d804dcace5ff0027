"""Every user setting, declared once (name, default, help), read through one accessor.

QSettings is the store. A missing or unreadable value falls back to the default.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QLocale, QObject, QSettings, Signal

from planner.records import record


@record
class Setting:
    name: str
    default: Any
    help: str
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    internal: bool = False  # kept by the app itself, not shown in Preferences


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("snap_unit", "week", "What dragged dates snap to",
                ("day", "week", "sprint", "month")),
        Setting("show_sprints", False, "Shade sprints on the timeline"),
        Setting("presentation_scale", 1.5, "Text size in presentation mode, relative to normal",
                minimum=1.0, maximum=4.0),
        Setting("theme", "system", "Colours of the window", ("system", "light", "dark")),
        Setting("week_start", "system", "First day of the week",
                ("system", "monday", "sunday", "saturday")),
        Setting("date_format", "system", "How dates are written",
                ("system", "long", "iso", "day_month_year", "month_day_year")),
        Setting("default_duration_initiative", 90, "Days a new initiative lasts",
                minimum=1, maximum=730),
        Setting("default_duration_epic", 42, "Days a new epic lasts", minimum=1, maximum=730),
        Setting("default_duration_feature", 14, "Days a new feature lasts",
                minimum=1, maximum=730),
        Setting("default_duration_story", 5, "Days a new story lasts", minimum=1, maximum=730),
        Setting("recent_files", "[]", "The last files opened, newest first (JSON list)",
                internal=True),
        Setting("last_file", "", "The file to reopen at the next start", internal=True),
        Setting("export_format", "pdf", "Format of the last export", ("pdf", "png", "svg"),
                internal=True),
        Setting("export_scale", 2.0, "PNG scale of the last export", (1.0, 2.0, 3.0),
                internal=True),
        Setting("export_dpi", 0, "PNG resolution of the last export (0: use the scale)",
                minimum=0, maximum=2400, internal=True),
        Setting("export_page_size", "A4", "Paper of the last PDF export or print",
                ("A4", "A3", "Letter", "Legal", "Tabloid"), internal=True),
        Setting("export_orientation", "landscape", "Orientation of the last PDF export or print",
                ("landscape", "portrait"), internal=True),
        Setting("export_fit", "page", "One page or tiled pages, last PDF export or print",
                ("page", "tile"), internal=True),
        Setting("export_margin_mm", 10.0, "Page margins in millimetres, last PDF export or print",
                minimum=0.0, maximum=60.0, internal=True),
        Setting("export_folder", "", "Folder of the last export", internal=True),
        Setting("list_columns", "title,lane_id,status,start,end,priority,estimate,rice,owner,tags",
                "Columns shown in the list view, in order", internal=True),
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
    if (setting.minimum is not None and value < setting.minimum) or (
        setting.maximum is not None and value > setting.maximum
    ):
        return setting.default
    return value


def put(name: str, value: Any) -> None:
    if name not in SETTINGS:
        raise KeyError(name)
    _store().setValue(name, value)
    notifier().setting_changed.emit(name, value)


class _Notifier(QObject):
    setting_changed = Signal(str, object)  # (name, new value)


_notifier: _Notifier | None = None


def notifier() -> _Notifier:
    """Connect to ``notifier().setting_changed`` to follow changes made in Preferences."""
    global _notifier
    if _notifier is None:
        _notifier = _Notifier()
    return _notifier


def default_duration(kind: str) -> int:
    """Days a new card of this kind lasts."""
    name = f"default_duration_{kind}"
    return int(get(name)) if name in SETTINGS else 14


def week_start_day() -> int:
    """The first day of the week, 1 = Monday ... 7 = Sunday (the locale's when "system")."""
    choice = get("week_start")
    if choice == "system":
        return int(QLocale().firstDayOfWeek().value)
    return {"monday": 1, "sunday": 7, "saturday": 6}[choice]


def format_date(day: dt.date | None) -> str:
    """A calendar date written the way the user chose (the system locale's by default)."""
    if day is None:
        return ""
    choice = get("date_format")
    if choice == "iso":
        return day.isoformat()
    if choice == "day_month_year":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    if choice == "month_day_year":
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    fmt = QLocale.FormatType.LongFormat if choice == "long" else QLocale.FormatType.ShortFormat
    return QLocale().toString(QDate(day.year, day.month, day.day), fmt)


def _window_key(path: Path) -> str:
    try:
        resolved = str(path.resolve())
    except OSError:
        resolved = str(path)
    return "windows/" + _sha1_hex(resolved.encode("utf-8"))[:16]


def _sha1_hex(data: bytes) -> str:
    """SHA-1 of ``data``: the built-in one, which loads faster at start-up than OpenSSL's."""
    try:
        from _sha1 import sha1
    except ImportError:  # a Python built without it
        from hashlib import sha1
    return str(sha1(data).hexdigest())


def window_state(path: Path) -> dict[str, Any]:
    """What was saved for this file's window (geometry, state, zoom, view); {} when unknown."""
    try:
        store = _store()
        store.beginGroup(_window_key(path))
        state = {key: store.value(key) for key in store.childKeys()}
        store.endGroup()
    except Exception:  # a broken settings store must never stop the app
        return {}
    return {k: v for k, v in state.items() if v is not None}


def put_window_state(path: Path, state: dict[str, Any]) -> None:
    """Remember how this file's window was left."""
    try:
        store = _store()
        store.beginGroup(_window_key(path))
        store.remove("")
        for key, value in state.items():
            if value is not None:
                store.setValue(key, value)
        store.endGroup()
    except Exception:  # losing the window layout is not worth a crash
        pass
