"""Undo commands: each captures the before-state, redo calls one planner method, undo its inverse.

Push them with ``run(stack, command)``: the first redo happens before the push, so a
ValidationError reaches the caller and nothing lands on the stack.

A write that fails later, in an undo or a redo (disk full, the file made read-only, a refused
change), changes nothing in the file; the stack is then put back where the file is, the
message goes to the window's status bar, and the same undo or redo can be tried again.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QUndoCommand, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QMainWindow

from planner.errors import RoadmapFileError, ValidationError
from planner.model import Card
from planner.store import DeletedCard, DeletedLane, DeletedObjective, Roadmap

# Ids for merging repeated edits (QUndoCommand.id); -1 means never merge.
MERGE_NUDGE = 1
MERGE_FIELD = 2

# What a refused or failed write raises; anything else is a bug and stays an exception.
WRITE_ERRORS = (RoadmapFileError, ValidationError)


class RoadmapCommand(QUndoCommand):
    """Base: remembers the roadmap and whether its change is in the file.

    Subclasses implement ``apply`` (do the change) and ``revert`` (its inverse); ``redo`` and
    ``undo`` call them only when the change is not already (or no longer) in the file, so a
    stack put back after a failed write re-applies nothing.
    """

    def __init__(self, roadmap: Roadmap, text: str) -> None:
        super().__init__(text)
        self.roadmap = roadmap
        self.done = False  # the change is in the file
        self._guard: _StackGuard | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("redo", "undo"):
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} overrides {name}(); implement "
                                f"{'apply' if name == 'redo' else 'revert'}() instead")  # fmt: skip

    def apply(self) -> Any:
        """Do the change; may raise ValidationError or RoadmapFileError."""
        raise NotImplementedError

    def revert(self) -> None:
        """Undo the change; may raise like ``apply``."""
        raise NotImplementedError

    def redo(self) -> None:  # noqa: D102 - Qt override
        if self.done or (self._guard is not None and self._guard.holding):
            return
        try:
            self.apply()
        except WRITE_ERRORS as exc:
            if self._guard is None:
                raise
            self._guard.failed(exc)
            return
        self.done = True

    def undo(self) -> None:  # noqa: D102 - Qt override
        if not self.done or (self._guard is not None and self._guard.holding):
            return
        try:
            self.revert()
        except WRITE_ERRORS as exc:
            if self._guard is None:
                raise
            self._guard.failed(exc)
            return
        self.done = False

    def plan_id(self) -> int:
        return self.roadmap.plan_id


def _leaves(command: QUndoCommand) -> list[RoadmapCommand]:
    """The roadmap commands an undo step is made of (itself, or a macro's children)."""
    if isinstance(command, RoadmapCommand):
        return [command]
    found: list[RoadmapCommand] = []
    for i in range(command.childCount()):
        child = command.child(i)
        if child is not None:
            found.extend(_leaves(child))
    return found


class _StackGuard:
    """Keeps a stack's index where the file is when an undo or redo could not be written.

    QUndoStack moves its index even when a command's undo or redo failed. After a failure
    the rest of that undo/redo sweep holds (changes nothing); when the stack announces its new
    index, the guard sets it back to the last step whose change is in the file. The commands
    act on their own ``done`` state, so that correction re-applies only what the sweep
    changed before the failure (the other children of a half-undone macro).
    """

    def __init__(self, stack: QUndoStack) -> None:
        self._stack = weakref.ref(stack)
        self._index = stack.index()
        self._errors: list[Exception] = []
        self._fixing = False
        stack.indexChanged.connect(self._on_stack_index_changed)

    @property
    def holding(self) -> bool:
        """A write failed in this sweep: the remaining steps wait."""
        return bool(self._errors) and not self._fixing

    def failed(self, exc: Exception) -> None:
        self._errors.append(exc)
        stack = self._stack()
        if stack is not None and not self._fixing:
            # An undo or redo outside a stack sweep moves no index: report it all the same.
            QTimer.singleShot(0, stack, self._drop_stale)

    def _drop_stale(self) -> None:
        errors, self._errors = self._errors, []
        stack = self._stack()
        if errors and stack is not None:
            _show_failure(stack, errors)

    def _state(self, stack: QUndoStack, index: int) -> bool | None:
        """True when step ``index`` is in the file, False when not, None when partly."""
        command = stack.command(index)
        leaves = _leaves(command) if command is not None else []
        done = {leaf.done for leaf in leaves}
        if len(done) == 1:
            return done.pop()
        return None if done else bool(index < stack.index())

    def _on_stack_index_changed(self, index: int) -> None:
        old, self._index = self._index, index
        stack = self._stack()
        if not self._errors or self._fixing or stack is None:
            return
        errors, self._errors = self._errors, []
        target = index
        if index < old:  # undo: the first step still (partly) in the file stays done
            for i in range(old - 1, index - 1, -1):
                if self._state(stack, i) is not False:
                    target = i + 1
                    break
        else:  # redo: the first step not wholly in the file stays undone
            for i in range(old, index):
                if self._state(stack, i) is not True:
                    target = i
                    break
        self._fixing = True
        try:
            if target != index:
                stack.setIndex(target)
        finally:
            self._fixing = False
            self._index = stack.index()
            errors += self._errors
            self._errors = []
        _show_failure(stack, errors, undo=index < old)


def _show_failure(stack: QUndoStack, errors: Sequence[Exception], undo: bool | None = None) -> None:
    """Put the message of a failed undo or redo in the window's status bar."""
    widget: Any = stack.parent()
    while widget is not None and not isinstance(widget, QMainWindow):
        widget = widget.parent()
    if isinstance(widget, QMainWindow) and errors:
        reason = str(errors[0]).removesuffix("; the change was not saved").rstrip(".")
        if undo is None:
            text = QCoreApplication.translate("commands", "Could not undo or redo: %1. Nothing"
                                              " was lost; try again once the file can be"
                                              " written.")  # fmt: skip
        elif undo:
            text = QCoreApplication.translate("commands", "Could not undo: %1. Nothing was"
                                              " lost; try again once the file can be written.")
        else:
            text = QCoreApplication.translate("commands", "Could not redo: %1. Nothing was"
                                              " lost; try again once the file can be written.")
        widget.statusBar().showMessage(text.replace("%1", reason), 8000)


def _guard(stack: QUndoStack) -> _StackGuard:
    guard = _GUARDS.get(stack)
    if guard is None:
        guard = _GUARDS[stack] = _StackGuard(stack)
    return guard


_GUARDS: weakref.WeakKeyDictionary[QUndoStack, _StackGuard] = weakref.WeakKeyDictionary()


def run(stack: QUndoStack, command: RoadmapCommand) -> Any:
    """Apply ``command`` and push it; a refused change raises and is not pushed.

    A stack that belongs to the window's undo group (one stack per plan or scenario) stands
    for the group: the command lands on the stack of the plan in view.
    """
    result = command.apply()
    command.done = True
    group = stack.parent()
    if isinstance(group, QUndoGroup) and group.activeStack() is not None:
        stack = group.activeStack()
    command._guard = _guard(stack)
    stack.push(command)
    return result


def _card_fields(card: Card, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(card, name) for name in names}


class AddCards(RoadmapCommand):
    """Create cards (a new card, a duplicate, a paste); undo deletes them."""

    def __init__(
        self, roadmap: Roadmap, specs: Sequence[Mapping[str, Any]], text: str = ""
    ) -> None:
        default = "Add card" if len(specs) == 1 else f"Add {len(specs)} cards"
        super().__init__(roadmap, text or default)
        self.specs = [dict(s) for s in specs]
        self.ids: list[int] = []
        self._deleted: list[DeletedCard] = []

    def apply(self) -> list[Card]:
        if self._deleted:
            return self.roadmap.restore_cards(self._deleted)
        cards = self.roadmap.add_cards(self.specs)
        self.ids = [c.id for c in cards]
        return cards

    def revert(self) -> None:
        self._deleted = self.roadmap.delete_cards(self.ids)


class DeleteCards(RoadmapCommand):
    """Delete cards with their dependencies; undo puts them back with the same ids."""

    def __init__(self, roadmap: Roadmap, ids: Sequence[int], text: str = "") -> None:
        default = "Delete card" if len(ids) == 1 else f"Delete {len(ids)} cards"
        super().__init__(roadmap, text or default)
        self.ids = list(ids)
        self._deleted: list[DeletedCard] = []

    def apply(self) -> list[DeletedCard]:
        self._deleted = self.roadmap.delete_cards(self.ids)
        return self._deleted

    def revert(self) -> None:
        self.roadmap.restore_cards(self._deleted)


class UpdateCards(RoadmapCommand):
    """Set fields on one or more cards (an edit, a move, a multi-edit)."""

    def __init__(
        self,
        roadmap: Roadmap,
        changes: Mapping[int, Mapping[str, Any]],
        text: str = "Edit card",
        merge_id: int = -1,
    ) -> None:
        super().__init__(roadmap, text)
        self.changes = {cid: dict(f) for cid, f in changes.items()}
        # The changed fields as they were: taken by the first apply from the same read that
        # the write validates against, so a drag reads its cards once.
        self.before: dict[int, dict[str, Any]] | None = None
        self._merge_id = merge_id

    def apply(self) -> dict[int, Card]:
        if self.before is not None:
            return self.roadmap.update_cards(self.changes)
        current, after = self.roadmap.update_cards_with_before(self.changes)
        self.before = {
            cid: _card_fields(current[cid], list(fields)) for cid, fields in self.changes.items()
            if cid in current
        }  # fmt: skip
        return after

    def revert(self) -> None:
        if self.before:
            self.roadmap.update_cards(self.before)

    def id(self) -> int:  # noqa: A003 - Qt override
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, UpdateCards) or other.id() != self.id() or self.id() < 0:
            return False
        if set(other.changes) != set(self.changes):
            return False
        if any(set(other.changes[c]) != set(self.changes[c]) for c in self.changes):
            return False
        self.changes = other.changes
        return True


