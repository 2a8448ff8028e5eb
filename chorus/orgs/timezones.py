from __future__ import annotations

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@cache
def available() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(name: str, field: str = "time_zone") -> str:
    if name not in available():
        raise ValidationError(
            {
                field: _(
                    "“%(zone)s” is not an IANA time zone, such as Europe/Berlin or Asia/Vientiane."
                )
                % {"zone": name}
            }
        )
    return name
