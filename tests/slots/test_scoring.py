"""Scores of start times, checked by hand against the tz database's offsets.

ESEAP has 48 countries; Heard Island (HM) has no time zone, so 47 count, each weighing 1,
spread over its zones (Australia's 1 over 12 zones, Kiribati's over 3 ...).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

import pytest

from letsconnect_cli.places.regions import region
from letsconnect_cli.places.timezones import zones_of_country
from letsconnect_cli.slots import (
    WeightedZone,
    best_nearby,
    equal_region_weights,
    offsets,
    parse_week,
    rank,
    region_weights,
    score_at,
    score_starts,
    starts_on,
    window,
    zone_fits,
)

TWO_HOURS = timedelta(hours=2)
SUNDAY = date(2023, 4, 2)  # the seed's travel-scholarships clinic, 06:00 UTC, ESEAP


def at(hour: int, minute: int = 0, day: date = SUNDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def scores_on(codes: tuple[str, ...], day: date = SUNDAY, **kw: str) -> dict[datetime, float]:
    zones = equal_region_weights(codes).zones
    return {
        c.start: c.score for c in score_starts(zones, starts_on([day]), TWO_HOURS, window(**kw))
    }


def test_eseap_weights_every_country_alike() -> None:
    weights = equal_region_weights(("ESEAP",))
    assert weights.without_zone == ("HM",)
    assert weights.total == pytest.approx(47)
    australia = [z for z in weights.zones if z.countries == ("AU",)]
    assert len(australia) == len(zones_of_country("AU")) == 12
    assert sum(z.weight for z in australia) == pytest.approx(1)


def test_eseap_on_sunday_2_april_2023_by_hand() -> None:
    scores = scores_on(("ESEAP",))
    # 06:00-08:00 UTC: Sunday afternoon from Jakarta to Auckland, Saturday 19:00-21:00 in Pago
    # Pago; outside 08:00-21:00 only at -10:00 and further east on the American side (Cook
    # Islands; French Polynesia's 3 zones; Pitcairn) and at +14:00 (Kiritimati, 1 of Kiribati's
    # 3 zones): 10/3 of 47 countries.
    assert scores[at(6)] == pytest.approx(1 - (10 / 3) / 47)
    # 15:00-17:00 UTC is 23:00 in Manila, 02:00 in Sydney, 04:00 in Pago Pago: nobody.
    assert scores[at(15)] == 0
    # 03:00-05:00 UTC: from 16:00 in Pago Pago to 17:00 in Kiritimati, everyone.
    assert scores[at(3)] == 1


def test_eseap_best_two_hours_on_that_sunday() -> None:
    zones = equal_region_weights(("ESEAP",)).zones
    ranked = rank(score_starts(zones, starts_on([SUNDAY]), TWO_HOURS, window()))
    assert [c.start for c in ranked[:3]] == [at(3), at(2, 30), at(2)]
    assert all(c.score == 1 for c in ranked[:3])
    # Ties on score go to comfort: 03:00 leaves more room before Kiritimati's 21:00 than 02:00
    # leaves after Urumqi's 08:00.
    assert ranked[0].comfort > ranked[1].comfort > ranked[2].comfort
    assert ranked[-1].score == 0


def test_eseap_with_south_asia() -> None:
    scores = scores_on(("ESEAP", "SA"))
    # 03:00 UTC: 07:30 in Kabul, too early; 08:00 in Karachi and the Maldives, 08:30 in India
    # and Sri Lanka, 08:45 in Nepal, 09:00 in Bangladesh and Bhutan; all of ESEAP is in.
    assert scores[at(3)] == pytest.approx(54 / 55)
    # 04:00 UTC: Kabul 08:30 is in, Pitcairn 20:00-22:00 is out.
    assert scores[at(4)] == pytest.approx(54 / 55)
    assert max(scores.values()) == pytest.approx(54 / 55)
    # 15:00 UTC: evening in South Asia (Kolkata 20:30 ends 22:30: out; Kabul 19:30-21:30 out;
    # Karachi 20:00-22:00 out): nobody.
    assert scores[at(15)] == 0
    assert scores[at(12)] > 0  # Kabul 16:30, Kolkata 17:30, Dhaka 18:00 ...


def test_one_zone_region() -> None:
    manila = [WeightedZone("Asia/Manila", ZoneInfo("Asia/Manila"), 1.0, ("PH",))]
    scored = score_starts(manila, starts_on([SUNDAY]), TWO_HOURS, window())
    ok = [c.start for c in scored if c.score == 1]
    # Local starts 08:00 to 19:00 (ending 21:00): 00:00 to 11:00 UTC, 23 starts.
    assert ok[0] == at(0) and ok[-1] == at(11) and len(ok) == 23
    assert all(c.score in (0, 1) for c in scored)
    best = rank(scored)[0]
    # Full comfort from 10:00 to 17:00 local (2 hours from both edges): the first, 02:00 UTC.
    assert best.start == at(2) and best.comfort == 1
    assert rank(scored)[1].start == at(2, 30)


def test_a_session_ending_at_the_closing_hour_is_inside() -> None:
    manila = [WeightedZone("Asia/Manila", ZoneInfo("Asia/Manila"), 1.0)]
    assert score_at(manila, at(11), TWO_HOURS, window()) == 1  # 19:00-21:00
    assert score_at(manila, at(11, 30), TWO_HOURS, window()) == 0  # 19:30-21:30
    assert score_at(manila, at(0), TWO_HOURS, window()) == 1  # 08:00-10:00
    assert score_at(manila, at(23, 30), TWO_HOURS, window()) == 0  # 07:30-09:30


def test_window_crossing_midnight_and_allowed_days() -> None:
    utc = [WeightedZone("UTC", UTC, 1.0)]
    late = window("18:00-01:00", "sat")
    saturday = date(2023, 4, 1)
    assert score_at(utc, at(23, day=saturday), TWO_HOURS, late) == 1  # ends 01:00, as it closes
    assert score_at(utc, at(23, 30, saturday), TWO_HOURS, late) == 0  # ends 01:30
    assert score_at(utc, at(22, 30, saturday), TWO_HOURS, late) == 1  # ends 00:30 Sunday
    # The window opens on Saturday: a session starting Sunday 00:00 is still Saturday's evening.
    assert score_at(utc, at(0), timedelta(minutes=30), late) == 1
    assert score_at(utc, at(22, 30), TWO_HOURS, late) == 0  # Sunday evening: not allowed
    assert score_at(utc, at(18, day=saturday), TWO_HOURS, window(days="sun")) == 0


def test_local_days_are_the_zones_own() -> None:
    # Sunday 06:00 UTC is still Saturday evening in Pago Pago: not allowed on Sundays only.
    pago = [WeightedZone("Pacific/Pago_Pago", ZoneInfo("Pacific/Pago_Pago"), 1.0)]
    assert score_at(pago, at(6), TWO_HOURS, window(days="sat")) == 1
    assert score_at(pago, at(6), TWO_HOURS, window(days="sun")) == 0


def test_the_real_offset_on_each_date() -> None:
    sydney = [WeightedZone("Australia/Sydney", ZoneInfo("Australia/Sydney"), 1.0)]
    # Daylight saving ended in Sydney at 03:00 on Sunday 2 April 2023 (16:00 UTC on 1 April).
    scored = score_starts(sydney, starts_on(parse_week("2023-W13")), TWO_HOURS, window())
    ok = {c.start for c in scored if c.score == 1}
    assert at(21, day=date(2023, 3, 30)) in ok  # Friday 08:00 AEDT (+11:00)
    assert at(21, day=date(2023, 4, 1)) not in ok  # Sunday 07:00 AEST (+10:00)
    assert at(22, day=date(2023, 4, 1)) in ok  # Sunday 08:00 AEST


def test_a_session_across_a_clock_change_ends_by_the_new_clock() -> None:
    sydney = WeightedZone("Australia/Sydney", ZoneInfo("Australia/Sydney"), 1.0)
    start = datetime(2023, 4, 1, 15, tzinfo=UTC)  # 02:00 AEDT; at 03:00 AEDT clocks go to 02:00
    [fit] = zone_fits([sydney], start, TWO_HOURS, window("02:00-03:30"))
    assert (fit.local_start.strftime("%H:%M%z"), fit.local_end.strftime("%H:%M%z")) == (
        "02:00+1100",
        "03:00+1000",
    )
    assert fit.ok
    assert score_at([sydney], start, TWO_HOURS, window("02:00-03:30")) == 1
    scored = score_starts([sydney], [start], TWO_HOURS, window("02:00-03:30"))
    assert scored[0].score == 1


def test_zone_weights_need_not_sum_to_one_but_cannot_all_be_zero() -> None:
    from letsconnect_cli.errors import UsageError

    zones = [WeightedZone("A", timezone(timedelta(hours=8)), 3.0)]
    assert score_at(zones, at(2), TWO_HOURS, window()) == 1
    with pytest.raises(UsageError, match="every zone has weight 0"):
        score_starts([WeightedZone("A", UTC, 0.0)], [at(2)], TWO_HOURS, window())


def test_best_nearby_prefers_the_nearest_of_equals() -> None:
    zones = equal_region_weights(("ESEAP",)).zones
    best = best_nearby(zones, datetime(2023, 2, 21, 15, tzinfo=UTC), TWO_HOURS, window())
    assert best.start == datetime(2023, 2, 21, 3, tzinfo=UTC) and best.score == 1
    manila = [WeightedZone("Asia/Manila", ZoneInfo("Asia/Manila"), 1.0)]
    # From 03:00 UTC every start from 02:00 to 09:00 is perfect: 03:00 itself is nearest.
    assert best_nearby(manila, at(3), TWO_HOURS, window()).start == at(3)


def test_country_weights_from_data() -> None:
    eseap = region("ESEAP")
    weights = region_weights([eseap], {"PH": 10, "ID": 4})
    by_zone = {z.name: z.weight for z in weights.zones}
    assert by_zone["Asia/Manila"] == 10
    assert by_zone["Asia/Jakarta"] == 1  # Indonesia's 4 spread over its 4 zones
    assert by_zone["Asia/Tokyo"] == 0
    assert "JP" in weights.unweighted and "PH" not in weights.unweighted
    # 11:00 UTC: Manila 19:00-21:00 in, Jakarta 18:00, Makassar 19:00 in, Jayapura 20:00 out.
    assert score_at(weights.zones, at(11), TWO_HOURS, window()) == pytest.approx(13 / 14)


@pytest.mark.parametrize("week", ["2023-W13", "2023-W44", "2024-W14", "2023-W11"])
def test_offsets_by_bisection_equal_one_look_up_per_instant(week: str) -> None:
    """The short cut of `offsets` (no zone changes twice within 72 hours) against the slow way,
    for every zone, in weeks with clock changes on both hemispheres."""
    instants = [int(s.timestamp()) for s in starts_on(parse_week(week), timedelta(hours=1))]
    for name in sorted(available_timezones()):
        tz = ZoneInfo(name)
        slow = [
            int(datetime.fromtimestamp(t, UTC).astimezone(tz).utcoffset().total_seconds())  # type: ignore[union-attr]
            for t in instants
        ]
        assert offsets(tz, instants) == slow, name


def test_scores_of_many_starts_equal_scores_one_by_one() -> None:
    for codes in [("ESEAP",), ("NA",), ("LAC", "SSA")]:
        zones = equal_region_weights(codes).zones
        for win in (window(), window("18:00-01:00", "sat,sun"), window("9-17", "weekdays")):
            scored = score_starts(zones, starts_on(parse_week("2023-W44")), TWO_HOURS, win)
            for candidate in scored[::11]:
                assert candidate.score == pytest.approx(
                    score_at(zones, candidate.start, TWO_HOURS, win)
                )
                fits = zone_fits(zones, candidate.start, TWO_HOURS, win)
                total = sum(f.zone.weight for f in fits)
                inside = sum(f.zone.weight for f in fits if f.ok)
                assert candidate.score == pytest.approx(inside / total)
