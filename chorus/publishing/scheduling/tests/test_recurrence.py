from datetime import UTC, date, datetime, time, timedelta

import pytest

from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.recurrence import (
    next_occurrence,
    occurrences,
    simple_rule,
    validate,
)
from chorus.publishing.scheduling.zones import from_utc


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def walls(instants: list[datetime], zone: str) -> list[datetime]:
    return [from_utc(i, zone).replace(tzinfo=None) for i in instants]


def offsets(instants: list[datetime], zone: str) -> set[timedelta]:
    return {from_utc(i, zone).utcoffset() for i in instants}  # type: ignore[misc]


@pytest.mark.parametrize(
    ("zone", "spring", "autumn", "winter_utc_hour", "summer_utc_hour"),
    [
        ("America/New_York", date(2027, 3, 14), date(2027, 11, 7), 14, 13),
        ("Europe/Berlin", date(2027, 3, 28), date(2027, 10, 31), 8, 7),
    ],
)
def test_a_daily_0900_stays_0900_local_across_both_dst_changes(
    zone: str, spring: date, autumn: date, winter_utc_hour: int, summer_utc_hour: int
) -> None:
    rule = "FREQ=DAILY"
    start = datetime(2027, 1, 4, 9, 0)
    for change, before_hour, after_hour in (
        (spring, winter_utc_hour, summer_utc_hour),
        (autumn, summer_utc_hour, winter_utc_hour),
    ):
        low = datetime.combine(change - timedelta(days=3), time(), UTC)
        found = occurrences(rule, start, zone, (low, low + timedelta(days=7)))
        assert len(found) == 7
        assert all(w.time() == time(9, 0) for w in walls(found, zone))
        assert [i.date() for i in found] == [
            change - timedelta(days=3) + timedelta(days=n) for n in range(7)
        ]
        assert [i.hour for i in found] == [before_hour] * 3 + [after_hour] * 4


def test_a_whole_year_of_daily_posts_keeps_its_wall_time_and_changes_offset() -> None:
    for zone in ("America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe"):
        found = occurrences(
            "FREQ=DAILY;UNTIL=20271231",
            datetime(2027, 1, 1, 9),
            zone,
            (utc(2026, 1, 1), utc(2029, 1, 1)),
        )
        assert len(found) == 365
        assert {w.time() for w in walls(found, zone)} == {time(9, 0)}
        assert len(offsets(found, zone)) == 2


def test_southern_hemisphere_zones_are_on_summer_time_in_january() -> None:
    jan, jul = (
        next_occurrence("FREQ=DAILY", datetime(2027, 1, 1, 9), "Australia/Sydney", after)
        for after in (utc(2027, 1, 10), utc(2027, 7, 10))
    )
    assert jan is not None and jul is not None
    assert jan.hour == 22 and jul.hour == 23  # 09:00 at UTC+11, then at UTC+10
    lord_howe = occurrences(
        "FREQ=DAILY",
        datetime(2027, 1, 1, 9),
        "Australia/Lord_Howe",
        (utc(2027, 4, 1), utc(2027, 4, 7)),
    )
    by_day = {
        w.date(): w.utcoffset() for w in (from_utc(i, "Australia/Lord_Howe") for i in lord_howe)
    }
    # Summer time ends at 02:00 on Sunday 4 April 2027, by half an hour.
    assert by_day[date(2027, 4, 3)] == timedelta(hours=11)
    assert by_day[date(2027, 4, 4)] == timedelta(hours=10, minutes=30)


def test_vientiane_has_the_same_instant_every_day() -> None:
    found = occurrences(
        "FREQ=DAILY",
        datetime(2027, 1, 1, 9),
        "Asia/Vientiane",
        (utc(2027, 3, 1), utc(2027, 11, 30)),
    )
    assert {(i.hour, i.minute) for i in found} == {(2, 0)}


def test_a_daily_time_in_the_gap_moves_forward_by_the_gap_that_day_only() -> None:
    found = occurrences(
        "FREQ=DAILY",
        datetime(2027, 3, 1, 2, 30),
        "America/New_York",
        (utc(2027, 3, 13), utc(2027, 3, 16)),
    )
    assert walls(found, "America/New_York") == [
        datetime(2027, 3, 13, 2, 30),
        datetime(2027, 3, 14, 3, 30),
        datetime(2027, 3, 15, 2, 30),
    ]


def test_a_daily_time_in_the_overlap_happens_once_at_the_first_instant() -> None:
    found = occurrences(
        "FREQ=DAILY",
        datetime(2027, 11, 1, 1, 30),
        "America/New_York",
        (utc(2027, 11, 7), utc(2027, 11, 8)),
    )
    assert found == [utc(2027, 11, 7, 5, 30)]