class MoveCards(UpdateCards):
    """Move cards in time and between lanes; one drag or one nudge is one command."""

    def __init__(
        self,
        roadmap: Roadmap,
        moves: Mapping[int, tuple[dt.date | None, dt.date | None, int | None]],
        text: str = "",
        merge_id: int = -1,
    ) -> None:
        changes: dict[int, dict[str, Any]] = {}
        for cid, (start, end, lane_id) in moves.items():
            fields: dict[str, Any] = {"start": start, "end": end}
            if lane_id is not None:
                fields["lane_id"] = lane_id
            changes[cid] = fields
        super().__init__(
            roadmap, changes,
            text or ("Move card" if len(moves) == 1 else f"Move {len(moves)} cards"),
            merge_id,
        )  # fmt: skip


class AddLane(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, name: str, color: str | None = None,
                 position: int | None = None) -> None:  # fmt: skip
        super().__init__(roadmap, "Add lane")
        self.name, self.color, self.position = name, color, position
        self._deleted: DeletedLane | None = None
        self.lane_id: int | None = None

    def apply(self) -> Any:
        if self._deleted is not None:
            return self.roadmap.restore_lane(self._deleted)
        lane = self.roadmap.add_lane(self.name, self.color, self.position)
        self.lane_id = lane.id
        return lane

    def revert(self) -> None:
        assert self.lane_id is not None
        self._deleted = self.roadmap.delete_lane(self.lane_id)


