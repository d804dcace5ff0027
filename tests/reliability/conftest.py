"""Print the figures the reliability suites measured, so CI's log shows them."""

from __future__ import annotations

from tests.reliability import _support


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    if not _support.FIGURES:
        return
    terminalreporter.section(f"reliability figures (scale {_support.SCALE})")
    for line in _support.FIGURES:
        terminalreporter.write_line(line)
