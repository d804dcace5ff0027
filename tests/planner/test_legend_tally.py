"""LegendTally: the legend patched card by card equals the legend counted from every card."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.lens import COLOR_BY, LegendTally, Lens, legend
from planner.model import Card, Lane, Objective

LANES = [Lane(1, "Platform", "#111111"), Lane(2, "Growth", "#222222"), Lane(3, "Mobile")]
OBJECTIVES = [Objective(1, "Retention", color="#333333"), Objective(2, "Revenue")]
TAGS = ["api", "API", "Api", "ux", "UX", "infra", "Zeta", "alpha"]

lenses = st.builds(
    Lens,
    color_by=st.sampled_from(COLOR_BY),
    lanes=st.none() | st.frozensets(st.sampled_from([1, 2, 3]), min_size=1),
    statuses=st.none() | st.frozensets(st.sampled_from(["idea", "planned", "done"]), min_size=1),
    tags=st.none() | st.just(frozenset({"api", "ux"})),
    hide_internal=st.booleans(),
    date_to=st.none() | st.just(dt.date(2026, 6, 1)),
)


@st.composite
def cards(draw: st.DrawFn, card_id: int) -> Card:
    start = draw(st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 1)))
    return Card(
        id=card_id,
        title=f"Card {card_id}",
        lane_id=draw(st.sampled_from([None, 1, 2, 3, 99])),
        start=start,
        end=start + dt.timedelta(days=10) if start else None,
        status=draw(st.sampled_from(["idea", "planned", "in_progress", "done", "odd"])),
        tags=tuple(draw(st.lists(st.sampled_from(TAGS), max_size=2, unique_by=str.casefold))),
        objective_id=draw(st.sampled_from([None, 1, 2])),
        internal=draw(st.booleans()),
    )


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Card], list[tuple[str, Card | int]]]:
    first = [draw(cards(i)) for i in range(draw(st.integers(0, 12)))]
    steps: list[tuple[str, Card | int]] = []
    next_id = len(first)
    for _ in range(draw(st.integers(1, 25))):
        op = draw(st.sampled_from(["change", "add", "remove"]))
        if op == "add":
            steps.append(("put", draw(cards(next_id))))
            next_id += 1
        elif op == "change":
            steps.append(("put", draw(cards(draw(st.integers(0, max(next_id - 1, 0)))))))
        else:
            steps.append(("remove", draw(st.integers(0, max(next_id - 1, 0)))))
    return first, steps


@settings(max_examples=300, deadline=None)
@given(lenses, histories())
def test_the_tally_after_edits_equals_a_full_recount(lens: Lens, history) -> None:
    first, steps = history
    shown = {c.id: c for c in first}  # the document's cards, in its order
    tally = LegendTally(lens, first)
    for op, arg in steps:
        if op == "put":
            assert isinstance(arg, Card)
            shown[arg.id] = arg
            tally.put(arg)
        else:
            assert isinstance(arg, int)
            shown.pop(arg, None)
            tally.remove(arg)
        assert tally.items(LANES, OBJECTIVES) == legend(lens, shown.values(), LANES, OBJECTIVES)


def test_a_tag_is_named_as_the_first_card_spells_it() -> None:
    lens = Lens(color_by="tag")
    a, b = Card(1, "A", tags=("API",)), Card(2, "B", tags=("api",))
    tally = LegendTally(lens, [a, b])
    assert [label for label, _ in tally.items([], [])] == ["API"]
    tally.remove(1)
    assert [label for label, _ in tally.items([], [])] == ["api"]
    tally.put(a)  # comes back last in the order
    assert [label for label, _ in tally.items([], [])] == ["api"]
