"""Snapshots, compare mode and what-if scenarios: the Roadmap menu entries and the Changes dock.

The plan in view is switched with ``Roadmap.use_plan``; each plan, scenario and snapshot gets
its own undo stack in the window's undo group, so undo works within each. Compare mode diffs
the plan in view against a snapshot (or a scenario against the plan), lists the changes in a
dock and shows ghost bars where moved or removed cards used to be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QMenu,
    QWidget,
)

from planner.errors import RoadmapFileError, ValidationError
from planner.model import Plan
from planner.schema import PLAN_ID
from planner.store import Roadmap
from ui.widgets.plain import button_text, plain_label, short, tooltip

if TYPE_CHECKING:
    from planner.diff import PlanDiff
    from ui.snapshots_views import NameDialog, SnapshotsDialog

# planner.diff is read when a comparison or a snapshot list is first made, not at start-up.
ADDED = "added"  # planner.diff.ADDED
REMOVED = "removed"  # planner.diff.REMOVED

ID_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_COLORS = {ADDED: "#2e8540", REMOVED: "#c0392b"}


def confirm(parent: QWidget, title: str, text: str, ok_text: str) -> bool:
    """Ask before something that cannot be undone; the text is shown as plain text."""
    from PySide6.QtWidgets import QMessageBox  # loaded when first asked

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ok


class PlanSwitcher(QComboBox):
    """The toolbar's 'Showing:' box: the plan, each scenario and each snapshot."""

    def __init__(self, room: SnapshotsRoom, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.room = room
        self.setObjectName("plan_switcher")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(14)
        self.activated.connect(self._on_activated)
        self.reload()

    def reload(self) -> None:
        self.blockSignals(True)
        self.clear()
        current = self.room.roadmap.plan_id
        for p in self.room.roadmap.plans():
            if p.kind == "plan":
                text = self.tr("The Plan")
            elif p.kind == "scenario":
                text = self.tr("Scenario: %1").replace("%1", short(p.name, 50))
            else:
                text = self.tr("Snapshot: %1").replace("%1", short(p.name, 50))
            self.addItem(text, p.id)
            self.setItemData(self.count() - 1, tooltip(p.name), Qt.ItemDataRole.ToolTipRole)
            if p.id == current:
                self.setCurrentIndex(self.count() - 1)
        self.blockSignals(False)

    def _on_activated(self, index: int) -> None:
        plan_id = self.itemData(index)
        if plan_id is not None and plan_id != self.room.roadmap.plan_id:
            self.room.switch_to(int(plan_id))


class SnapshotsRoom(QObject):
    """Owns the plan switching, the per-plan undo stacks and compare mode of one window."""

    comparison_changed = Signal(object)  # the PlanDiff shown, or None when not comparing

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.document = window.document
        self.roadmap: Roadmap = window.roadmap
        self.group = window.undo_group
        self._stacks: dict[int, QUndoStack] = {self.roadmap.plan_id: self.group.activeStack()}
        self.base_id: int | None = None
        self.diff: PlanDiff | None = None
        self.switcher: PlanSwitcher | None = None
        self.name_dialog: NameDialog | None = None
        self.dialog: SnapshotsDialog | None = None
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(self.refresh_comparison)

        if getattr(window, "is_built", True):
            self._build_panel()
            self._build_menu()
        else:  # the change list comes with the other rooms (its dock keeps its place until
            # then), and the Roadmap menu's snapshot part goes after the other rooms' items
            window.built.connect(self._build_panel)
            window.built.connect(self._build_menu)
        self.document.changed.connect(self._on_document_changed)
        self.document.view_changed.connect(self._on_view_changed)

    def _build_panel(self) -> None:
        """The Changes dock's list of compare mode (empty until a comparison starts)."""
        from ui.snapshots_views import ChangesPanel

        self.panel = ChangesPanel()
        self.panel.card_activated.connect(self._on_change_activated)
        self.panel.stop_requested.connect(self.stop_comparing)
        self.dock = self.window.dock(
            "changes_dock", self.tr("Changes"), Qt.DockWidgetArea.RightDockWidgetArea, False
        )
        self.dock.setWidget(self.panel)

    # ----- menus

    def _build_menu(self) -> None:
        w = self.window
        menu: QMenu = w.roadmap_menu
        menu.addSeparator()
        self.take_action = QAction(self.tr("Take &Snapshot…"), w)
        self.take_action.setObjectName("take_snapshot_action")
        self.take_action.triggered.connect(lambda: self.ask_snapshot())
        self.manage_action = QAction(self.tr("S&napshots…"), w)
        self.manage_action.setObjectName("snapshots_action")
        self.manage_action.triggered.connect(lambda: self.open_dialog())
        menu.addAction(self.take_action)
        menu.addAction(self.manage_action)
        self.compare_menu = menu.addMenu(self.tr("&Compare With"))
        self.compare_menu.setObjectName("compare_menu")
        self.compare_menu.aboutToShow.connect(self.rebuild_menus)
        self.scenarios_menu = menu.addMenu(self.tr("Sc&enarios"))
        self.scenarios_menu.setObjectName("scenarios_menu")
        self.scenarios_menu.aboutToShow.connect(self.rebuild_menus)
        self.stop_action = QAction(self.tr("S&top Comparing"), w)
        self.stop_action.triggered.connect(self.stop_comparing)
        self.new_scenario_action = QAction(self.tr("&New Scenario…"), w)
        self.new_scenario_action.triggered.connect(lambda: self.ask_new_scenario())
        self.promote_action = QAction(self.tr("&Promote Scenario to Plan…"), w)
        self.promote_action.triggered.connect(lambda: self.promote())
        self.discard_action = QAction(self.tr("&Discard Scenario…"), w)
        self.discard_action.triggered.connect(lambda: self.discard())
        self.rebuild_menus()

    def rebuild_menus(self) -> None:
        """Fill Compare With and Scenarios with the plans in the file right now."""
        plans = self.roadmap.plans()
        current = self.roadmap.plan_id
        writable = not self.roadmap.file_read_only

        self.compare_menu.clear()
        for p in plans:
            if p.id == current or (p.kind == "scenario" and current != PLAN_ID):
                continue
            if p.kind == "plan":
                text = self.tr("The Plan")
            elif p.kind == "scenario":
                text = self.tr("Scenario: %1").replace("%1", button_text(p.name))
            else:
                text = button_text(p.name)
            action = self.compare_menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(p.id == self.base_id)
            action.setData(p.id)
            action.triggered.connect(lambda _c=False, pid=p.id: self.compare_with(pid))
        if self.compare_menu.isEmpty():
            none = self.compare_menu.addAction(self.tr("No Snapshots Yet"))
            none.setEnabled(False)
        self.compare_menu.addSeparator()
        self.stop_action.setEnabled(self.base_id is not None)
        self.compare_menu.addAction(self.stop_action)

        menu = self.scenarios_menu
        menu.clear()
        self.new_scenario_action.setEnabled(writable)
        menu.addAction(self.new_scenario_action)
        menu.addSeparator()
        group = QActionGroup(menu)
        for kinds, heading in ((("plan", "scenario"), None),
                               (("snapshot",), self.tr("Snapshots (read-only)"))):  # fmt: skip
            chosen = [p for p in plans if p.kind in kinds]
            if not chosen:
                continue
            if heading:
                menu.addSection(heading)
            for p in chosen:
                text = self.tr("The Plan") if p.kind == "plan" else button_text(p.name)
                action = menu.addAction(text)
                action.setCheckable(True)
                action.setChecked(p.id == current)
                action.setData(p.id)
                group.addAction(action)
                action.triggered.connect(lambda _c=False, pid=p.id: self.switch_to(pid))
        menu.addSeparator()
        in_scenario = self.roadmap.plan().kind == "scenario"
        self.promote_action.setEnabled(in_scenario and writable)
        self.discard_action.setEnabled(in_scenario and writable)
        menu.addAction(self.promote_action)
        menu.addAction(self.discard_action)

    # ----- dialogs

    def _ask_name(self, title: str, prompt: str, text: str,
                  action: Callable[[str], Any]) -> NameDialog:  # fmt: skip
        if self.name_dialog is not None:
            self.name_dialog.deleteLater()
        from ui.snapshots_views import NameDialog

        self.name_dialog = NameDialog(title, prompt, text, action, self.window)
        self.name_dialog.open()
        return self.name_dialog

    def ask_snapshot(self) -> NameDialog:
        """Roadmap ▸ Take Snapshot…: name it (a date by default) and freeze the plan."""
        from planner.diff import format_day

        default = self.tr("Review %1").replace("%1", format_day(dt.date.today()))
        return self._ask_name(self.tr("Take Snapshot"),
                              self.tr("A snapshot freezes the plan as it is now, to compare "
                                      "with later. Name it:"),
                              default, self.take_snapshot)  # fmt: skip

    def ask_new_scenario(self, source_id: int | None = None) -> NameDialog:
        """Scenarios ▸ New Scenario…: a what-if copy of the plan (or of a snapshot)."""
        source = self.roadmap.plan(PLAN_ID if source_id is None else source_id)
        origin = self.tr("the plan") if source.kind == "plan" else f"“{source.name}”"
        return self._ask_name(self.tr("New Scenario"),
                              self.tr("A scenario is a copy of %1 to change freely; the plan "
                                      "stays as it is until you promote the scenario. Name it:")
                              .replace("%1", origin),
                              self.tr("What if…"),
                              lambda name: self.create_scenario(name, source.id))  # fmt: skip

    def ask_rename(self, plan_id: int) -> NameDialog:
        plan = self.roadmap.plan(plan_id)
        return self._ask_name(self.tr("Rename"), self.tr("New name:"), plan.name,
                              lambda name: self.rename(plan_id, name))  # fmt: skip

    def open_dialog(self) -> SnapshotsDialog:
        """Roadmap ▸ Snapshots…."""
        if self.dialog is None:
            from ui.snapshots_views import SnapshotsDialog

            self.dialog = SnapshotsDialog(self)
        self.dialog.reload()
        if self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
        else:
            self.dialog.show()
        return self.dialog

    # ----- doing it

    def _message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def take_snapshot(self, name: str) -> Plan:
        plan = self.roadmap.take_snapshot(name)
        self._message(self.tr("Snapshot “%1” taken").replace("%1", short(plan.name, 80)))
        if self.dialog is not None:
            self.dialog.select(plan.id)
        return plan

    def create_scenario(self, name: str, source_id: int | None = None) -> Plan:
        """Copy the plan (or a snapshot) into a new scenario and show it."""
        plan = self.roadmap.create_scenario(name, source_id)
        self.switch_to(plan.id)
        return plan

    def rename(self, plan_id: int, name: str) -> Plan:
        plan = self.roadmap.rename_plan(plan_id, name)
        if plan_id == self.base_id:
            self.refresh_comparison()
        return plan

    def _stack_for(self, plan_id: int) -> QUndoStack:
        stack = self._stacks.get(plan_id)
        if stack is None:
            # Parented to the group so that ui.commands.run finds the stack in view.
            stack = QUndoStack(self.group)
            self.group.addStack(stack)
            self._stacks[plan_id] = stack
        return stack

    def _drop_stack(self, plan_id: int) -> None:
        # Never deleted: a room may still hold it; run() sends its pushes to the active stack.
        stack = self._stacks.pop(plan_id, None)
        if stack is not None:
            stack.clear()
            self.group.removeStack(stack)

    def switch_to(self, plan_id: int) -> Plan:
        """Show the plan, a scenario, or a snapshot (read-only); each keeps its own undo."""
        plan = self.roadmap.plan(plan_id)
        if plan_id != self.roadmap.plan_id:
            self.group.setActiveStack(self._stack_for(plan_id))
            self.roadmap.use_plan(plan_id)
            if self.base_id == plan_id:
                self.stop_comparing()
            if plan.kind == "snapshot":
                self._message(self.tr("Showing snapshot “%1”: it cannot be changed")
                              .replace("%1", short(plan.name, 80)))  # fmt: skip
        self.rebuild_menus()
        return plan

    def promote(self, scenario_id: int | None = None, ask: bool = True) -> Plan | None:
        """Make the scenario the plan; the old plan is kept as a snapshot. Not undoable."""
        sid = self.roadmap.plan_id if scenario_id is None else scenario_id
        scenario = self.roadmap.plan(sid)
        if scenario.kind != "scenario":
            return None
        if ask and not confirm(
            self.window, self.tr("Promote Scenario"),
            self.tr("Make “%1” the plan?\n\nThe plan as it is now is kept as a snapshot, so "
                    "you can still compare with it. This cannot be undone.")
            .replace("%1", scenario.name),
            self.tr("Promote"),
        ):  # fmt: skip
            return None
        old_plan = self._stacks.get(PLAN_ID)
        carried = self._stack_for(sid)
        # The scenario's history carries on as the plan's: the same cards, the same ids.
        self._stacks.pop(sid, None)
        self._stacks[PLAN_ID] = carried
        self.group.setActiveStack(carried)
        try:
            snapshot = self.roadmap.promote_scenario(sid)
        except (ValidationError, RoadmapFileError) as exc:
            self._stacks[sid] = carried
            if old_plan is not None:
                self._stacks[PLAN_ID] = old_plan
            self.group.setActiveStack(self._stack_for(self.roadmap.plan_id))
            self._message(str(exc))
            return None
        if old_plan is not None and old_plan is not carried:
            old_plan.clear()
            self.group.removeStack(old_plan)
        if self.base_id == sid:
            self.stop_comparing()
        self._message(self.tr("“%1” is now the plan; the old plan is kept as snapshot “%2”")
                      .replace("%1", short(scenario.name, 60))
                      .replace("%2", short(snapshot.name, 80)))  # fmt: skip
        self.rebuild_menus()
        return snapshot

    def discard(self, scenario_id: int | None = None, ask: bool = True) -> bool:
        """Throw a scenario away (the plan in view becomes the plan). Not undoable."""
        sid = self.roadmap.plan_id if scenario_id is None else scenario_id
        scenario = self.roadmap.plan(sid)
        if scenario.kind != "scenario":
            return False
        if ask and not confirm(
            self.window, self.tr("Discard Scenario"),
            self.tr("Throw away the scenario “%1” and everything changed in it? The plan is not "
                    "affected. This cannot be undone.").replace("%1", scenario.name),
            self.tr("Discard"),
        ):  # fmt: skip
            return False
        return self._delete(sid)

    def delete_snapshot(self, plan_id: int, ask: bool = True) -> bool:
        plan = self.roadmap.plan(plan_id)
        if plan.kind != "snapshot":
            return False
        if ask and not confirm(
            self.window, self.tr("Delete Snapshot"),
            self.tr("Delete the snapshot “%1”? This cannot be undone.").replace("%1", plan.name),
            self.tr("Delete"),
        ):  # fmt: skip
            return False
        return self._delete(plan_id)

    def _delete(self, plan_id: int) -> bool:
        if plan_id == self.roadmap.plan_id:
            self.group.setActiveStack(self._stack_for(PLAN_ID))
        if plan_id == self.base_id:
            self.stop_comparing()
        try:
            self.roadmap.delete_plan(plan_id)
        except (ValidationError, RoadmapFileError) as exc:
            self.group.setActiveStack(self._stack_for(self.roadmap.plan_id))
            self._message(str(exc))
            return False
        self._drop_stack(plan_id)
        self.rebuild_menus()
        return True

    # ----- compare mode

    def compare_with(self, base_id: int) -> PlanDiff | None:
        """Show what changed from plan ``base_id`` (a snapshot, or the plan) to the plan in view."""
        self.roadmap.plan(base_id)
        if base_id == self.roadmap.plan_id:
            return None
        self.base_id = base_id
        self.refresh_comparison()
        if not self.dock.isVisible():
            self.dock.show()
            # The change list is what the meeting reads: give it room beside the timeline.
            self.window.resizeDocks([self.dock], [max(300, self.window.height() // 2)],
                                    Qt.Orientation.Vertical)  # fmt: skip
        self.dock.raise_()
        self.rebuild_menus()
        return self.diff

    def stop_comparing(self) -> None:
        self.base_id = None
        self.diff = None
        self._refresh.stop()
        self.dock.hide()
        self._show_on_timeline(None)
        self.rebuild_menus()
        self.comparison_changed.emit(None)

    def refresh_comparison(self) -> None:
        """Diff again (after an edit or a switch) and update the list and the timeline."""
        if self.base_id is None:
            return
        from planner.diff import diff_between

        try:
            base = self.roadmap.plan(self.base_id)
            self.diff = diff_between(self.roadmap, base.id, self.roadmap.plan_id)
        except (ValidationError, RoadmapFileError):
            self.stop_comparing()
            return
        shown = self.document.plan_label() or self.tr("The plan")
        base_name = self.tr("the plan") if base.kind == "plan" else f"“{base.name}”"
        self.panel.show_diff(self.diff, self.tr("%1, compared with %2")
                             .replace("%1", shown).replace("%2", base_name))  # fmt: skip
        self.dock.setWindowTitle(self.tr("Changes since %1").replace("%1", short(base_name, 60)))
        self._show_on_timeline(self.diff)
        self.comparison_changed.emit(self.diff)

    def _show_on_timeline(self, diff: PlanDiff | None) -> None:
        timeline = getattr(self.window, "timeline", None)
        if timeline is None:
            return
        if hasattr(timeline, "set_ghosts"):
            timeline.set_ghosts(ghosts_for(diff) if diff is not None else [])
        if hasattr(timeline, "set_badges"):
            timeline.set_badges(badges_for(diff) if diff is not None else {})

    def _sync_read_only(self) -> None:
        # Rooms that read roadmap.read_only once learn that a snapshot (not) is in view.
        for name in ("timeline", "board"):
            room = getattr(self.window, name, None)
            if room is not None and hasattr(room, "set_read_only"):
                room.set_read_only(bool(self.roadmap.read_only))

    def _on_change_activated(self, card_id: int, kind: str) -> None:
        if kind == REMOVED:
            self._message(self.tr("This card is no longer in the plan; a dashed outline on the "
                                  "timeline shows where it was"))  # fmt: skip
            return
        self.document.set_selection([card_id], self)
        timeline = getattr(self.window, "timeline", None)
        if timeline is not None:
            tabs = getattr(self.window, "tabs", None)
            if tabs is not None and tabs.indexOf(timeline) >= 0:
                tabs.setCurrentWidget(timeline)
            if hasattr(timeline, "scroll_to_card"):
                timeline.scroll_to_card(card_id)

    def _on_document_changed(self, changes: list[Any]) -> None:
        plan_changes = [c for c in changes if c.entity == "plan"]
        if plan_changes:
            if self.dialog is not None:
                self.dialog.reload()
            if self.switcher is not None:
                self.switcher.reload()
            if any(c.op == "reset" for c in plan_changes):
                # The plan in view changed (a switch, a discard, a promote).
                self.group.setActiveStack(self._stack_for(self.roadmap.plan_id))
                self._sync_read_only()
                if self.base_id == self.roadmap.plan_id:
                    self.stop_comparing()  # nothing left to compare with itself
        if self.base_id is not None and any(c.entity not in ("view", "roadmap") for c in changes):
            self._refresh.start()

    def _on_view_changed(self, _view: object) -> None:
        if self.base_id is not None:
            self._refresh.start()  # the timeline rebuilt its bars: mark them again


def ghosts_for(diff: PlanDiff) -> list[tuple[int, int | None, dt.date, dt.date]]:
    """Where moved cards were, and where removed dated cards used to be."""
    result = diff.ghosts()
    for change in diff.cards:
        b = change.before
        if change.after is None and b is not None and b.start and b.end:
            result.append((change.id, b.lane_id, b.start, b.end))
    return result


def badges_for(diff: PlanDiff) -> dict[int, str]:
    """'added' or 'changed' for each card in view that the comparison marks."""
    return {c.id: c.kind for c in diff.visible_cards if c.after is not None}


def install(window: Any) -> SnapshotsRoom:
    """Roadmap ▸ Take Snapshot…, Snapshots…, Compare With ▸, Scenarios ▸, and the Changes dock."""
    room = SnapshotsRoom(window)
    window.snapshots = room
    toolbar = getattr(window, "toolbar", None)
    if toolbar is not None:
        label = plain_label(window.tr("Showing:"), window)
        label.setContentsMargins(12, 0, 4, 0)
        toolbar.addWidget(label)
        room.switcher = PlanSwitcher(room, window)
        toolbar.addWidget(room.switcher)
    if getattr(window, "is_built", True):
        window.view_menu.addAction(room.dock.toggleViewAction())
    else:
        window.built.connect(lambda: window.view_menu.addAction(room.dock.toggleViewAction()))
    return room
