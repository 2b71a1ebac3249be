"""Time zone names: validation and the suggestions shown while a member types."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from functools import cache

from bot.errors import UserError

MAX_SUGGESTIONS = 25

# Where most members are likely to live; shown first when they match.
COMMON_ZONES = (
    "UTC",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Toronto",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "America/Bogota",
    "America/Argentina/Buenos_Aires",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Rome",
    "Europe/Warsaw",
    "Europe/Stockholm",
    "Europe/Athens",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Manila",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Sydney",
    "Pacific/Auckland",
)


@cache
def all_zone_names() -> tuple[str, ...]:
    """Canonical IANA names (Area/City and UTC), without the legacy aliases."""
    names = {
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix", "right"))
    }
    names.add("UTC")
    return tuple(sorted(names))


def suggest_zones(query: str, names: Iterable[str] | None = None) -> list[str]:
    """Names containing `query` (case and separators ignored), common zones first, 25 at most."""
    pool = list(all_zone_names() if names is None else names)
    needle = query.strip().lower().replace(" ", "_")
    matches = [name for name in pool if needle in name.lower()]
    common = [name for name in COMMON_ZONES if name in matches]
    rest = [name for name in matches if name not in COMMON_ZONES]
    return (common + rest)[:MAX_SUGGESTIONS]


def parse_zone(raw: str) -> zoneinfo.ZoneInfo:
    name = raw.strip()
    try:
        # IANA names are short; refusing long ones early keeps odd input away from the disk.
        if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return zoneinfo.ZoneInfo(name)
    except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
        raise UserError("zone", raw=name) from None