class UpdateLane(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, lane_id: int, text: str = "Edit lane",
                 **fields: Any) -> None:  # fmt: skip
        super().__init__(roadmap, text)
        lane = roadmap.lane(lane_id)
        self.lane_id, self.fields = lane_id, fields
        self.before = {k: getattr(lane, k) for k in fields}

    def apply(self) -> Any:
        return self.roadmap.update_lane(self.lane_id, **self.fields)

    def revert(self) -> None:
        self.roadmap.update_lane(self.lane_id, **self.before)


class MoveLane(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, lane_id: int, index: int) -> None:
        super().__init__(roadmap, "Reorder lanes")
        self.lane_id, self.index = lane_id, index
        self.before = [lane.id for lane in roadmap.lanes()]

    def apply(self) -> Any:
        return self.roadmap.move_lane(self.lane_id, self.index)

    def revert(self) -> None:
        self.roadmap._set_lane_order(self.before)


class DeleteLane(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, lane_id: int) -> None:
        super().__init__(roadmap, "Delete lane")
        self.lane_id = lane_id
        self._deleted: DeletedLane | None = None

    def apply(self) -> Any:
        self._deleted = self.roadmap.delete_lane(self.lane_id)
        return self._deleted

    def revert(self) -> None:
        assert self._deleted is not None
        self.roadmap.restore_lane(self._deleted)


class AddMilestone(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, title: str, date: dt.date, lane_id: int | None = None,
                 **fields: Any) -> None:  # fmt: skip
        super().__init__(roadmap, "Add milestone")
        self.args = (title, date, lane_id)
        self.fields = fields
        self.milestone: Any = None

    def apply(self) -> Any:
        if self.milestone is not None:
            return self.roadmap.restore_milestone(self.milestone)
        self.milestone = self.roadmap.add_milestone(*self.args, **self.fields)
        return self.milestone

    def revert(self) -> None:
        self.milestone = self.roadmap.delete_milestone(self.milestone.id)


class UpdateMilestone(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, milestone_id: int, text: str = "Edit milestone",
                 **fields: Any) -> None:  # fmt: skip
        super().__init__(roadmap, text)
        current = roadmap.milestone(milestone_id)
        self.milestone_id, self.fields = milestone_id, fields
        self.before = {k: getattr(current, k) for k in fields}

    def apply(self) -> Any:
        return self.roadmap.update_milestone(self.milestone_id, **self.fields)

    def revert(self) -> None:
        self.roadmap.update_milestone(self.milestone_id, **self.before)


class DeleteMilestone(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, milestone_id: int) -> None:
        super().__init__(roadmap, "Delete milestone")
        self.milestone_id = milestone_id
        self.milestone: Any = None

    def apply(self) -> Any:
        self.milestone = self.roadmap.delete_milestone(self.milestone_id)
        return self.milestone

    def revert(self) -> None:
        self.roadmap.restore_milestone(self.milestone)