def test_two_wall_times_pushed_onto_one_instant_by_a_gap_count_once() -> None:
    found = occurrences(
        "FREQ=DAILY;BYHOUR=2,3;BYMINUTE=30",
        datetime(2027, 3, 1, 2, 30),
        "America/New_York",
        (utc(2027, 3, 14), utc(2027, 3, 15)),
    )
    assert walls(found, "America/New_York") == [datetime(2027, 3, 14, 3, 30)]


def test_next_occurrence_is_strictly_after_and_weekly_rules_follow_weekdays() -> None:
    start = datetime(2027, 3, 1, 9, 0)  # a Monday
    rule = "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR"
    first = next_occurrence(rule, start, "Europe/Berlin", utc(2027, 3, 1, 8, 0))
    assert first == utc(2027, 3, 3, 8, 0)
    after_change = next_occurrence(rule, start, "Europe/Berlin", utc(2027, 3, 27))
    assert after_change == utc(2027, 3, 29, 7, 0)  # Monday after the change, 09:00 CEST


@pytest.mark.parametrize(
    ("until", "count"),
    [
        ("20270314", 5),  # through the end of that local day
        ("20270314T090000", 5),  # local wall time, inclusive
        ("20270314T130000Z", 5),  # 09:00 EDT is 13:00 UTC
        ("20270314T125959Z", 4),
    ],
)
def test_until_is_applied_to_real_instants(until: str, count: int) -> None:
    found = occurrences(
        f"FREQ=DAILY;UNTIL={until}",
        datetime(2027, 3, 10, 9, 0),
        "America/New_York",
        (utc(2027, 3, 1), utc(2027, 4, 1)),
    )
    assert len(found) == count


def test_count_ends_the_series() -> None:
    start = datetime(2027, 3, 10, 9, 0)
    found = occurrences(
        "FREQ=DAILY;COUNT=3", start, "Europe/Berlin", (utc(2027, 1, 1), utc(2028, 1, 1))
    )
    assert len(found) == 3
    assert next_occurrence("FREQ=DAILY;COUNT=3", start, "Europe/Berlin", found[-1]) is None


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ("FREQ=SOMETIMES", "invalid_recurrence"),
        ("garbage", "invalid_recurrence"),
        ("FREQ=DAILY;COUNT=0", "invalid_recurrence"),
        ("FREQ=DAILY;INTERVAL=-1", "invalid_recurrence"),
        ("FREQ=DAILY;BYDAY=XX", "invalid_recurrence"),
        ("FREQ=DAILY;UNTIL=20271301", "invalid_recurrence"),
        ("FREQ=DAILY;UNTIL=99991231", "invalid_recurrence"),
        ("FREQ=DAILY;FREQ=WEEKLY", "invalid_recurrence"),
        ("DTSTART:20270101T090000\nRRULE:FREQ=DAILY", "invalid_recurrence"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20270101", "until_and_count"),
        ("FREQ=HOURLY", "too_frequent"),
        ("FREQ=MINUTELY;INTERVAL=5", "too_frequent"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never_repeats"),
    ],
)
def test_bad_rules_are_refused_on_the_recurrence_field(rule: str, code: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        validate(rule, datetime(2027, 1, 1, 9), "Europe/Berlin")
    assert (caught.value.code, caught.value.field) == (code, "recurrence")


def test_the_29th_of_february_repeats_in_leap_years() -> None:
    rule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"
    validate(rule, datetime(2028, 2, 29, 9), "Europe/Berlin")
    assert next_occurrence(rule, datetime(2028, 2, 29, 9), "Europe/Berlin", utc(2028, 3, 1)) == utc(
        2032, 2, 29, 8
    )


def test_simple_rules_for_the_composer() -> None:
    assert simple_rule("daily") == "FREQ=DAILY"
    assert (
        simple_rule("weekly", 2, [4, 0], until=date(2027, 12, 31))
        == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;UNTIL=20271231"
    )
    assert simple_rule("monthly", count=6) == "FREQ=MONTHLY;COUNT=6"
    for rule in (simple_rule("weekly", 1, [0, 2]), simple_rule("monthly", 3, count=2)):
        validate(rule, datetime(2027, 1, 1, 9), "Europe/Berlin")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"freq": "hourly"}, "freq"),
        ({"freq": "daily", "interval": 0}, "interval"),
        ({"freq": "daily", "interval": True}, "interval"),
        ({"freq": "weekly", "weekdays": [7]}, "weekdays"),
        ({"freq": "monthly", "weekdays": [1]}, "weekdays"),
        ({"freq": "daily", "count": 0}, "count"),
        ({"freq": "daily", "count": 2, "until": date(2027, 1, 1)}, "count"),
    ],
)
def test_simple_rule_names_the_bad_field(kwargs: dict, field: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        simple_rule(**kwargs)
    assert caught.value.field == field
