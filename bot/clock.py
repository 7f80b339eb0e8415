"""The one clock of the bot, and how a turn knows what "now" is.

A rehearsal (`--now 2016-07-11T09:30`) starts the clock at that instant and lets it run on, so
organisers can try the bot against an agenda that is months away. The same offset shifts the
channel's activity timestamps, which are the turn's "now" when present.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


def _system_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Clock:
    """Wall-clock time shifted by a fixed rehearsal offset."""

    offset: timedelta = timedelta(0)
    source: Callable[[], datetime] = field(default=_system_now, repr=False)

    @classmethod
    def starting_at(cls, start: datetime, source: Callable[[], datetime] = _system_now) -> Clock:
        if start.tzinfo is None:
            raise ValueError("the rehearsal start must be tz-aware")
        return cls(offset=start - source(), source=source)

    def now(self) -> datetime:
        return self.source() + self.offset

    def turn_now(self, stamped: datetime | None) -> datetime:
        """The "now" of a turn: the channel's timestamp if any, else the clock; both shifted."""
        if stamped is None:
            return self.now()
        if stamped.tzinfo is None:
            stamped = stamped.replace(tzinfo=UTC)
        return stamped + self.offset
