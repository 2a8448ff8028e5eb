from datetime import UTC, datetime, time

from chorus.publishing.scheduling.slots import (
    HORIZON_DAYS,
    AccountPlan,
    QueueItem,
    common_free_slots,
    free_slots,
    reslot,
    slot_instants,
)
from chorus.publishing.scheduling.zones import from_utc, wall_to_utc

NY = "America/New_York"
EVERY_DAY = [(d, time(9, 0)) for d in range(7)]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(zone: str, *args: int) -> datetime:
    return wall_to_utc(datetime(*args), zone)


def walls(instants: list[datetime], zone: str) -> list[datetime]:
    return [from_utc(i, zone).replace(tzinfo=None) for i in instants]


def test_a_0900_slot_stays_0900_local_across_spring_forward_and_fall_back() -> None:
    plan = AccountPlan(slots=EVERY_DAY)
    spring = free_slots(plan, NY, utc(2027, 3, 12), count=4)
    assert [i.hour for i in spring] == [14, 14, 13, 13]
    assert walls(spring, NY)[2] == datetime(2027, 3, 14, 9, 0)
    autumn = free_slots(plan, "Europe/Berlin", utc(2027, 10, 29), count=4)
    assert [i.hour for i in autumn] == [7, 7, 8, 8]
    assert {w.time() for w in walls(autumn, "Europe/Berlin")} == {time(9, 0)}


def test_slots_in_a_gap_move_forward_and_merge_with_the_next_slot() -> None:
    plan = AccountPlan(slots=[(6, time(2, 30)), (6, time(3, 30))])  # Sundays
    found = free_slots(plan, NY, utc(2027, 3, 13), count=2)
    assert walls(found, NY) == [datetime(2027, 3, 14, 3, 30), datetime(2027, 3, 21, 2, 30)]


def test_vientiane_and_lord_howe_slots() -> None:
    found = free_slots(AccountPlan(slots=EVERY_DAY), "Asia/Vientiane", utc(2027, 3, 12), count=3)
    assert [(i.day, i.hour) for i in found] == [(12, 2), (13, 2), (14, 2)]
    found = free_slots(AccountPlan(slots=EVERY_DAY), "Australia/Lord_Howe", utc(2027, 4, 2), 3)
    assert {w.time() for w in walls(found, "Australia/Lord_Howe")} == {time(9, 0)}
    assert [i.strftime("%H:%M") for i in found] == ["22:00", "22:30", "22:30"]


def test_taken_slots_are_skipped() -> None:
    plan = AccountPlan(slots=EVERY_DAY, taken=[local(NY, 2027, 3, 1, 9)])
    assert walls(free_slots(plan, NY, utc(2027, 3, 1)), NY) == [datetime(2027, 3, 2, 9)]


def test_daily_limits_count_the_local_day_not_the_utc_day() -> None:
    slots = [(d, t) for d in range(7) for t in (time(9), time(18), time(21))]
    # 21:00 on 1 March in New York is 02:00 on 2 March in UTC; it belongs to 1 March.
    taken = [local(NY, 2027, 3, 1, 21)]
    plan = AccountPlan(slots=slots, taken=taken, daily_limit=2)
    found = free_slots(plan, NY, utc(2027, 3, 1, 5), count=3)
    assert walls(found, NY) == [
        datetime(2027, 3, 1, 9),
        datetime(2027, 3, 2, 9),
        datetime(2027, 3, 2, 18),
    ]


def test_a_paused_queue_or_one_without_slots_offers_nothing() -> None:
    assert free_slots(AccountPlan(slots=EVERY_DAY, paused=True), NY, utc(2027, 3, 1)) == []
    assert free_slots(AccountPlan(slots=[]), NY, utc(2027, 3, 1)) == []


def test_slots_are_looked_for_up_to_the_horizon() -> None:
    # 1 March 00:00 UTC is still 28 February in New York, whose 09:00 has passed.
    found = free_slots(AccountPlan(slots=EVERY_DAY), NY, utc(2027, 3, 1), count=HORIZON_DAYS + 50)
    assert len(found) == HORIZON_DAYS


def test_common_slots_are_free_on_every_account() -> None:
    monday, wednesday, friday = 0, 2, 4
    a = AccountPlan(slots=[(monday, time(9)), (wednesday, time(9))])
    b = AccountPlan(
        slots=[(wednesday, time(9)), (friday, time(9))],
        taken=[local(NY, 2027, 3, 3, 9)],
    )
    found = common_free_slots([a, b], NY, utc(2027, 3, 1), count=2)
    assert walls(found, NY) == [datetime(2027, 3, 10, 9), datetime(2027, 3, 17, 9)]
    assert common_free_slots([a, AccountPlan(slots=[(friday, time(9))])], NY, utc(2027, 3, 1)) == []


def test_slot_instants_lists_a_week() -> None:
    found = slot_instants([(0, time(9)), (0, time(17))], NY, utc(2027, 3, 1, 15), days=7)
    assert walls(found, NY) == [
        datetime(2027, 3, 1, 17),
        datetime(2027, 3, 8, 9),
        datetime(2027, 3, 8, 17),
    ]


def test_share_next_pushes_the_queue_back_one_slot_until_a_gap_absorbs_it() -> None:
    slots = [(d, t) for d in range(7) for t in (time(9), time(13))]
    queue = {
        "p1": local(NY, 2027, 3, 1, 9),
        "p2": local(NY, 2027, 3, 1, 13),
        # 2 March 09:00 is free.
        "p3": local(NY, 2027, 3, 2, 13),
    }
    items = [QueueItem("new", ("acct",))] + [
        QueueItem(key, ("acct",), instant) for key, instant in queue.items()
    ]
    placed = reslot(items, {"acct": AccountPlan(slots=slots)}, NY, utc(2027, 3, 1, 5))
    assert {k: from_utc(v, NY).replace(tzinfo=None) for k, v in placed.items() if v} == {
        "new": datetime(2027, 3, 1, 9),
        "p1": datetime(2027, 3, 1, 13),
        "p2": datetime(2027, 3, 2, 9),
        "p3": datetime(2027, 3, 2, 13),
    }


def test_re_slotting_never_moves_a_post_earlier() -> None:
    later = local(NY, 2027, 3, 5, 9)
    placed = reslot(
        [QueueItem("p", ("a",), later)],
        {"a": AccountPlan(slots=EVERY_DAY)},
        NY,
        utc(2027, 3, 1),
    )
    assert placed == {"p": later}
