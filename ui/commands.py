"""Undo commands: each captures the before-state, redo calls one planner method, undo its inverse.

Push them with ``run(stack, command)``: the first redo happens before the push, so a
ValidationError reaches the caller and nothing lands on the stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoGroup, QUndoStack

from planner.model import Card
from planner.store import DeletedCard, DeletedLane, DeletedObjective, Roadmap

# Ids for merging repeated edits (QUndoCommand.id); -1 means never merge.
MERGE_NUDGE = 1
MERGE_FIELD = 2


class RoadmapCommand(QUndoCommand):
    """Base: remembers the roadmap and whether the first redo already ran."""

    def __init__(self, roadmap: Roadmap, text: str) -> None:
        super().__init__(text)
        self.roadmap = roadmap
        self._applied = False

    def apply(self) -> Any:
        """Do the change the first time; may raise ValidationError."""
        raise NotImplementedError

    def redo(self) -> None:  # noqa: D102 - Qt override
        if self._applied:
            self._applied = False  # the first redo is the push right after apply()
            return
        self.apply()

    def plan_id(self) -> int:
        return self.roadmap.plan_id


def run(stack: QUndoStack, command: RoadmapCommand) -> Any:
    """Apply ``command`` and push it; a refused change raises and is not pushed.

    A stack that belongs to the window's undo group (one stack per plan or scenario) stands
    for the group: the command lands on the stack of the plan in view.
    """
    result = command.apply()
    command._applied = True
    group = stack.parent()
    if isinstance(group, QUndoGroup) and group.activeStack() is not None:
        stack = group.activeStack()
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

    def undo(self) -> None:
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

    def undo(self) -> None:
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
        current = roadmap.cards_by_id(self.changes)
        self.before = {
            cid: _card_fields(current[cid], list(fields)) for cid, fields in self.changes.items()
            if cid in current
        }  # fmt: skip
        self._merge_id = merge_id

    def apply(self) -> dict[int, Card]:
        return self.roadmap.update_cards(self.changes)

    def undo(self) -> None:
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

    def undo(self) -> None:
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

    def undo(self) -> None:
        self.roadmap.update_lane(self.lane_id, **self.before)


class MoveLane(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, lane_id: int, index: int) -> None:
        super().__init__(roadmap, "Reorder lanes")
        self.lane_id, self.index = lane_id, index
        self.before = [lane.id for lane in roadmap.lanes()]

    def apply(self) -> Any:
        return self.roadmap.move_lane(self.lane_id, self.index)

    def undo(self) -> None:
        self.roadmap._set_lane_order(self.before)


class DeleteLane(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, lane_id: int) -> None:
        super().__init__(roadmap, "Delete lane")
        self.lane_id = lane_id
        self._deleted: DeletedLane | None = None

    def apply(self) -> Any:
        self._deleted = self.roadmap.delete_lane(self.lane_id)
        return self._deleted

    def undo(self) -> None:
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

    def undo(self) -> None:
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

    def undo(self) -> None:
        self.roadmap.update_milestone(self.milestone_id, **self.before)


class DeleteMilestone(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, milestone_id: int) -> None:
        super().__init__(roadmap, "Delete milestone")
        self.milestone_id = milestone_id
        self.milestone: Any = None

    def apply(self) -> Any:
        self.milestone = self.roadmap.delete_milestone(self.milestone_id)
        return self.milestone

    def undo(self) -> None:
        self.roadmap.restore_milestone(self.milestone)


class AddDependency(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, before_id: int, after_id: int) -> None:
        super().__init__(roadmap, "Add dependency")
        self.pair = (before_id, after_id)
        # Linking cards that are already linked changes nothing, so its undo must not unlink.
        self.existed = any((d.before_id, d.after_id) == self.pair for d in roadmap.dependencies())

    def apply(self) -> Any:
        return self.roadmap.add_dependency(*self.pair)

    def undo(self) -> None:
        if not self.existed:
            self.roadmap.remove_dependency(*self.pair)


class RemoveDependency(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, before_id: int, after_id: int) -> None:
        super().__init__(roadmap, "Remove dependency")
        self.pair = (before_id, after_id)

    def apply(self) -> Any:
        return self.roadmap.remove_dependency(*self.pair)

    def undo(self) -> None:
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

    def undo(self) -> None:
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

    def undo(self) -> None:
        self.roadmap.update_objective(self.objective_id, **self.before)


class DeleteObjective(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, objective_id: int) -> None:
        super().__init__(roadmap, "Delete objective")
        self.objective_id = objective_id
        self._deleted: DeletedObjective | None = None

    def apply(self) -> Any:
        self._deleted = self.roadmap.delete_objective(self.objective_id)
        return self._deleted

    def undo(self) -> None:
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

    def undo(self) -> None:
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

    def undo(self) -> None:
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

    def undo(self) -> None:
        self.roadmap.restore_view(self.view)


class MoveView(RoadmapCommand):
    def __init__(self, roadmap: Roadmap, view_id: int, index: int) -> None:
        super().__init__(roadmap, "Reorder views")
        self.view_id, self.index = view_id, index
        self.before = [v.id for v in roadmap.views()]

    def apply(self) -> Any:
        return self.roadmap.move_view(self.view_id, self.index)

    def undo(self) -> None:
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

    def undo(self) -> None:
        self.roadmap.set_info(**self.before)
