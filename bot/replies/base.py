"""The shape of a language: phrases plus date and time formatting."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    add_to_list: str
    remove_from_list: str
    added: str
    already_added: str
    removed: str
    not_on_list: str
    conflicts_with: str
    cleared: str
    list_empty: str
    list_lead: str
    choose: str
    which_one: str
    private: str
    next_on_list: str
    nothing_next_on_list: str
    export_ready: str
    export_button: str
    cancelled: str
    moved: str
    free: str
    no_more: str
    list_full: str
    reminders_lead: str
    reminders_off: str
    reminders_on: str
    reminders_bad_lead: str
    this_one: str
    which_anchor: str
    added_mark: str
    removed_mark: str
    before: str
    before_nothing: str
    window_lead: str
    nothing_in_window: str
    when_lead: str
    where_lead: str
    who_lead: str
    presenting_lead: str
    nothing_presenting: str
    out_of_range: str
    closest: str
    what: str
    about: str
    in_room: str
    at: str
    sessions_word: str
    session_word: str
    kind_names: Mapping[str, str]
    kind_names_one: Mapping[str, str]
    language_names: Mapping[str, str]
    parts_of_day: Mapping[str, str]
    nudge: str
    """Before a shortlisted session: {time}, {where} (may be empty), {title}, {minutes}."""
    nudge_where: str
    nudge_minutes: str
    nudge_minute: str
    numbered_room: str
    room_unknown: str
    """A session without a room, in a schedule-change notice."""
    """A room whose name is a number: "Room {room}", "salle {room}"."""
    reminders_muted: str
    """{when}: the end of the mute, a time today or a day and a time."""
    reminders_muted_note: str
    """Added to the settings when a mute is on: {when}."""
    reminders_mute_past: str
    reminders_mute_unclear: str
    digest_on: str
    """{time}: the local time of the morning summary."""
    digest_off: str
    digest_note: str
    """Added to the settings when the morning summary is on: {time}."""
    digest_lead: str
    """The morning summary: {day}, {count} and {kind} ("sessions")."""
    reminders_private: str
    """In a group: the reminder settings are shown in a personal chat only."""
    settings_title: str
    """The settings card's heading."""
    settings_reminders: str
    settings_lead: str
    settings_muted: str
    settings_digest: str
    """Labels of the card's facts: reminders, lead time, mute end, morning summary."""
    settings_on: str
    settings_off: str
    """The reminders' state in the card ("On", "Activés")."""
    settings_lead_value: str
    """{minutes}: the lead time as a fact ("10 minutes")."""
    settings_digest_off: str
    """The morning summary's state when off (its time when on)."""
    settings_turn_on: str
    settings_turn_off: str
    """The one reminders on/off button, as it reads in each state."""
    settings_lead_heading: str
    settings_lead_choice: str
    """{minutes}: a lead time button ("15 min"); the current one is marked."""
    settings_mute_hour: str
    settings_mute_tomorrow: str
    """{time}: when "tomorrow morning" begins."""
    settings_unmute: str
    settings_digest_on: str
    settings_digest_stop: str
    notice_time: str
    """A shortlisted session moved in time: {title}, {before}, {after} (day and times)."""
    notice_room: str
    """... changed room: {title}, {before_room}, {after_room}, {when}."""
    notice_both: str
    """... changed time and room: {title}, {before}, {before_room}, {after}, {after_room}."""
    notice_cancelled: str
    """... was cancelled: {title}, {when} (with the room when it had one)."""

    def kind_label(self, kind: str | None, count: int) -> str:
        """ "sessions", "workshops"; "session", "workshop" for one."""
        names = self.kind_names_one if count == 1 else self.kind_names
        default = self.session_word if count == 1 else self.sessions_word
        return names.get(kind or "", default)

    def time_range(self, start: datetime, end: datetime) -> str:
        return f"{self.day(start)} {self.time(start)}–{self.time(end)}"
