"""English."""

from __future__ import annotations

from datetime import date, datetime

from bot.replies.base import Replies

# The names strftime's %a and %b give ("Mon", "Dec"), looked up: strftime costs a C call and a
# format parse each, and every card shows a day and two times. Taken from strftime itself, so
# they are the same words.
_DAYS = tuple(f"{date(2001, 1, day):%a}" for day in range(1, 8))  # 1 Jan 2001: a Monday
_MONTHS = tuple(f"{date(2001, month, 1):%b}" for month in range(1, 13))


def _time(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"  # what %H:%M gives


def _day(moment: datetime) -> str:
    return f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"


ENGLISH = Replies(
    language="en",
    time=_time,
    day=_day,
    welcome="Hi, I'm Hallway, your guide to {conference}. Ask me what's on, in English or French.",
    help=(
        "I know the whole agenda of {conference}. Try:\n\n"
        "- what's on now?\n"
        "- what's next?\n"
        "- what's on after the keynote?\n"
        "- anything about cloud?\n"
        '- a title, a topic or a speaker, e.g. "SMB"'
    ),
    not_understood=(
        "Sorry, I didn't get that. Ask me about the agenda, for example "
        '"what\'s on after the keynote?" or "anything about security?". Type "help" for more.'
    ),
    on_now="On now ({time}): {what}",
    nothing_now="Nothing is on right now ({time}). Coming up next:",
    next_up="Up next at {time}: {what}",
    nothing_next="Nothing else is scheduled after {time}: the conference is over.",
    after="After {anchor} (ends {time}): {what} from {first}",
    after_nothing="Nothing is scheduled after {anchor} (ends {time}).",
    anchor_unknown='I couldn\'t find "{topic}" in the agenda. Try its title or a word from it.',
    found="{what}",
    nothing_found='I found nothing about "{topic}". Try another word, or "what\'s next?".',
    more_count="Showing {shown} of {total}; say “more” for the rest.",
    details="Details",
    same_time="What else is on then?",
    open_link="Open the session page",
    same_time_lead="Also on during {anchor} ({time}): {count} sessions",
    nothing_same_time="Nothing else is on during {anchor} ({time}).",
    session_gone="That session is no longer in the agenda.",
    by="with",
    error="Sorry, something went wrong on my side. Please try again in a moment.",
    add_to_list="Add to my shortlist",
    remove_from_list="Remove from my shortlist",
    added="Added “{title}” ({when}) to your shortlist.",
    already_added="“{title}” is already on your shortlist.",
    removed="Removed “{title}” from your shortlist.",
    not_on_list="I couldn't find “{target}” on your shortlist.",
    conflicts_with="Conflicts with {title}, {time}",
    cleared="Your shortlist is now empty.",
    list_empty=(
        "Your shortlist is empty. Tap “Add to my shortlist” on a session, "
        "or say “add the SMB session”."
    ),
    list_lead="Your shortlist: {what}",
    choose="Several sessions match “{target}”. Which one?",
    which_one="Which session? Ask me about the agenda first, then say “add the second one”.",
    private="Your shortlist is private: ask me about it in a personal chat with me.",
    next_on_list="Next on your shortlist: {title}, {when}.",
    nothing_next_on_list="Nothing on your shortlist is still to come.",
    export_ready="Your shortlist as a calendar file (Outlook, Google or Apple Calendar):",
    export_button="Download my shortlist (.ics)",
    cancelled="Cancelled",
    moved="Moved (was {when})",
    free="Free {start}–{end}",
    no_more="That's all I have for that question.",
    this_one="This one",
    which_anchor="“{topic}” could be {count} sessions at the same time. Which one do you mean?",
    reminders_lead="I'll nudge you {minutes} minutes before each session on your shortlist.",
    reminders_off="Reminders are off. Say “turn reminders on” to get them again.",
    reminders_on="Reminders are on: {minutes} minutes before each session on your shortlist.",
    reminders_bad_lead="Choose a time between 1 and {most} minutes before the session.",
    list_full="Your shortlist is full ({count} sessions). Remove some first.",
    added_mark="On your shortlist ✓",
    removed_mark="Removed from your shortlist",
    before="Before {anchor} (starts {time}): {what}",
    before_nothing="Nothing is scheduled before {anchor} (starts {time}) that day.",
    window_lead="{when}: {what}",
    nothing_in_window="Nothing {what_plain} {when}.",
    when_lead="“{title}” is on {when}{where}.",
    where_lead="“{title}” is in {room} ({when}).",
    who_lead="Speaking about “{topic}”: {names}.",
    presenting_lead="{presenter}: {what}",
    nothing_presenting="I found nothing by “{presenter}” in the agenda.",
    out_of_range="Nothing is scheduled {when}: {conference} runs from {first} to {last}.",
    closest="Closest matches:",
    what="{count} {kind}{about}{room}{language}",
    about=" about “{topic}”",
    in_room=" in {room}",
    at="at",
    sessions_word="sessions",
    session_word="session",
    kind_names={
        "keynote": "keynotes", "talk": "talks", "workshop": "workshops",
        "lightning": "lightning talks", "panel": "panels", "booth": "booths",
        "meetup": "meetups", "meal": "meals", "break": "breaks", "social": "social events",
        "ceremony": "ceremonies", "other": "sessions",
    },
    kind_names_one={
        "keynote": "keynote", "talk": "talk", "workshop": "workshop",
        "lightning": "lightning talk", "panel": "panel", "booth": "booth", "meetup": "meetup",
        "meal": "meal", "break": "break", "social": "social event", "ceremony": "ceremony",
        "other": "session",
    },
    language_names={"fr": " in French", "en": " in English", "de": " in German"},
    parts_of_day={"morning": "morning", "afternoon": "afternoon", "evening": "evening"},
    nudge="Up next at {time}{where}: {title} — starts in {minutes}",
    nudge_where=" in {room}",
    nudge_minutes="{count} minutes",
    nudge_minute="1 minute",
    room_unknown="a room to be announced",
    numbered_room="Room {room}",
    reminders_muted="Reminders muted until {when}. Say “unmute” to get them back sooner.",
    reminders_muted_note=" Muted until {when}.",
    reminders_mute_past=(
        "{when} has already passed. Tell me a later time, for example “mute until 17:00” "
        "or “mute until tomorrow 9am”."
    ),
    reminders_mute_unclear=(
        "Until when? Say for example “mute reminders until 15:00”, “mute for an hour” "
        "or “mute until tomorrow 9am”."
    ),
    digest_on=(
        "Every morning at {time} I'll send you the day's sessions from your shortlist. "
        "Say “stop the morning summary” to stop it."
    ),
    digest_off="No more morning summary.",
    digest_note=" Morning summary at {time}.",
    digest_lead="Good morning! {day} on your shortlist: {count} {kind}",
    reminders_private=(
        "Your reminder settings are private: ask me about them in a personal chat with me."
    ),
    settings_title="Your reminders",
    settings_reminders="Reminders",
    settings_lead="Before each session",
    settings_muted="Muted until",
    settings_digest="Morning summary",
    settings_on="On",
    settings_off="Off",
    settings_lead_value="{minutes} minutes",
    settings_digest_off="Off",
    settings_turn_on="Turn reminders on",
    settings_turn_off="Turn reminders off",
    settings_lead_heading="Remind me before each session:",
    settings_lead_choice="{minutes} min",
    settings_mute_hour="Mute for an hour",
    settings_mute_tomorrow="Mute until tomorrow {time}",
    settings_unmute="Unmute",
    settings_digest_on="Send me a morning summary",
    settings_digest_stop="Stop the morning summary",
    notice_time="Schedule change: “{title}” has moved from {before} to {after}.",
    notice_room="Schedule change: “{title}” has moved from {before_room} to {after_room} ({when}).",
    notice_both=(
        "Schedule change: “{title}” has moved from {before} in {before_room} "
        "to {after} in {after_room}."
    ),
    notice_cancelled="Schedule change: “{title}” ({when}) has been cancelled.",
)  # fmt: skip
