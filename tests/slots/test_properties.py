"""Properties of the scores, over synthetic fixed-offset zones (datetime.timezone), with hypothesis."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from letsconnect_cli.slots import (
    Candidate,
    WeightedZone,
    Window,
    parse_week,
    rank,
    score_at,
    score_starts,
    starts_on,
)

WEEK = starts_on(parse_week("2023-W13"))  # Monday 27 March to Sunday 2 April 2023, 336 starts
MONDAY = WEEK[0]
PERIOD = timedelta(days=7)  # with fixed offsets, every score repeats weekly

# Offsets in quarter hours, -12:00 to +14:00 like the real world's.
offsets_q = st.integers(min_value=-48, max_value=56)
zone_lists = st.lists(
    st.tuples(offsets_q, st.floats(min_value=0.0, max_value=100.0, allow_nan=False)),
    min_size=1,
    max_size=8,
).filter(lambda zs: sum(w for _, w in zs) > 0)
half_hours = st.integers(min_value=0, max_value=47)
windows = st.builds(
    lambda o, c, days: Window(o * 1800, (c * 1800) or 86400, frozenset(days)),
    half_hours,
    st.integers(min_value=0, max_value=47),
    st.sets(st.integers(min_value=0, max_value=6), min_size=1),
).filter(lambda w: w.opens != w.closes % 86400)
durations = st.integers(min_value=1, max_value=16).map(lambda n: timedelta(minutes=30 * n))


def zones_of(spec: list[tuple[int, float]], shift_q: int = 0) -> list[WeightedZone]:
    return [
        WeightedZone(f"z{n}", timezone(timedelta(minutes=15 * (q + shift_q))), weight)
        for n, (q, weight) in enumerate(spec)
    ]


def best_times(candidates: list[Candidate]) -> set[timedelta]:
    """The best starts' places in the week (weekly period), ties included."""
    top = rank(candidates)[0].key()[:2]
    return {(c.start - MONDAY) % PERIOD for c in candidates if c.key()[:2] == top}


@settings(max_examples=60, deadline=None)
@given(zone_lists, windows, durations)
def test_scores_lie_between_0_and_1(
    spec: list[tuple[int, float]], win: Window, duration: timedelta
) -> None:
    candidates = score_starts(zones_of(spec), WEEK, duration, win)
    for candidate in candidates:
        assert 0 <= candidate.score <= 1
        assert 0 <= candidate.comfort <= candidate.score
        assert candidate.end - candidate.start == duration
    for candidate in candidates[::37]:
        assert candidate.score == score_at(zones_of(spec), candidate.start, duration, win)


@settings(max_examples=60, deadline=None)
@given(zone_lists, windows, durations, st.integers(min_value=-20, max_value=20))
def test_moving_every_zone_moves_the_best_slot_by_as_much(
    spec: list[tuple[int, float]], win: Window, duration: timedelta, shift_half_hours: int
) -> None:
    """Clocks all d later: the same local times come d earlier in UTC, and so does the best."""
    shift = timedelta(minutes=30 * shift_half_hours)
    # Offsets in quarter hours, kept strictly within +-24 h before and after the shift (the
    # clamp to +-90 let 56 + 2 * 20 reach 24 h, which Hypothesis found).
    s = 2 * shift_half_hours
    low, high = max(-95, -95 - s), min(95, 95 - s)
    spec = [(max(low, min(high, q)), w) for q, w in spec]
    before = score_starts(zones_of(spec), WEEK, duration, win)
    after = score_starts(zones_of(spec, 2 * shift_half_hours), WEEK, duration, win)
    assert best_times(after) == {(t - shift) % PERIOD for t in best_times(before)}
    moved = {(c.start + shift - MONDAY) % PERIOD: c for c in after}
    for candidate in before:
        twin = moved[(candidate.start - MONDAY) % PERIOD]
        assert abs(twin.score - candidate.score) < 1e-9
        assert abs(twin.comfort - candidate.comfort) < 1e-9


@settings(max_examples=60, deadline=None)
@given(zone_lists, windows, durations, st.data())
def test_more_weight_on_a_zone_helps_exactly_the_starts_that_suit_it(
    spec: list[tuple[int, float]], win: Window, duration: timedelta, data: st.DataObject
) -> None:
    """Registrants from a country raise the score of every start that suits them and lower
    the score of every start that does not (a start that suits everyone, or no one, stays)."""
    index = data.draw(st.integers(min_value=0, max_value=len(spec) - 1))
    heavier = list(spec)
    heavier[index] = (spec[index][0], spec[index][1] + 10.0)
    zones, more = zones_of(spec), zones_of(heavier)
    suited = {c.start for c in score_starts([more[index]], WEEK, duration, win) if c.score == 1}
    for old, new in zip(
        score_starts(zones, WEEK, duration, win),
        score_starts(more, WEEK, duration, win),
        strict=True,
    ):
        if old.start in suited:
            assert new.score >= old.score - 1e-9
        else:
            assert new.score <= old.score + 1e-9


def test_fixed_offsets_give_the_hand_computed_answer() -> None:
    """Two places, +08:00 (weight 3) and -05:00 (weight 1), hours 08:00-21:00, 2-hour sessions:
    worked out by hand in the comments."""
    zones = [
        WeightedZone("east", timezone(timedelta(hours=8)), 3.0),
        WeightedZone("west", timezone(timedelta(hours=-5)), 1.0),
    ]
    scored = {
        c.start: c
        for c in score_starts(
            zones, starts_on([date(2023, 4, 2)]), timedelta(hours=2), Window(8 * 3600, 21 * 3600)
        )
    }
    # 00:00 UTC: east 08:00-10:00 in, west 19:00-21:00 in.
    assert scored[datetime(2023, 4, 2, 0, tzinfo=UTC)].score == 1
    # 00:30 UTC: east in, west 19:30-21:30 out.
    assert scored[datetime(2023, 4, 2, 0, 30, tzinfo=UTC)].score == 0.75
    # 13:00 UTC: east 21:00 out, west 08:00-10:00 in.
    assert scored[datetime(2023, 4, 2, 13, tzinfo=UTC)].score == 0.25
    # Only 00:00 UTC suits both; it has no margin at all for the west, little for the east.
    best = rank(list(scored.values()))[0]
    assert best.start == datetime(2023, 4, 2, 0, tzinfo=UTC)
    assert best.comfort == 0  # east 0 minutes from opening, west 0 minutes from closing
