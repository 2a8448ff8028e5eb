import pickle
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.publishing.scheduling.errors import ScheduleError
from chorus.publishing.scheduling.zones import day_bounds, from_utc, to_utc, wall_to_utc

ZONES = [
    "America/New_York",
    "Europe/Berlin",
    "Asia/Vientiane",
    "Australia/Lord_Howe",
    "Australia/Sydney",
    "America/Santiago",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "UTC",
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_it_converts_ordinary_times_with_the_offset_of_the_day() -> None:
    assert to_utc(datetime(2027, 1, 15, 9, 0), "America/New_York") == utc(2027, 1, 15, 14, 0)
    assert to_utc(datetime(2027, 7, 15, 9, 0), "America/New_York") == utc(2027, 7, 15, 13, 0)
    assert to_utc(datetime(2027, 1, 15, 9, 0), "Europe/Berlin") == utc(2027, 1, 15, 8, 0)
    assert to_utc(datetime(2027, 7, 15, 9, 0), "Europe/Berlin") == utc(2027, 7, 15, 7, 0)


def test_it_handles_vientiane_which_has_no_dst() -> None:
    for month in (1, 3, 7, 11):
        assert to_utc(datetime(2027, month, 10, 9, 0), "Asia/Vientiane") == utc(
            2027, month, 10, 2, 0
        )
    assert from_utc(utc(2027, 3, 14, 2), "Asia/Vientiane").hour == 9


def test_a_time_in_the_spring_forward_gap_is_refused_with_the_nearest_valid_times() -> None:
    with pytest.raises(ScheduleError) as caught:
        to_utc(datetime(2027, 3, 14, 2, 30), "America/New_York")
    error = caught.value
    assert (error.code, error.field) == ("nonexistent_time", "scheduled_at")
    assert "02:00" in error.message and "03:00" in error.message
    assert error.details["suggestions"] == ["2027-03-14T01:59:00", "2027-03-14T03:00:00"]
    # Both suggestions are real times.
    to_utc(datetime(2027, 3, 14, 1, 59), "America/New_York")
    to_utc(datetime(2027, 3, 14, 3, 0), "America/New_York")


def test_the_gap_of_a_half_hour_dst_zone_is_named_exactly() -> None:
    # Lord Howe Island moves its clocks by 30 minutes, 02:00 → 02:30.
    with pytest.raises(ScheduleError) as caught:
        to_utc(datetime(2027, 10, 3, 2, 15), "Australia/Lord_Howe", field="start")
    assert caught.value.field == "start"
    assert caught.value.details["suggestions"] == ["2027-10-03T01:59:00", "2027-10-03T02:30:00"]


def test_a_time_in_the_fall_back_overlap_names_both_instants() -> None:
    with pytest.raises(ScheduleError) as caught:
        to_utc(datetime(2027, 11, 7, 1, 30), "America/New_York")
    error = caught.value
    assert (error.code, error.field) == ("ambiguous_time", "scheduled_at")
    assert error.details["candidates"] == ["2027-11-07T05:30:00+00:00", "2027-11-07T06:30:00+00:00"]
    assert "05:30 UTC" in error.message and "06:30 UTC" in error.message


def test_fold_chooses_which_of_the_two_instants() -> None:
    local = datetime(2027, 10, 31, 2, 30)  # Berlin falls back 03:00 → 02:00
    assert to_utc(local, "Europe/Berlin", fold=0) == utc(2027, 10, 31, 0, 30)
    assert to_utc(local, "Europe/Berlin", fold=1) == utc(2027, 10, 31, 1, 30)
    # Lord Howe's overlap is half an hour long.
    local = datetime(2027, 4, 4, 1, 45)
    assert to_utc(local, "Australia/Lord_Howe", fold=1) - to_utc(
        local, "Australia/Lord_Howe", fold=0
    ) == timedelta(minutes=30)


def test_fold_is_ignored_for_unambiguous_times_and_checked() -> None:
    assert to_utc(datetime(2027, 1, 1, 9), "Europe/Berlin", fold=1) == utc(2027, 1, 1, 8)
    with pytest.raises(ScheduleError) as caught:
        to_utc(datetime(2027, 1, 1, 9), "Europe/Berlin", fold=2)
    assert caught.value.field == "fold"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../../etc/passwd", "Europe/Berlin\x00"])
def test_an_unknown_zone_is_refused_on_the_time_zone_field(zone: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        to_utc(datetime(2027, 1, 1, 9), zone)
    assert (caught.value.code, caught.value.field) == ("unknown_zone", "time_zone")


def test_a_wall_time_must_be_naive() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_utc(utc(2027, 1, 1, 9), "Europe/Berlin")


def test_the_lenient_conversion_moves_gap_times_forward_and_takes_the_first_overlap() -> None:
    moved = wall_to_utc(datetime(2027, 3, 14, 2, 30), "America/New_York")
    assert from_utc(moved, "America/New_York").replace(tzinfo=None) == datetime(2027, 3, 14, 3, 30)
    first = wall_to_utc(datetime(2027, 11, 7, 1, 30), "America/New_York")
    assert first == utc(2027, 11, 7, 5, 30)


def test_local_days_are_23_or_25_hours_long_on_change_days() -> None:
    start, end = day_bounds(datetime(2027, 3, 28).date(), "Europe/Berlin")
    assert end - start == timedelta(hours=23)
    start, end = day_bounds(datetime(2027, 10, 31).date(), "Europe/Berlin")
    assert end - start == timedelta(hours=25)


def test_errors_survive_pickling_for_background_tasks() -> None:
    with pytest.raises(ScheduleError) as caught:
        to_utc(datetime(2027, 11, 7, 1, 30), "America/New_York")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert copy.as_dict() == caught.value.as_dict()


def test_messages_render_in_the_language_active_when_read() -> None:
    with pytest.raises(ScheduleError) as caught:
        to_utc(datetime(2027, 3, 14, 2, 30), "America/New_York")
    with translation.override("en"):
        assert "does not exist" in str(caught.value)
    assert caught.value.as_dict()["code"] == "nonexistent_time"


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    local=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31)),
    fold=st.sampled_from([None, 0, 1]),
)
def test_every_valid_wall_time_round_trips(zone: str, local: datetime, fold: int | None) -> None:
    try:
        instant = to_utc(local, zone, fold=fold)
    except ScheduleError as error:
        assert error.code in ("nonexistent_time", "ambiguous_time")
        if error.code == "ambiguous_time":
            assert fold is None
            for choice in (0, 1):
                back = from_utc(to_utc(local, zone, fold=choice), zone)
                assert back.replace(tzinfo=None) == local and back.fold == choice
        return
    assert instant.tzinfo is UTC
    assert from_utc(instant, zone).replace(tzinfo=None) == local
