"""The audit period: two instants in UTC, both inclusive.

A SOC 2 Type II report covers a fixed window, so the window is explicit and
exact: a date alone means the whole day (``--until 2026-12-31`` ends at
23:59:59.999 UTC), and commits are placed in it by their committer date, the
moment the change entered history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

#: Bucket sizes of the report's time series, by the length of the period.
WEEKS_UP_TO_DAYS = 26 * 7
MONTHS_UP_TO_DAYS = 3 * 366


class PeriodError(ValueError):
    """A date that cannot be read, or a window that ends before it starts."""


def _parse(value: str, *, end: bool) -> datetime:
    text = value.strip()
    try:
        if len(text) == 10:  # YYYY-MM-DD: the whole day
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.max if end else time.min, UTC)
            return moment.replace(microsecond=999000) if end else moment
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise PeriodError(
            f"{value!r} is not a date (use YYYY-MM-DD or an ISO 8601 date and time)"
        ) from exc
    if parsed.tzinfo is None:  # a bare time is taken as UTC, never as local time
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def iso(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z`` (seconds, or milliseconds when there are any)."""
    spec = "milliseconds" if moment.microsecond else "seconds"
    return moment.astimezone(UTC).isoformat(timespec=spec).replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Period:
    since: datetime
    until: datetime

    def contains(self, moment: datetime) -> bool:
        return self.since <= moment <= self.until

    def weeks(self) -> list[date]:
        """The Monday of every ISO week the period touches, in order."""
        first = self.since.date() - timedelta(days=self.since.weekday())
        out: list[date] = []
        day = first
        while day <= self.until.date():
            out.append(day)
            day += timedelta(days=7)
        return out

    @property
    def bucket(self) -> str:
        """How the report groups commits over time, from the period's length: weeks up to
        half a year, months up to three years, quarters beyond (a readable chart either way)."""
        days = (self.until - self.since).days
        if days <= WEEKS_UP_TO_DAYS:
            return "week"
        if days <= MONTHS_UP_TO_DAYS:
            return "month"
        return "quarter"

    def to_dict(self) -> dict[str, Any]:
        return {"since": iso(self.since), "until": iso(self.until)}


def parse_period(since: str, until: str) -> Period:
    """The period from two command-line dates; PeriodError says what is wrong."""
    start, stop = _parse(since, end=False), _parse(until, end=True)
    if stop < start:
        raise PeriodError(f"--until {until} is before --since {since}")
    return Period(start, stop)


def week_of(moment: datetime) -> date:
    """Monday (UTC) of the ISO week ``moment`` falls in."""
    day = moment.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def bucket_of(moment: datetime, bucket: str) -> date:
    """First day of the week (Monday), month or quarter that ``moment`` (UTC) falls in."""
    day = moment.astimezone(UTC).date()
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def bucket_label(start: date, bucket: str) -> str:
    """``2026-W46``, ``2026-11`` or ``2026-Q4``."""
    if bucket == "week":
        return week_label(start)
    if bucket == "month":
        return f"{start.year}-{start.month:02d}"
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
