"""Reading the date and time cells of each format, with an error that says what was
expected instead of "invalid date".

Hootsuite: the upload dialog has you choose the file's date format; the sources show
`mm/dd/yyyy hh:mm` (24-hour, e.g. 05/13/2016 19:00). Chorus offers that, dd/mm/yyyy and
yyyy-mm-dd. Excel drops leading zeros when a cell keeps its default format (5/3/2016 9:00),
so they are optional; the year must have four digits and the time 24 hours, since
neither a century nor "AM" may be guessed.

Chorus: ISO 8601 local time, `2027-05-13 19:00` (or with a T, or with seconds), with an
optional UTC offset (`+02:00`, `Z`) that only serves to pick the instant of a time the
clocks show twice.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from chorus.publishing.bulk.rows import DateOrder


class DateProblem(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_HOOTSUITE = re.compile(
    r"^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?$"
)
_CLOCK_12 = re.compile(r"\d\s*([ap]\.?m\.?)$", re.IGNORECASE)
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*(Z|[+-]\d{2}:?\d{2}))?$"
)
PATTERNS = {
    DateOrder.MDY: ("MM/DD/YYYY HH:MM", "05/13/2027 19:00"),
    DateOrder.DMY: ("DD/MM/YYYY HH:MM", "13/05/2027 19:00"),
    DateOrder.YMD: ("YYYY-MM-DD HH:MM", "2027-05-13 19:00"),
}


def parse_hootsuite(value: str, order: DateOrder) -> datetime:
    value = value.strip()
    pattern, example = PATTERNS[order]
    if not value:
        raise DateProblem(
            "required",
            _("Each row starts with the date and time, such as %(example)s.")
            % {"example": example},
        )
    if _CLOCK_12.search(value):
        raise DateProblem(
            "invalid_date_format",
            _("“%(value)s” uses AM/PM; write the time on the 24-hour clock (%(example)s).")
            % {"value": value, "example": example},
        )
    match = _HOOTSUITE.match(value)
    if not match:
        raise DateProblem(
            "invalid_date_format",
            _("“%(value)s” is not a date and time in the form %(pattern)s, such as %(example)s.")
            % {"value": value, "pattern": pattern, "example": example},
        )
    first, _sep, second, third, hour, minute, sec = match.groups()
    parts = {
        DateOrder.MDY: (third, first, second),
        DateOrder.DMY: (third, second, first),
        DateOrder.YMD: (first, second, third),
    }[order]
    year, month, day = parts
    if order != DateOrder.YMD and len(first) == 4:
        raise DateProblem(
            "invalid_date",
            _("“%(value)s” starts with the year: choose the YYYY-MM-DD date format when uploading.")
            % {"value": value},
        )
    if len(year) != 4:
        raise DateProblem(
            "invalid_date_format",
            _("“%(value)s”: write the year with four digits, in the form %(pattern)s.")
            % {"value": value, "pattern": pattern},
        )
    if order == DateOrder.MDY and int(month) > 12 >= int(day):
        raise DateProblem(
            "invalid_date",
            _(
                "“%(value)s” has no month %(month)s. The file seems to write the day first: "
                "choose the DD/MM/YYYY date format when uploading."
            )
            % {"value": value, "month": month},
        )
    if order == DateOrder.DMY and int(month) > 12 >= int(day):
        raise DateProblem(
            "invalid_date",
            _(
                "“%(value)s” has no month %(month)s. The file seems to write the month first: "
                "choose the MM/DD/YYYY date format when uploading."
            )
            % {"value": value, "month": month},
        )
    return _build(value, year, month, day, hour, minute, sec)


def parse_iso(value: str) -> tuple[datetime, timedelta | None]:
    """A wall-clock time and the UTC offset written after it, if any."""
    value = value.strip()
    match = _ISO.match(value)
    if not match:
        raise DateProblem(
            "invalid_date_format",
            _(
                "“%(value)s” is not a date and time in the form YYYY-MM-DD HH:MM, "
                "such as 2027-05-13 19:00."
            )
            % {"value": value},
        )
    year, month, day, hour, minute, sec, offset = match.groups()
    local = _build(value, year, month, day, hour, minute, sec)
    return local, _offset(value, offset)


def _build(
    value: str, year: str, month: str, day: str, hour: str, minute: str, sec: str | None
) -> datetime:
    if int(hour) > 23 or int(minute) > 59 or int(sec or 0) > 59:
        raise DateProblem(
            "invalid_time",
            _("“%(value)s”: the time must be between 00:00 and 23:59.") % {"value": value},
        )
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(sec or 0))
    except ValueError:
        raise DateProblem(
            "invalid_date",
            _("“%(value)s” is not a day of the calendar (check the month and the day).")
            % {"value": value},
        ) from None


def _offset(value: str, written: str | None) -> timedelta | None:
    if written is None:
        return None
    if written == "Z":
        return timedelta(0)
    sign = -1 if written[0] == "-" else 1
    digits = written[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise DateProblem(
            "invalid_offset", _("“%(value)s” has an impossible UTC offset.") % {"value": value}
        )
    return sign * timedelta(hours=hours, minutes=minutes)


def write_hootsuite(local: datetime, order: DateOrder) -> str:
    if order == DateOrder.MDY:
        return local.strftime("%m/%d/%Y %H:%M")
    if order == DateOrder.DMY:
        return local.strftime("%d/%m/%Y %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def write_iso(local: datetime, offset: timedelta | None = None) -> str:
    text = local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")
    if offset is None:
        return text
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{text}{sign}{hours:02d}:{rest:02d}"
