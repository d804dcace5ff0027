"""Errors that say whose fault a problem is."""

from __future__ import annotations


class RoadmapFileError(Exception):
    """The file cannot be opened or written as a roadmap; the message is for the user."""


class ValidationError(ValueError):
    """A value given to the roadmap is not acceptable; nothing was written."""


class ReadOnlyError(RoadmapFileError):
    """An edit was attempted on a roadmap opened read-only."""


class LockedError(RoadmapFileError):
    """Another window or process is already editing this file."""
