"""The shape of a language: phrases plus date and time formatting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Replies:
    language: str
    time: Callable[[datetime], str]
    day: Callable[[datetime], str]
    welcome: str
    help: str
    not_understood: str
    on_now: str
    nothing_now: str
    next_up: str
    nothing_next: str
    after: str
    after_nothing: str
    anchor_unknown: str
    found: str
    nothing_found: str
    more_count: str
    details: str
    same_time: str
    open_link: str
    same_time_lead: str
    nothing_same_time: str
    session_gone: str
    by: str
    error: str

    def time_range(self, start: datetime, end: datetime) -> str:
        return f"{self.day(start)} {self.time(start)}–{self.time(end)}"
