"""The recently opened files, newest first, kept in the settings store across runs."""

from __future__ import annotations

import json
from pathlib import Path

from ui import settings

LIMIT = 10


def _resolve(path: str | Path) -> Path:
    try:
        return Path(path).expanduser().resolve()
    except OSError:
        return Path(path).absolute()


def files() -> list[Path]:
    """The recent files, newest first, including ones that no longer exist."""
    try:
        raw = json.loads(settings.get("recent_files"))
    except (TypeError, ValueError):
        return []
    if not isinstance(raw, list):
        return []
    out: list[Path] = []
    for item in raw:
        if isinstance(item, str) and item and Path(item) not in out:
            out.append(Path(item))
    return out[:LIMIT]


def _store(paths: list[Path]) -> None:
    settings.put("recent_files", json.dumps([str(p) for p in paths[:LIMIT]]))


def add(path: str | Path) -> None:
    """Put a file at the top of the list (the oldest falls off after ten)."""
    resolved = _resolve(path)
    _store([resolved, *[p for p in files() if p != resolved]])


def remove(path: str | Path) -> None:
    resolved = _resolve(path)
    _store([p for p in files() if p != resolved and p != Path(path)])


def remove_missing() -> list[Path]:
    """Drop the files that no longer exist; returns the ones dropped."""
    current = files()
    missing = [p for p in current if not p.exists()]
    _store([p for p in current if p.exists()])
    return missing


def clear() -> None:
    _store([])
