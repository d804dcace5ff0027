"""Roadmap Planner's domain: the .roadmap document and the calendar maths. No Qt here."""

from __future__ import annotations

from planner.errors import LockedError, ReadOnlyError, RoadmapFileError, ValidationError
from planner.model import (
    Card,
    Criterion,
    Dependency,
    Lane,
    Milestone,
    Objective,
    Plan,
    RoadmapInfo,
    View,
)
from planner.store import Change, Roadmap

__version__ = "0.1.0"

__all__ = [
    "Card",
    "Change",
    "Criterion",
    "Dependency",
    "Lane",
    "LockedError",
    "Milestone",
    "Objective",
    "Plan",
    "ReadOnlyError",
    "Roadmap",
    "RoadmapFileError",
    "RoadmapInfo",
    "ValidationError",
    "View",
    "__version__",
]
