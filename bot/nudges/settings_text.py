"""What the bot says about an attendee's nudge settings, in their language."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.nudges.planner import NudgeSettings
from bot.replies import Replies


def moment_text(when: datetime, now: datetime, zone: ZoneInfo, replies: Replies) -> str:
    """ "15:00" today, "Tue 12 Jul 09:00" on another day (in the conference's zone)."""
    local = when.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return replies.time(local)
    return f"{replies.day(local)} {replies.time(local)}"


def clock_text(at: time, now: datetime, zone: ZoneInfo, replies: Replies) -> str:
    """A time of day as the language writes it ("08:00", "8 h")."""
    return replies.time(datetime.combine(now.astimezone(zone).date(), at, tzinfo=zone))


def settings_text(
    settings: NudgeSettings, replies: Replies, *, now: datetime, zone: ZoneInfo, digest_at: time
) -> str:
    """ "Reminders are on: 10 minutes before each session on your shortlist. Muted until
    15:00. Morning summary at 08:00." (the parts that apply)."""
    if not settings.enabled:
        text = replies.reminders_off
    else:
        text = replies.reminders_on.format(minutes=round(settings.lead.total_seconds() / 60))
        if settings.muted_until is not None and settings.muted_at(now):
            text += replies.reminders_muted_note.format(
                when=moment_text(settings.muted_until, now, zone, replies)
            )
    if settings.digest:
        text += replies.digest_note.format(time=clock_text(digest_at, now, zone, replies))
    return text
