"""planner.records.record behaves as dataclass(frozen=True) for every model class."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle
from typing import Any

import pytest

from planner import layout, lens, model, search, store
from planner.records import record

MODEL_CLASSES = [
    model.Criterion, model.Card, model.Lane, model.Milestone, model.Dependency,
    model.Objective, model.View, model.Plan, model.RoadmapInfo,
    store.Change, store.DeletedCard, store.DeletedLane, store.DeletedObjective,
    search.CardFilter, layout.TimeScale, lens.Lens,
]  # fmt: skip


def _twin(cls: type) -> Any:
    """The same class made by dataclasses.dataclass(frozen=True), for comparison."""
    namespace: dict[str, Any] = {
        "__annotations__": dict(cls.__annotations__),
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
    }
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            namespace[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f.name] = dataclasses.field(default_factory=f.default_factory)
    return dataclasses.dataclass(frozen=True)(type(cls.__name__, (), namespace))


def _required(cls: type) -> dict[str, Any]:
    missing = dataclasses.MISSING
    return {f.name: 7 for f in dataclasses.fields(cls)
            if f.default is missing and f.default_factory is missing}  # fmt: skip


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda c: c.__name__)
def test_record_matches_frozen_dataclass(cls: type) -> None:
    twin = _twin(cls)
    assert [f.name for f in dataclasses.fields(cls)] == [f.name for f in dataclasses.fields(twin)]
    assert getattr(cls, "__match_args__") == twin.__match_args__  # noqa: B009
    args = _required(cls)
    a, b = cls(**args), twin(**args)
    assert repr(a) == repr(b)
    assert dataclasses.asdict(a) == dataclasses.asdict(b)
    same = cls(**args)
    assert a == same
    assert not a != same  # noqa: SIM202 - the != operator is checked too
    assert a != b  # another class: not equal, as between two dataclasses
    assert list(vars(a)) == list(vars(b))  # fields set in order
    positional = list(args.values())
    assert cls(*positional) == a
    if all(not isinstance(v, dict) for v in vars(a).values()):
        assert hash(a) == hash(b.__class__(**args)) == hash(tuple(vars(a).values()))
    else:
        with pytest.raises(TypeError):
            hash(a)
        with pytest.raises(TypeError):
            hash(b)
    name = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError, match=f"cannot assign to field '{name}'"):
        setattr(a, name, 1)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'other'"):
        a.other = 1
    with pytest.raises(dataclasses.FrozenInstanceError, match=f"cannot delete field '{name}'"):
        delattr(a, name)
    changed = dataclasses.replace(a, **{name: 8})
    assert getattr(changed, name) == 8 and changed == dataclasses.replace(a, **{name: 8})
    assert copy.copy(a) == a and copy.deepcopy(a) == a
    assert pickle.loads(pickle.dumps(a)) == a


def test_card_defaults_and_errors() -> None:
    card = model.Card(1, "A", start=dt.date(2026, 1, 1))
    assert card.kind == "feature" and card.tags == () and card.start == dt.date(2026, 1, 1)
    assert model.View(1, "v").settings == {} and model.View(1, "v").settings is not \
        model.View(1, "v").settings  # fmt: skip
    with pytest.raises(TypeError, match=r"Card.__init__\(\) missing 1 required positional "
                                        r"argument: 'title'"):  # fmt: skip
        model.Card(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="missing 2 required positional arguments: 'id' and"):
        model.Card()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        model.Card(1, "A", nope=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple values for argument 'title'"):
        model.Card(1, "A", title="B")  # type: ignore[misc]
    with pytest.raises(TypeError, match="positional arguments"):
        model.Lane(1, "a", "#fff", 0, False, "extra")  # type: ignore[call-arg]


def test_recursive_repr_shows_dots() -> None:
    @record
    class Box:
        item: Any = None

    box = Box([])
    box.item.append(box)
    assert repr(box).endswith(".Box(item=[...])")