class AddDependency(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, before_id: int, after_id: int) -> None:
        super().__init__(roadmap, "Add dependency")
        self.pair = (before_id, after_id)
        # Linking cards that are already linked changes nothing, so its undo must not unlink.
        self.existed = any((d.before_id, d.after_id) == self.pair for d in roadmap.dependencies())

    def apply(self) -> Any:
        return self.roadmap.add_dependency(*self.pair)

    def revert(self) -> None:
        if not self.existed:
            self.roadmap.remove_dependency(*self.pair)


class RemoveDependency(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, before_id: int, after_id: int) -> None:
        super().__init__(roadmap, "Remove dependency")
        self.pair = (before_id, after_id)

    def apply(self) -> Any:
        return self.roadmap.remove_dependency(*self.pair)

    def revert(self) -> None:
        self.roadmap.add_dependency(*self.pair)


class AddObjective(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, name: str, **fields: Any) -> None:
        super().__init__(roadmap, "Add objective")
        self.name, self.fields = name, fields
        self._deleted: DeletedObjective | None = None
        self.objective_id: int | None = None

    def apply(self) -> Any:
        if self._deleted is not None:
            return self.roadmap.restore_objective(self._deleted)
        o = self.roadmap.add_objective(self.name, **self.fields)
        self.objective_id = o.id
        return o

    def revert(self) -> None:
        assert self.objective_id is not None
        self._deleted = self.roadmap.delete_objective(self.objective_id)


class UpdateObjective(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, objective_id: int, **fields: Any) -> None:
        super().__init__(roadmap, "Edit objective")
        current = roadmap.objective(objective_id)
        self.objective_id, self.fields = objective_id, fields
        self.before = {k: getattr(current, k) for k in fields}

    def apply(self) -> Any:
        return self.roadmap.update_objective(self.objective_id, **self.fields)

    def revert(self) -> None:
        self.roadmap.update_objective(self.objective_id, **self.before)


class DeleteObjective(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, objective_id: int) -> None:
        super().__init__(roadmap, "Delete objective")
        self.objective_id = objective_id
        self._deleted: DeletedObjective | None = None

    def apply(self) -> Any:
        self._deleted = self.roadmap.delete_objective(self.objective_id)
        return self._deleted

    def revert(self) -> None:
        assert self._deleted is not None
        self.roadmap.restore_objective(self._deleted)


class AddView(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, name: str, **settings: Any) -> None:
        super().__init__(roadmap, "Add view")
        self.name, self.settings = name, settings
        self.view: Any = None

    def apply(self) -> Any:
        if self.view is not None:
            return self.roadmap.restore_view(self.view)
        self.view = self.roadmap.add_view(self.name, **self.settings)
        return self.view

    def revert(self) -> None:
        self.view = self.roadmap.delete_view(self.view.id)


class UpdateView(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, view_id: int, name: str | None = None,
                 **settings: Any) -> None:  # fmt: skip
        super().__init__(roadmap, "Edit view")
        current = roadmap.view(view_id)
        self.view_id, self.name, self.settings = view_id, name, settings
        self.before_name, self.before_settings = current.name, dict(current.settings)

    def apply(self) -> Any:
        return self.roadmap.update_view(self.view_id, self.name, **self.settings)

    def revert(self) -> None:
        self.roadmap.update_view(self.view_id, self.before_name)
        self.roadmap.replace_view_settings(self.view_id, self.before_settings)


class DeleteView(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, view_id: int) -> None:
        super().__init__(roadmap, "Delete view")
        self.view_id = view_id
        self.view: Any = None

    def apply(self) -> Any:
        self.view = self.roadmap.delete_view(self.view_id)
        return self.view

    def revert(self) -> None:
        self.roadmap.restore_view(self.view)


class MoveView(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, view_id: int, index: int) -> None:
        super().__init__(roadmap, "Reorder views")
        self.view_id, self.index = view_id, index
        self.before = [v.id for v in roadmap.views()]

    def apply(self) -> Any:
        return self.roadmap.move_view(self.view_id, self.index)

    def revert(self) -> None:
        for i, vid in enumerate(self.before):
            self.roadmap.move_view(vid, i)


class SetInfo(RoadmapCommand):
    def __init__(
        self, roadmap: Roadmap, text: str = "Edit roadmap settings", **fields: Any
    ) -> None:
        super().__init__(roadmap, text)
        current = roadmap.info()
        self.fields = fields
        self.before = {k: getattr(current, k) for k in fields}

    def apply(self) -> Any:
        return self.roadmap.set_info(**self.fields)

    def revert(self) -> None:
        self.roadmap.set_info(**self.before)
