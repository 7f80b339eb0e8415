"""Shortlist commands in words, English and French: "add the SMB one", "remove the keynote",
"clear my list", "ajoute la session sur Azure", "show my shortlist", "export my shortlist",
and reminder settings: "remind me 15 minutes before", "mute until 3pm", "résumé du matin"…

Parsing is pure: it says what the attendee wants done and to what ("the SMB one" -> target
"smb"; "the second one" -> ordinal 2). Finding the session and changing the list is the
caller's job. A mute's end needs the turn's clock and the conference's zone, so the command
keeps the attendee's words (`Command.until`) and `mute_until` reads them at the turn's "now".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from catalogue.text import fold_words
from catalogue.timeparse import parse_time

MAX_COMMAND = 300


class Action(StrEnum):
    ADD = "add"
    REMOVE = "remove"
    CLEAR = "clear"
    SHOW = "show"
    NEXT = "next"
    EXPORT = "export"
    MORE = "more"
    REMINDERS = "reminders"


@dataclass(frozen=True, slots=True)
class Command:
    action: Action
    target: str = ""
    ordinal: int | None = None
    """1-based position in the sessions last offered ("the second one", "add 2", "add it")."""
    minutes: int | None = None
    """With REMINDERS: how long before a session to nudge ("remind me 15 minutes before")."""
    enabled: bool | None = None
    """With REMINDERS: reminders turned on (True) or off (False); on also ends a mute."""
    until: str = ""
    """With REMINDERS: the attendee's words muting reminders until a time ("mute until 3pm",
    "pas de rappels avant 15h"), as they wrote them; `mute_until` says when that is."""
    digest: bool | None = None
    """With REMINDERS: the morning summary of the day's shortlist on (True) or off (False).

    A REMINDERS command with none of its fields set asks how reminders are set up."""


_LIST = r"(?:short ?list|list|liste|selection|agenda|schedule|programme|planning|favou?rites?)"
_MY = r"(?:my|ma|mon|mes)"
_CLEAR = re.compile(
    rf"^(?:please )?(?:clear|empty|reset|wipe|vide[rz]?|efface[rz]?|reinitialise[rz]?)"
    rf"(?: (?:out|all of|tout|toute))? {_MY} {_LIST}$"
    rf"|^(?:remove|delete|supprime[rz]?|enleve[rz]?) (?:everything|all|tout)"
    rf"(?: (?:from|of|de|dans) {_MY} {_LIST})?$"
)
_EXPORT = re.compile(
    rf"\b(?:export\w*|download|telecharge\w*|ical|ics|calendar|calendrier|outlook)\b.*{_LIST}"
    rf"|^{_MY} {_LIST} (?:in|as|en|dans) (?:ical|ics|outlook|google|calendar|calendrier)"
    rf"|^(?:export\w*|download|telecharge\w*)$"
)
_NEXT = re.compile(
    rf"\bnext\b.*\b(?:on|in|from) {_MY} {_LIST}"
    rf"|\b{_MY} next (?:session|talk)"
    rf"|\b{_MY} prochaine? (?:session|conference|talk)"
    rf"|\bprochaine? (?:session|conference)? ?(?:de|dans|sur) {_MY} {_LIST}"
)
_SHOW = re.compile(
    rf"^(?:please )?(?:show|see|view|display|open|list|check|what s on|whats on|what is on|"
    rf"what s in|whats in|what is in|affiche[rz]?|montre[rz]?|voir|vois|donne)?"
    rf"(?: ?(?:me|moi))? ?{_MY} {_LIST}$"
    rf"|^(?:qu est ce qu il y a|quoi) (?:dans|sur) {_MY} {_LIST}$"
)
_MORE = re.compile(
    r"^(?:and )?(?:more|show more|next page|see more|plus|encore|et plus|voir plus|"
    r"afficher plus|autres?|others?|any more|more please)$"
)
_ADD = re.compile(
    r"^(?:please |can you |could you |peux tu |pouvez vous )?"
    r"(?:add|save|bookmark|keep|shortlist|star|put|ajoute[rz]?|garde[rz]?|enregistre[rz]?|"
    r"mets?|mettre|retiens?)\b(?P<target>.*)$"
)
_REMOVE = re.compile(
    r"^(?:please |can you |could you |peux tu |pouvez vous )?"
    r"(?:remove|delete|drop|unstar|take|retire[rz]?|enleve[rz]?|supprime[rz]?|ote[rz]?)"
    r"\b(?P<target>.*)$"
)
_TO_MY_LIST = re.compile(
    rf"\s*\b(?:to|on|onto|in|into|from|off|off of|out of|a|au|dans|sur|de|du|from) {_MY} "
    rf"{_LIST}\b\s*|\s*\b(?:for me|pour moi|please|svp|s il te plait|s il vous plait)\b\s*"
)
_FILLERS = re.compile(
    r"^(?:the|a|an|le|la|les|l|un|une|this|that|ce|cette|cet)\s+"
    r"|\s+(?:one|session|talk|talks|sessions|conference)$"
    r"|^(?:session|talk|conference|one)\s+(?:about|on|sur|de|du|des|about the)\s+"
    r"|^(?:about|on|sur|de|du|des)\s+"
)
_ORDINAL_FILLERS = re.compile(r"^(?:the|le|la|l)\s+|(?<!this)(?<!that)\s+one$")
_ORDINALS = {
    "it": 1, "this": 1, "that": 1, "this one": 1, "that one": 1, "ca": 1, "celle ci": 1,
    "celle la": 1, "cette session": 1, "la": 1,
    "first": 1, "1st": 1, "premier": 1, "premiere": 1, "1": 1, "number 1": 1,
    "second": 2, "2nd": 2, "deuxieme": 2, "seconde": 2, "2": 2, "number 2": 2,
    "third": 3, "3rd": 3, "troisieme": 3, "3": 3, "number 3": 3,
    "fourth": 4, "4th": 4, "quatrieme": 4, "4": 4, "number 4": 4,
    "fifth": 5, "5th": 5, "cinquieme": 5, "5": 5, "number 5": 5,
    "sixth": 6, "6th": 6, "sixieme": 6, "6": 6, "number 6": 6,
    "seventh": 7, "7th": 7, "septieme": 7, "7": 7, "number 7": 7,
    "eighth": 8, "8th": 8, "huitieme": 8, "8": 8, "number 8": 8,
}  # fmt: skip


def parse_command(question: str) -> Command | None:
    """The shortlist command in `question`, or None when it is not one."""
    text = fold_words(question[:MAX_COMMAND])
    if not text:
        return None
    reminders = _reminders(text, question[:MAX_COMMAND])
    if reminders is not None:
        return reminders
    if _CLEAR.search(text):
        return Command(Action.CLEAR)
    if _EXPORT.search(text):
        return Command(Action.EXPORT)
    if _NEXT.search(text):
        return Command(Action.NEXT)
    if _SHOW.search(text):
        return Command(Action.SHOW)
    if _MORE.search(text):
        return Command(Action.MORE)
    for pattern, action in ((_ADD, Action.ADD), (_REMOVE, Action.REMOVE)):
        match = pattern.search(text)
        if match:
            return _targeted(action, match.group("target"))
    return None


_REMINDER = r"(?:reminders?|nudges?|notifications?|alerts?|rappels?|alertes?)"
_LEAD = re.compile(
    r"\b(?:remind|nudge|notify|warn|tell|ping|alert|previens|previens moi|rappelle|rappelle moi|"
    r"avertis|avertis moi|prevenez|rappelez)\b.*?\b(?P<minutes>\d{1,3}) ?"
    r"(?:minutes?|mins?|mn|m)\b.*\b(?:before|ahead|earlier|avant|a l avance)\b"
)
# A mute is "no reminders" said with an end: "mute until 3pm", "silence jusqu'à demain 9h",
# "pas de rappels avant 15h", "don't remind me for an hour". Without an end, "mute reminders"
# stays what it was before mutes existed: reminders off (`_OFF`).
_MUTE_WORD = (
    rf"(?:mute|silence|snooze|hush|sourdine|do not disturb|ne pas deranger"
    rf"|(?:stop|no|pause|hold|turn off|switch off|disable|suspend|pas de|plus de|aucun|aucune"
    rf"|coupe|couper|arrete|arreter|desactive|desactiver|suspends?|mets en pause)"
    rf"(?: (?:the|my|all|any|les|mes|tous les|de|d))? {_REMINDER}"
    rf"|(?:don t|do not|dont|never) (?:remind|nudge|notify|ping|bother|disturb) me"
    rf"|ne me (?:rappelle|previens|derange|notifie)\w* (?:pas|plus|rien))"
)
_MUTE = re.compile(
    rf"\b{_MUTE_WORD}\b.*\b(?:until|till|til|up to|jusqu|before|avant|pendant|durant"
    rf"|for(?! me\b| us\b| now\b))\b"
)
_OFF = re.compile(
    rf"\b(?:stop|turn off|switch off|disable|mute|no more|pause|arrete|arreter|desactive|"
    rf"desactiver|coupe|couper|plus de|pas de)\b(?: (?:the|my|all|les|mes|tous les))? {_REMINDER}\b"
    rf"|\b{_REMINDER} off\b"
)
_ON = re.compile(
    rf"\b(?:start|turn on|switch on|enable|resume|active|activer|reactive|reactiver|remets)\b"
    rf"(?: (?:the|my|les|mes))? {_REMINDER}\b|\b{_REMINDER} on\b"
    rf"|^(?:please )?(?:unmute|unsnooze|unpause)\b|\bfin de la (?:sourdine|pause)\b"
)
# Questions about the settings, checked before `_ON` / `_OFF` ("are my reminders on?").
_STATUS = re.compile(
    rf"\b{_REMINDER} (?:settings?|preferences?|status)\b"
    rf"|^(?:what are |show |check |see )?(?:my )?{_REMINDER} settings?$"
    rf"|^(?:are|is) (?:my |the )?{_REMINDER} (?:on|off|enabled|disabled|muted|active)\b"
    rf"|^(?:how are|how do|what about) (?:my |the )?{_REMINDER}\b"
    rf"|\b(?:reglages?|parametres?|preferences?) (?:des|de mes|de|pour les|pour mes) {_REMINDER}"
    rf"|^(?:est ce que )?(?:mes|les) {_REMINDER} sont (?:ils )?(?:actives?|en pause|coupes?)\b"
    rf"|^(?:(?:my|mes|show my|montre mes|voir mes) )?{_REMINDER}$"  # "reminders" alone too
)
_DIGEST = (
    r"(?:(?:morning|daily|day s|days) (?:summary|digest|briefing|brief|recap|rundown)"
    r"|(?:summary|digest|briefing|recap) (?:each|every) morning"
    r"|(?:resume|recap|recapitulatif|programme|point) (?:du matin|quotidien|de la journee)"
    r"|(?:resume|recap|recapitulatif) (?:chaque|tous les) matins?)"
)
_DIGEST_OFF = re.compile(
    rf"\b(?:stop|no|no more|turn off|switch off|disable|cancel|unsubscribe|don t|do not|dont"
    rf"|pas de|plus de|arrete|arreter|desactive|desactiver|supprime|annule|coupe)\b.*\b{_DIGEST}\b"
    rf"|\b{_DIGEST} off\b"
)
_DIGEST_ON = re.compile(rf"\b{_DIGEST}\b")
_FOR = re.compile(
    r"\b(for|pendant|durant)(?: the next| les prochaines?)?\b(?!\s+(?:me|us|now)\b)",
    re.IGNORECASE,
)


def _reminders(text: str, question: str) -> Command | None:
    """ "remind me 15 minutes before", "préviens-moi 5 minutes avant", "stop reminders",
    "mute until 3pm", "unmute", "what are my reminder settings", "résumé du matin"."""
    lead = _LEAD.search(text)
    if lead:
        return Command(Action.REMINDERS, minutes=int(lead.group("minutes")), enabled=True)
    if _DIGEST_OFF.search(text):
        return Command(Action.REMINDERS, digest=False)
    if _DIGEST_ON.search(text):
        return Command(Action.REMINDERS, digest=True)
    if _MUTE.search(text):
        return Command(Action.REMINDERS, until=question.strip())
    if _STATUS.search(text):
        return Command(Action.REMINDERS)
    if _OFF.search(text):
        return Command(Action.REMINDERS, enabled=False)
    if _ON.search(text):
        return Command(Action.REMINDERS, enabled=True)
    return None


def mute_until(words: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """When the mute in `words` ends, in `zone`; None when they name no time.

    "until 3pm" -> 15:00 today; "until tomorrow" -> the start of tomorrow; "for an hour" /
    "pendant 30 minutes" -> that long after `now`; "for today" / "for the afternoon" -> the end
    of that span. The result may be in the past ("until 9am" said at noon): the caller decides
    what to say about that.
    """
    during = _FOR.search(words) is not None
    # The time parser reads "in an hour" / "dans une heure", not "for an hour".
    text = _FOR.sub(lambda m: "dans" if m[1].lower() != "for" else "in", words)
    window = parse_time(text, now, zone).window
    if window is None:
        return None
    if window.precise:
        return window.start
    return window.end if during else window.start


def _targeted(action: Action, raw: str) -> Command:
    target = _TO_MY_LIST.sub(" ", f" {raw} ").strip()
    if action is Action.REMOVE:  # "take X off my list"
        target = re.sub(r"^(?:off|out)\s+|\s+(?:off|out)$", "", target)
    ordinal = _ORDINALS.get(_strip_fillers(target, ordinal=True))
    if ordinal is not None:
        return Command(action, ordinal=ordinal)
    return Command(action, target=_strip_fillers(target, ordinal=False))


def _strip_fillers(text: str, *, ordinal: bool) -> str:
    """Drop articles and filler words; for an ordinal keep "one" words like "this one"."""
    pattern = _ORDINAL_FILLERS if ordinal else _FILLERS
    previous = None
    while previous != text:
        previous = text
        text = pattern.sub("", text).strip()
    return text
