"""English and French time expressions in attendees' questions.

`parse_time(question, now, zone)` finds the time words of a question ("tomorrow afternoon",
"mercredi à 14h", "after the keynote", "what's next") and returns what they mean as a window in
the conference's time zone, plus the question with those words removed so the caller can search
the rest as a topic. It is a pure function: no I/O, no clock; `now` is always passed in.

Rules (chosen for a conference, where questions are about the coming days and daytime):

- Parts of the day: morning 06:00-12:00, afternoon 12:00-18:00, evening 18:00-24:00;
  "tonight" / "ce soir" = this evening. "early" / "en début de" is the first half, "late" /
  "en fin de" the second half. "night" counts as evening after a day ("tomorrow night") and in
  "last night" / "cette nuit".
- Clock times without am/pm: 0 and 13-23 are 24-hour times, 12 is noon, 8-11 are the morning,
  and 1-7 are the afternoon (13:00-19:00) -- nobody asks a conference bot about 3 in the night.
  A part of the day overrides that ("tomorrow morning at 7" is 07:00, "ce soir à 8h" 20:00), and
  so does a leading zero ("07:00", "07h"). A lone number is a time only after "at", "à",
  "vers", "around", "@", "after", "avant"... ("at 9") or before a part of the day ("3 in the
  afternoon", "8 du soir"). "midnight" / "minuit" is the end of the day (00:00 the next day).
  A time is a precise window [t, t + 1 minute); "from 2 to 4pm" / "de 14h à 16h" a range.
- Days: a weekday name means the next such day on or after today (today if it is that day);
  "next wednesday" / "mercredi prochain" the first one strictly after today; "last wednesday" /
  "mercredi dernier" the latest one strictly before. A day of the month alone ("le 12",
  "the 12th") is the next such date on or after today. A month and day without a year ("July 12",
  "12 juillet") is the occurrence nearest to today (last, this or next year). English weekday
  abbreviations that are also common words ("mon", "sat", "sun") and all French ones ("mer.",
  "jeu.") need their dot.
- Numeric dates "12/07": day/month when the first number is over 12 or the question is French;
  month/day when the second number is over 12; otherwise (an English question and two numbers
  up to 12) whichever reading is nearer to today, month/day on a tie. "2016-07-12" is ISO.
  Dotted dates ("13.07") are not read: they look like version numbers ("Python 3.12").
- A year alone ("in 2031") is the whole year; "in July" / "en juillet" the whole month;
  "this week" / "la semaine prochaine" Monday to Monday. "in 30 minutes" / "dans une heure" is a
  precise window at now + that long.
- A time or part of the day without a day is on today, even if it is already past.
- When a question names several days (or times), the first one mentioned wins, except that a
  date beats a weekday ("Wednesday, July 13, 2031" is in 2031). All of them leave `rest`.
- Anchors: "after X" / "before X" / "during X" / "since X" / "until X" and their French forms
  ("après", "avant", "pendant", "durant", "depuis", "jusqu'à") give `relation` and the folded X
  without its leading article as `anchor_text` ("since" counts as "after", "until" as
  "before"). X ends at punctuation, at a time phrase ("after lunch tomorrow"), at "about" /
  "avec"... and at another relation word. "at lunch" / "au déjeuner" / "à la pause" is "during"
  that meal. A relation word directly before a time phrase ("after 3pm", "avant demain",
  "pendant l'après-midi") sets `relation` with an empty `anchor_text` and the window of that
  phrase. If both occur, the anchor wins; of several anchors the first one counts.
- "after" / "après" at the end ("et après ?"), "after that", "après ça" mean next.
- `is_now` and `is_next` are flags; they do not by themselves make a window.

Everything returned is tz-aware in `zone`. Input longer than MAX_QUESTION characters is cut.
Nothing here reads the clock and dateutil is not used: regular expressions over the question,
lower-cased and without accents like `catalogue.text.fold` but keeping ": / . - @", do it all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from catalogue.language import function_words
from catalogue.text import fold

__all__ = ["MAX_QUESTION", "TimeExpression", "TimeWindow", "parse_time"]

MAX_QUESTION = 500

MORNING = (6 * 60, 12 * 60)
AFTERNOON = (12 * 60, 18 * 60)
EVENING = (18 * 60, 24 * 60)
_PARTS = {"morning": MORNING, "afternoon": AFTERNOON, "evening": EVENING}
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A span of time a question is about, in the conference's time zone."""

    start: datetime
    """Inclusive."""
    end: datetime
    """Exclusive."""
    label: str
    """What was understood: "today", "tomorrow", "afternoon", "at", "date", "weekday",
    "range", "week", "month", "year", "in"... joined with "+" ("tomorrow+afternoon")."""
    precise: bool = False
    """True for an instant ("at 15:00", "in 30 minutes"): the window is [t, t + 1 minute)."""


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """The time constraint of a question and what is left of the question without it."""

    window: TimeWindow | None
    relation: str | None = None
    """"after" | "before" | "during" | None."""
    anchor_text: str = ""
    """The X of "after X", folded, without its article; "" if none."""
    rest: str = ""
    """The folded question without the time words, single-spaced."""
    is_now: bool = False
    is_next: bool = False


# --- normalisation -------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
# Sentence punctuation becomes "," (a boundary for anchors); consumed spans become "|".
_BREAKS = re.compile(r"[,;!?()\[\]{}\"<>«»|¿¡…]+")
_OTHER = re.compile(r"[^\w'.:/,@\-–]+")
_SPACES = re.compile(r"\s+")


def _normalise(text: str) -> str:
    """Like `fold`, but keeps the punctuation that times and dates are made of (: / . - @)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    stripped = _BREAKS.sub(" , ", stripped)
    return _SPACES.sub(" ", _OTHER.sub(" ", stripped)).strip()


# --- vocabulary ----------------------------------------------------------------------------

_WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "lundi": 0, "lun": 0,
    "tuesday": 1, "tue": 1, "tues": 1, "tusday": 1, "tuesay": 1, "mardi": 1, "mar": 1,
    "wednesday": 2, "wed": 2, "weds": 2, "wensday": 2, "wendsday": 2, "wednsday": 2,
    "wedensday": 2, "wedneday": 2, "mercredi": 2, "mer": 2, "merc": 2, "mecredi": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "thrusday": 3, "thursay": 3, "jeudi": 3,
    "jeu": 3,
    "friday": 4, "fri": 4, "fryday": 4, "vendredi": 4, "ven": 4, "vend": 4,
    "saturday": 5, "sat": 5, "saterday": 5, "samedi": 5, "sam": 5,
    "sunday": 6, "sun": 6, "dimanche": 6, "dim": 6,
}  # fmt: skip
# Abbreviations that are ordinary words too ("mon" = my, "jeu" = game): only with a dot.
_DOT_ONLY = frozenset({"mon", "sat", "sun", "lun", "mar", "mer", "merc", "jeu", "ven", "vend",
                       "sam", "dim"})  # fmt: skip
_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "janvier": 1, "janv": 1,
    "february": 2, "feb": 2, "fevrier": 2, "fev": 2, "fevr": 2,
    "march": 3, "mar": 3, "mars": 3,
    "april": 4, "apr": 4, "avril": 4, "avr": 4,
    "may": 5, "mai": 5,
    "june": 6, "jun": 6, "juin": 6,
    "july": 7, "jul": 7, "juillet": 7, "juil": 7,
    "august": 8, "aug": 8, "aout": 8,
    "september": 9, "sep": 9, "sept": 9, "septembre": 9,
    "october": 10, "oct": 10, "octobre": 10,
    "november": 11, "nov": 11, "novembre": 11,
    "december": 12, "dec": 12, "decembre": 12,
}  # fmt: skip
_FULL_MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "janvier", "fevrier", "mars", "avril", "mai", "juin",
     "juillet", "aout", "septembre", "octobre", "novembre", "decembre"}
)  # fmt: skip
_TODAY = frozenset({"today", "2day", "tdy", "aujourd'hui", "aujourd hui", "aujourdhui", "auj",
                    "ajd"})  # fmt: skip
_TOMORROW = frozenset({"tomorrow", "tomorow", "tommorow", "tommorrow", "tomorrw", "tmrw", "tmrow",
                       "tmr", "tmw", "2moro", "2morrow", "2morow", "2mrw", "2mro", "demain",
                       "dmain", "2main"})  # fmt: skip


_WD_WORDS = "|".join(sorted((w for w in _WEEKDAYS if w not in _DOT_ONLY), key=len, reverse=True))
_WD_DOTTED = "|".join(sorted(_DOT_ONLY, key=len, reverse=True))
_WD = rf"(?:(?:{_WD_WORDS})\b\.?|(?:{_WD_DOTTED})\.)"
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_FULL = "|".join(sorted(_FULL_MONTHS, key=len, reverse=True))
# "on" is consumed with the day it introduces, but not the "on" of "what's on".
_ON = r"(?:(?<!what's )(?<!whats )(?<!what is )(?<!anything )(?<!something )(?<!going )on)"
_YEAR = r"(?:19|20)[0-9]{2}"
_NOT_A_TIME = r"(?![\w:/]|\.[0-9]|\s*(?:h|heures?|am|pm|a\.m|p\.m|min|minutes|o'clock)\b)"
_AMPM = r"(?:a\.m\.?|p\.m\.?|am|pm)"
_TOKEN = (
    rf"(?:[0-9]{{1,2}}:[0-9]{{2}}(?:\s*{_AMPM})?"
    r"|[0-9]{1,2}\s*h(?:eures?)?(?:\s*[0-9]{2})?"
    rf"|[0-9]{{1,2}}(?:[.:][0-9]{{2}})?\s*{_AMPM}"
    r"|[0-9]{1,2}\s*o'clock"
    r"|noon|midday|(?<!apres )(?<!apres-)midi|midnight|minuit)(?![\w:])"  # not "bon après-midi"
)
# What may follow "le 12" for it to be a date (not "le 3 sessions").
_DATE_FOLLOW = (
    r"(?=\s*(?:$|[,|.]|(?:a|au|et|ou|pour|sur|dans|qui|quoi|en|de|du|svp|s'il|matin|soir"
    r"|apres|avant|aprem|prochain)\b))"
)
_FOLLOW = (
    r"(?=\s*(?:$|[,|.]|(?:o'clock|in|on|at|for|dans|en|sur|pour|with|avec|and|et|or|ou|please"
    r"|svp|s'il|the|le|la|les|du|de|ce|cet|cette|this|pile|sharp|precises?|what|who|qui|quoi)\b))"
)

# --- patterns, in the order they are tried -------------------------------------------------
#
# Most patterns are a core ("wednesday") and a lead that may come just before it ("on", "le",
# "next"). The lead is matched backwards from the core (`_Scan.lead`): a pattern that starts
# with an optional group is tried at every position of the question, which costs five times more.


def _lead(body: str) -> re.Pattern[str]:
    """A lead ending exactly where its core starts (searched with endpos = core start)."""
    return re.compile(rf"(?<![\w'])(?:{body})$")


_DURATION = re.compile(
    r"\b(?:in|dans)\s+(?:(?P<n>[0-9]{1,3})\s*|(?P<half>half\s+an?|une\s+demi)[\s-]*"
    r"|(?P<one>an|a|one|une?)\s+)(?P<unit>minutes?|mins?|mn|hours?|hrs?|heures?|h)(?![\w])"
)
_DAY_LEAD = _lead(r"(?:for|pour|de|of)\s+|d'")
_COMPOUND = re.compile(
    r"\b(?:(?P<after>(?:the\s+)?day\s+after\s+(?:tomorrow|tmrw|tmr|2moro|2morrow)|overmorrow"
    r"|apres[\s-]*demain)"
    r"|(?P<before>(?:the\s+)?day\s+before\s+yesterday|avant[\s-]*hier))\b"
)
_DMY_LEAD = _lead(rf"(?:(?:{_ON}|for|pour|le|du|the|this)\s+)?(?:the\s+)?")
_DATE_DMY = re.compile(
    r"(?<![\w:/.])(?P<d>[0-9]{1,2}|premier)(?:st|nd|rd|th|er|e|eme)?\s+(?:of\s+|de\s+)?"
    rf"(?P<m>{_MONTH})\b\.?(?:\s*,?\s*(?P<y>{_YEAR})(?![\w:]))?"
)
_DATE_LEAD = _lead(rf"(?:{_ON}|for|pour|le|du|the|this)\s+")
_DATE_MDY = re.compile(
    rf"\b(?P<m>{_MONTH})\b\.?\s+(?:the\s+)?(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?{_NOT_A_TIME}"
    rf"(?:\s*,?\s*(?P<y>{_YEAR})(?![\w:]))?"
)
_DATE_NUMERIC = re.compile(
    r"(?<![\w:/.\-])(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})(?:/(?P<y>[0-9]{4}|[0-9]{2}))?"
    r"(?![\w/:]|\.[0-9])"
)
_DATE_ISO = re.compile(
    rf"(?<![\w:/.\-])(?P<y>{_YEAR})(?P<sep>[-/])(?P<m>[0-9]{{1,2}})(?P=sep)(?P<d>[0-9]{{1,2}})"
    r"(?![\w/:\-])"
)
_DAY_OF_MONTH_LEAD = _lead(rf"(?:{_ON}|for|pour)\s+")
_DAY_OF_MONTH = re.compile(
    rf"\b(?:the\s+(?P<d1>[0-9]{{1,2}})(?:st|nd|rd|th){_NOT_A_TIME}"
    rf"|le\s+(?P<d2>[0-9]{{1,2}}|premier)(?:er)?{_NOT_A_TIME}{_DATE_FOLLOW})"
)
_WEEKDAY_LEAD = _lead(
    rf"(?:(?:{_ON}|for|pour|le|ce|du|de|this\s+coming)\s+)?(?:(?P<mod>next|last|this|coming)\s+)?"
)
_WEEKDAY = re.compile(
    rf"\b(?P<wd>{_WD})(?:\s+(?P<mod2>prochain|dernier|qui\s+vient))?"
    rf"(?:\s+(?:the\s+)?(?P<dom>[0-9]{{1,2}})(?:st|nd|rd|th|er|e)?{_NOT_A_TIME})?"
)
_DAY = re.compile(
    r"\b(?P<w>today|2day|tdy|aujourd'?\s?hui|aujourdhui|auj|ajd|tomorrow|tomorow|tommorow"
    r"|tommorrow|tomorrw|tmrw|tmrow|tmr|tmw|2moro|2morrow|2morow|2mrw|2mro|demain|dmain|2main"
    r"|yesterday|yday|hier)(?:'s)?\b"
)
# A bare hour right before a part of the day: "3 in the afternoon", "8 du soir".
_HOUR_OF_PART = re.compile(
    r"(?<![\w'@:/.])(?P<h>[0-9]{1,2})(?=\s+(?:in\s+the\s+(?:morning|afternoon|evening)"
    r"|du\s+(?:matin|soir)|de\s+l'apres[\s-]*midi|de\s+l'aprem)\b)"
)
_PART_LEAD = _lead(
    r"(?:(?P<lead>this|in\s+the|during\s+the|for\s+the|pour\s+cet?t?e?|dans\s+l'|dans\s+la"
    r"|dans\s+le|de\s+l'|cette|cet|ce|du|de|d'|l'|le|la|en)\s*)?"
    r"(?:(?P<mod>early|late|(?:en\s+)?(?:debut|fin)\s+d(?:e\s+|'))\s*)?"
)
_PART = re.compile(
    r"\b(?<!good )(?<!bon )(?<!bonne )(?P<p>morning|mornin|matinee|matin|afternoon|aft|arvo"
    r"|apres[\s-]*midi|aprem|aprm|evening|eve|soiree|soir|tonight|tonite|2nite|2night)(?:'s)?\b"
)
_NIGHT_LEAD = _lead(r"(?P<lead>last|cette|at|la)\s+")
_NIGHT = re.compile(r"\b(?:night|nite|nuit)\b")
_WEEK = re.compile(
    r"(?:\b(?:for|pour|de)\s+)?\b(?P<a>this|next|last|cette|la)\s+(?:week|semaine)"
    r"(?:\s+(?P<b>prochaine|derniere|pro))?\b"
)
_MONTH_LEAD = _lead(r"(?:in|en|during|au\s+mois\s+d(?:e\s+|')|mois\s+d(?:e\s+|')|for|pour)\s*")
_MONTH_ALONE = re.compile(rf"\b(?P<m>{_MONTH_FULL})\b(?:\s+(?P<y>{_YEAR})(?![\w:]))?")
_YEAR_LEAD = _lead(r"(?:in|en|for|pour|of|de)\s+")
_YEAR_ALONE = re.compile(
    rf"(?<![\w'#/:.\-])(?<!room )(?<!salle )(?<!hall )(?P<y>{_YEAR})(?![\w:/\-]|\.[0-9])"
)
_RANGE_LEAD = _lead(r"(?P<lead>from|between|de|entre)\s+")
_RANGE = re.compile(
    rf"(?<![\w:/.])(?P<a>{_TOKEN}|[0-9]{{1,2}}(?![\w:/.]))"
    r"\s*(?P<sep>-|–|to|till|until|and|a|et|jusqu'a)\s*"
    rf"(?P<b>{_TOKEN}|[0-9]{{1,2}}(?![\w:/]|\.[0-9]))"
)
_CLOCK_LEAD = _lead(r"(?:at|a|vers|around)\s+|@\s*")
_CLOCK = re.compile(rf"(?<![\w:/.])(?P<t>{_TOKEN})")
# A lone number is a time only after one of these ("at 9", "avant 10").
_BARE_CLOCK_LEAD = _lead(
    r"(?P<lead>at|a|vers|around|after|apres|before|avant|since|depuis|until|till|jusqu'a|des"
    r"|from|a\s+partir\s+de)\s+|(?P<at>@)\s*"
)
_BARE_CLOCK = re.compile(rf"(?<![\w:/.])(?P<h>[0-9]{{1,2}})(?![\w:/]|\.[0-9]){_FOLLOW}")
_TOKEN_PARTS = re.compile(
    r"(?P<h>[0-9]{1,2})(?:\s*(?::|h(?:eures?)?|\.)\s*(?P<m>[0-9]{2})?)?\s*(?:o'clock)?"
    rf"\s*(?P<ap>{_AMPM})?"
)
_NOW = re.compile(
    r"\b(?:right\s+now|just\s+now|now|currently|at\s+(?:the|this)\s+moment|presently"
    r"|en\s+ce\s+moment|maintenant|actuellement|en\s+cours|a\s+l'heure\s+actuelle)\b"
)
_NEXT = re.compile(
    r"\b(?:(?:what's|whats|what\s+is|what\s+comes|what)\s+next|up\s+next|coming\s+up(?:\s+next)?"
    r"|upcoming|still\s+to\s+come|next|nxt|(?:and\s+|et\s+)?ensuite|(?:and\s+)?then(?=\s*(?:,|$))"
    r"|la\s+suite|prochaine?s?|plus\s+tard|later|soon|bientot|a\s+venir"
    r"|(?:and\s+)?after\s+(?:that|this|it)|(?:et\s+)?apres\s+(?:ca|cela|ceci)"
    r"|(?:and\s+|et\s+)?(?:after|apres)(?=\s*(?:,|$)))\b"
)
_REL_WORDS = (
    r"after|apres|before|avant|during|pendant|durant|since|depuis|until|till|jusqu'(?:a|au|aux)"
)
_REL_TIME = re.compile(
    r"(?<![\w'])(?P<rel>after|apres|since|depuis|from|starting(?:\s+(?:at|from))?"
    r"|a\s+partir(?:\s+d(?:e|'))?|des|before|avant|until|till|jusqu'(?:a|au|aux)?|during"
    r"|pendant|durant|throughout)\s*(?=\|)"
)
_MEAL = re.compile(
    r"(?<![\w'])(?:(?:at|over|a|au|a\s+la)\s+|a\s+l')(?P<x>lunch\s*time|lunch|dinner|breakfast"
    r"|brunch|petit[\s-]+dejeuner|dejeuner|diner|dej|pause(?:[\s-]+(?:cafe|dejeuner|dej))?"
    r"|coffee\s+break|break)\b"
)
_ANCHOR = re.compile(
    rf"(?<![\w'])(?:(?:and|et|or|ou)\s+)?(?P<rel>{_REL_WORDS})\s+"
    r"(?!(?:party|parties|hours|work|and|et|or|ou)\b)(?P<x>[^,|]+)"
)
_ANCHOR_STOP = re.compile(
    r"\s(?:about|regarding|concerning|related\s+to|a\s+propos|au\s+sujet|concernant|with|avec"
    rf"|please|svp|s'il|(?:(?:and|et|or|ou)\s+)?(?:{_REL_WORDS}))(?=\s|$)"
)
_ARTICLE = re.compile(
    r"^(?:(?:the|a|an|this|that|my|our|your|le|la|les|un|une|des|du|de|ce|cet|cette|mon|ma|mes"
    r"|notre|votre|au|aux)(?:\s+|$)|l'|d')"
)
_JUST_THAT = frozenset({"that", "this", "it", "ca", "cela", "ceci", "this one", "that one"})
_RELATIONS = {
    "after": "after", "apres": "after", "since": "after", "depuis": "after", "from": "after",
    "starting": "after", "a": "after", "des": "after",
    "before": "before", "avant": "before", "until": "before", "till": "before",
    "jusqu'a": "before", "jusqu'au": "before", "jusqu'aux": "before", "jusqu'": "before",
    "during": "during", "pendant": "during", "durant": "during", "throughout": "during",
}  # fmt: skip

# Words one of which a pattern needs before it is worth running (see `_Scan.find`).
_WORDS = re.compile(r"[a-z0-9]+")
_DIGITS = frozenset("0123456789")
_NONE: frozenset[str] = frozenset()
_G_DURATION = frozenset({"in", "dans"})
_G_COMPOUND = frozenset({"overmorrow", "demain", "hier", "tomorrow", "tmrw", "tmr", "2moro",
                         "2morrow", "yesterday"})  # fmt: skip
_G_MONTH = frozenset(_MONTHS)
_G_WEEKDAY = frozenset(_WEEKDAYS)
_G_DAY = frozenset({"aujourd", "hui", "yday", "yesterday", "hier"} | _TODAY | _TOMORROW)
_G_PART = frozenset({"morning", "mornin", "matinee", "matin", "afternoon", "aft", "arvo", "midi",
                     "aprem", "aprm", "evening", "eve", "soiree", "soir", "tonight", "tonite",
                     "2nite", "2night"})  # fmt: skip
_G_NIGHT = frozenset({"night", "nite", "nuit"})
_G_WEEK = frozenset({"week", "semaine"})
_G_CLOCK = frozenset({"noon", "midday", "midi", "midnight", "minuit"})
_G_NOW = frozenset({"now", "currently", "moment", "presently", "maintenant", "actuellement",
                    "cours", "actuelle"})  # fmt: skip
_G_NEXT = frozenset({"next", "nxt", "up", "upcoming", "come", "ensuite", "then", "suite",
                     "prochain", "prochaine", "prochains", "prochaines", "tard", "later", "soon",
                     "bientot", "venir", "after", "apres"})  # fmt: skip
_G_ANCHOR = frozenset({"after", "apres", "before", "avant", "during", "pendant", "durant",
                       "since", "depuis", "until", "till", "jusqu"})  # fmt: skip
_G_RELATION = _G_ANCHOR | {"from", "starting", "partir", "des", "throughout"}
_G_MEAL = frozenset({"lunch", "lunchtime", "dinner", "breakfast", "brunch", "dejeuner", "diner",
                     "dej", "pause", "break"})  # fmt: skip

# (hour, minute, "a" | "p" | None, literal): literal means "do not guess am/pm".
_Clock = tuple[int, int, str | None, bool]
_CLOCK_WORDS: dict[str, _Clock] = {
    "noon": (12, 0, None, True),
    "midday": (12, 0, None, True),
    "midi": (12, 0, None, True),
    "midnight": (24, 0, None, True),
    "minuit": (24, 0, None, True),
}


# --- scanning ------------------------------------------------------------------------------

_LEAD_REACH = 32  # characters before a core in which its lead may start


class _Scan:
    """The question being read; consumed spans are overwritten with "|" (same length).

    `find` runs a pattern only when the question has a word it needs (or a digit): most
    questions have no digits and no weekday, and the patterns are the whole cost of a call.
    """

    __slots__ = ("_french", "digits", "original", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = self.original = text
        self._french: bool | None = None
        self.words = frozenset(_WORDS.findall(text))
        self.digits = any(c in _DIGITS for c in text)

    def find(
        self, pattern: re.Pattern[str], words: frozenset[str], *, digits: bool = False
    ) -> list[re.Match[str]]:
        if (digits and self.digits) or not self.words.isdisjoint(words):
            return list(pattern.finditer(self.text))
        return []

    def lead(self, pattern: re.Pattern[str], core: re.Match[str]) -> re.Match[str] | None:
        """The lead of `pattern` ending where `core` starts, if there is a non-empty one."""
        start = core.start()
        m = pattern.search(self.text, max(0, start - _LEAD_REACH), start)
        return m if m is not None and m.end() > m.start() else None

    def is_french(self) -> bool:
        """Whether the question reads as French (more French than English function words)."""
        if self._french is None:
            french, english = function_words(self.original)
            self._french = french > english
        return self._french

    def consume(self, start: int, end: int) -> None:
        self.text = self.text[:start] + "|" * (end - start) + self.text[end:]

    def take(self, core: re.Match[str], lead: re.Match[str] | None) -> int:
        """Consume `core` with its `lead`; where it started."""
        start = lead.start() if lead is not None else core.start()
        self.consume(start, core.end())
        return start

    def after_span(self, start: int) -> bool:
        """Whether a consumed phrase comes right before `start` ("tomorrow| night")."""
        return self.text[:start].rstrip().endswith("|")


_V = TypeVar("_V")


@dataclass(frozen=True, slots=True)
class _At(Generic[_V]):
    """A value found at a position of the question; the first one mentioned wins."""

    position: int
    value: _V


def _first(current: _At[_V] | None, position: int, value: _V) -> _At[_V]:
    if current is None or position < current.position:
        return _At(position, value)
    return current


@dataclass(slots=True)
class _Found:
    day: _At[tuple[date, str]] | None = None
    part: _At[tuple[int, int, str]] | None = None
    clock: _At[_Clock] | None = None
    span: _At[tuple[_Clock, _Clock]] | None = None
    delta: _At[timedelta] | None = None
    week: _At[date] | None = None
    month: _At[tuple[int, int]] | None = None
    year: _At[int] | None = None
    relation: str | None = None
    anchor: str = ""
    is_now: bool = False
    is_next: bool = False

    def set_day(self, position: int, day: date, label: str) -> None:
        """The first day mentioned wins, but a date beats a weekday or a relative day
        ("Wednesday, July 13, 2031" is in 2031)."""
        if label == "date":
            position -= MAX_QUESTION
        self.day = _first(self.day, position, (day, label))


def parse_time(question: str, now: datetime, zone: ZoneInfo) -> TimeExpression:
    """The time constraint in `question`, understood at `now` in the conference's `zone`."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=zone)
    now = now.astimezone(zone)
    scan = _Scan(_normalise(question[:MAX_QUESTION]))
    found = _Found()
    today = now.date()
    try:
        _read_dates(scan, found, today)
        _read_days(scan, found, today)
        _read_periods(scan, found, today)
        _read_clocks(scan, found)
        _read_flags(scan, found)
        _read_anchors(scan, found)
    except OverflowError:  # "tomorrow" when `now` is the last day `date` can hold
        return TimeExpression(None, rest=fold(scan.original))
    rest = " ".join(t.strip("'") for t in fold(scan.text).split() if t.strip("'"))
    return TimeExpression(
        window=_window(found, now, zone),
        relation=found.relation,
        anchor_text=found.anchor,
        rest=rest,
        is_now=found.is_now,
        is_next=found.is_next,
    )


def _read_dates(scan: _Scan, found: _Found, today: date) -> None:
    for m in scan.find(_DURATION, _G_DURATION):
        unit = m["unit"]
        if m["half"] and unit.startswith("m"):
            continue  # "in half a minute"
        if m["half"]:  # only "half an hour" gets here: 30 minutes, not 30 hours
            minutes = 30
        else:
            amount = 1 if m["one"] else int(m["n"])
            minutes = amount if unit.startswith("m") else amount * 60
        found.delta = _first(found.delta, m.start(), timedelta(minutes=minutes))
        scan.consume(*m.span())
    for m in scan.find(_COMPOUND, _G_COMPOUND):
        start = scan.take(m, scan.lead(_DAY_LEAD, m))
        if m["after"]:
            found.set_day(start, today + timedelta(days=2), "day-after-tomorrow")
        else:
            found.set_day(start, today - timedelta(days=2), "day-before-yesterday")
    for pattern, lead in ((_DATE_DMY, _DMY_LEAD), (_DATE_MDY, _DATE_LEAD)):
        for m in scan.find(pattern, _G_MONTH):
            day = 1 if m["d"] == "premier" else int(m["d"])
            found_date = _month_day(_MONTHS[m["m"]], day, m["y"], today)
            if found_date is not None:
                found.set_day(scan.take(m, scan.lead(lead, m)), found_date, "date")
    for m in scan.find(_DATE_ISO, _NONE, digits=True):
        iso = _valid_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if iso is not None:
            found.set_day(scan.take(m, scan.lead(_DATE_LEAD, m)), iso, "date")
    for m in scan.find(_DATE_NUMERIC, _NONE, digits=True):
        numeric = _numeric_date(int(m["a"]), int(m["b"]), m["y"], today, scan)
        if numeric is not None:
            found.set_day(scan.take(m, scan.lead(_DATE_LEAD, m)), numeric, "date")
    for m in scan.find(_DAY_OF_MONTH, _NONE, digits=True):
        raw = m["d1"] or m["d2"]
        of_month = _day_of_month(1 if raw == "premier" else int(raw), today)
        if of_month is not None:
            found.set_day(scan.take(m, scan.lead(_DAY_OF_MONTH_LEAD, m)), of_month, "date")


def _read_days(scan: _Scan, found: _Found, today: date) -> None:
    for m in scan.find(_WEEKDAY, _G_WEEKDAY):
        lead = scan.lead(_WEEKDAY_LEAD, m)
        day = _weekday(m, lead["mod"] if lead else None, today)
        found.set_day(scan.take(m, lead), day, "date" if m["dom"] else "weekday")
    for m in scan.find(_DAY, _G_DAY):
        start = scan.take(m, scan.lead(_DAY_LEAD, m))
        word = m["w"].replace("'", "")
        if word in _TOMORROW:
            found.set_day(start, today + timedelta(days=1), "tomorrow")
        elif word in _TODAY or word.startswith("aujourd"):
            found.set_day(start, today, "today")
        else:
            found.set_day(start, today - timedelta(days=1), "yesterday")


def _read_periods(scan: _Scan, found: _Found, today: date) -> None:
    for m in scan.find(_HOUR_OF_PART, _NONE, digits=True):
        clock = _parse_clock(m["h"])
        if clock is not None:
            found.clock = _first(found.clock, m.start(), clock)
            scan.consume(*m.span("h"))
    for m in scan.find(_PART, _G_PART):
        lead_match = scan.lead(_PART_LEAD, m)
        word = m["p"]
        lead = lead_match["lead"] if lead_match else None
        mod = lead_match["mod"] if lead_match else None
        if word in ("aft", "eve") and not (lead or mod or scan.after_span(m.start())):
            continue
        if word in ("soiree", "matinee") and lead not in ("cette", "en", "dans la") and not mod:
            continue
        if word.startswith(("morn", "mat")):
            name = "morning"
        elif word.startswith(("aft", "arvo", "apr")):
            name = "afternoon"
        else:
            name = "evening"
        start, end = _PARTS[name]
        if mod:
            middle = (start + end) // 2
            early = mod.startswith(("early", "en debut", "debut"))
            start, end = (start, middle) if early else (middle, end)
        found.part = _first(found.part, scan.take(m, lead_match), (start, end, name))
    for m in scan.find(_NIGHT, _G_NIGHT):
        lead_match = scan.lead(_NIGHT_LEAD, m)
        lead = lead_match["lead"] if lead_match else None
        if lead not in ("last", "cette") and not scan.after_span(m.start()):
            continue
        position = scan.take(m, lead_match)
        if lead == "last":
            found.set_day(position, today - timedelta(days=1), "yesterday")
        found.part = _first(found.part, position, (*EVENING, "evening"))
    for m in scan.find(_WEEK, _G_WEEK):
        a, b = m["a"], m["b"]
        if a == "la" and not b:
            continue
        monday = today - timedelta(days=today.weekday())
        if a == "next" or b in ("prochaine", "pro"):
            monday += timedelta(days=7)
        elif a == "last" or b == "derniere":
            monday -= timedelta(days=7)
        found.week = _first(found.week, m.start(), monday)
        scan.consume(*m.span())
    for m in scan.find(_MONTH_ALONE, _G_MONTH):
        lead_match = scan.lead(_MONTH_LEAD, m)
        if not (lead_match or m["y"]):
            continue
        month = _MONTHS[m["m"]]
        year = int(m["y"]) if m["y"] else _nearest_year(today, month, 1)
        found.month = _first(found.month, scan.take(m, lead_match), (year, month))
    for m in scan.find(_YEAR_ALONE, _NONE, digits=True):
        found.year = _first(found.year, scan.take(m, scan.lead(_YEAR_LEAD, m)), int(m["y"]))


def _read_clocks(scan: _Scan, found: _Found) -> None:
    for m in scan.find(_RANGE, _G_CLOCK, digits=True):
        lead_match = scan.lead(_RANGE_LEAD, m)
        lead, sep = (lead_match["lead"] if lead_match else None), m["sep"]
        first, second = _parse_clock(m["a"]), _parse_clock(m["b"])
        if first is None or second is None:
            continue
        both_bare = m["a"].isdigit() and m["b"].isdigit()
        if (both_bare and not lead) or (sep in ("and", "et") and lead not in ("between", "entre")):
            continue
        if first[2] is None and not first[3] and second[2] is not None and first[0] <= second[0]:
            first = (first[0], first[1], second[2], first[3])  # "2-4pm": both pm
        found.span = _first(found.span, scan.take(m, lead_match), (first, second))
    for m in scan.find(_CLOCK, _G_CLOCK, digits=True):
        clock = _parse_clock(m["t"])
        if clock is not None:
            found.clock = _first(found.clock, scan.take(m, scan.lead(_CLOCK_LEAD, m)), clock)
    for m in scan.find(_BARE_CLOCK, _NONE, digits=True):
        lead_match = scan.lead(_BARE_CLOCK_LEAD, m)
        hour = int(m["h"])
        if lead_match is None or hour > 23:
            continue
        literal = hour == 0 or hour >= 13 or m["h"].startswith("0")
        found.clock = _first(found.clock, m.start(), (hour, 0, None, literal))
        # "at 9" goes; the "after" of "after 9" stays for `_read_anchors`.
        keeps_relation = lead_match["lead"] not in (None, "at", "a", "vers", "around")
        scan.take(m, None if keeps_relation else lead_match)


def _read_flags(scan: _Scan, found: _Found) -> None:
    for m in scan.find(_NOW, _G_NOW):
        found.is_now = True
        scan.consume(*m.span())
    for m in scan.find(_NEXT, _G_NEXT):
        found.is_next = True
        scan.consume(*m.span())


def _read_anchors(scan: _Scan, found: _Found) -> None:
    m = _REL_TIME.search(scan.text) if not scan.words.isdisjoint(_G_RELATION) else None
    if m is not None:
        found.relation = _RELATIONS[m["rel"].split()[0]]
        scan.consume(*m.span())
    anchors: list[_At[tuple[str, str]]] = []
    for m in scan.find(_MEAL, _G_MEAL):
        anchors.append(_At(m.start(), ("during", _anchor_text(m["x"]))))
        scan.consume(*m.span())
    position = 0 if not scan.words.isdisjoint(_G_ANCHOR) else len(scan.text)
    while (m := _ANCHOR.search(scan.text, position)) is not None:
        position = m.end()
        raw = m["x"]
        stop = _ANCHOR_STOP.search(raw)
        if stop is not None:
            raw = raw[: stop.start()]
        raw = raw.rstrip(" .-")
        text = _anchor_text(raw)
        if not text:
            continue
        relation = _RELATIONS[m["rel"]]
        if fold(raw) in _JUST_THAT and relation == "after":
            found.is_next = True
        else:
            anchors.append(_At(m.start(), (relation, text)))
        position = m.start("x") + len(raw)
        scan.consume(m.start(), position)
    if anchors:
        found.relation, found.anchor = min(anchors, key=lambda a: a.position).value


def _anchor_text(raw: str) -> str:
    text = fold(raw)
    for _ in range(2):
        text = _ARTICLE.sub("", text).strip()
    return text


# --- values --------------------------------------------------------------------------------


def _parse_clock(token: str) -> _Clock | None:
    word = _CLOCK_WORDS.get(token)
    if word is not None:
        return word
    m = _TOKEN_PARTS.fullmatch(token)
    if m is None:
        return None
    hour, minute = int(m["h"]), int(m["m"] or 0)
    meridiem = m["ap"][0] if m["ap"] else None
    if minute > 59 or hour > 23:
        return None
    literal = hour == 0 or hour >= 13 or m["h"].startswith("0")
    if meridiem is not None and not 1 <= hour <= 12:
        if meridiem == "p" and hour >= 13:
            meridiem = None  # "15pm": the 24-hour reading is what was meant
        else:
            return None
    return (hour, minute, meridiem, literal)


def _minutes(clock: _Clock, part: str) -> int:
    """Minutes after midnight, applying the am/pm rules of the module docstring."""
    hour, minute, meridiem, literal = clock
    if hour == 24:
        return 24 * 60
    if meridiem == "a":
        hour = 0 if hour == 12 else hour
    elif meridiem == "p":
        hour = hour if hour == 12 else hour + 12
    elif (not literal and hour < 12) and (
        part in ("afternoon", "evening") or (part != "morning" and 1 <= hour <= 7)
    ):
        hour += 12
    return hour * 60 + minute


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest_year(today: date, month: int, day: int) -> int:
    candidates = [
        d
        for year in (today.year - 1, today.year, today.year + 1)
        if (d := _valid_date(year, month, day)) is not None
    ]
    if not candidates:
        return today.year
    return min(candidates, key=lambda d: (abs((d - today).days), d < today)).year


def _month_day(month: int, day: int, year: str | None, today: date) -> date | None:
    if year is not None:
        return _valid_date(int(year), month, day)
    if _valid_date(2000, month, day) is None:  # 2000 is a leap year: Feb 29 stays possible
        return None
    return _valid_date(_nearest_year(today, month, day), month, day)


def _numeric_date(a: int, b: int, year: str | None, today: date, scan: _Scan) -> date | None:
    full_year: int | None = None
    if year is not None:
        full_year = int(year) + (2000 if len(year) == 2 else 0)
    day_first = _month_day(b, a, str(full_year) if full_year else None, today) if a else None
    month_first = _month_day(a, b, str(full_year) if full_year else None, today) if b else None
    if day_first is None or month_first is None:
        return day_first or month_first
    if a > 12 or scan.is_french():
        return day_first
    if b > 12:
        return month_first
    if abs((day_first - today).days) < abs((month_first - today).days):
        return day_first
    return month_first


def _day_of_month(day: int, today: date) -> date | None:
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(13):
        candidate = _valid_date(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _weekday(m: re.Match[str], mod: str | None, today: date) -> date:
    weekday = _WEEKDAYS[m["wd"].rstrip(".")]
    ahead = (weekday - today.weekday()) % 7
    mod2 = m["mod2"]
    if m["dom"]:
        of_month = _day_of_month(int(m["dom"]), today)
        if of_month is not None:
            return of_month
    if mod == "next" or mod2 == "prochain":
        return today + timedelta(days=ahead or 7)
    if mod == "last" or mod2 == "dernier":
        return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
    return today + timedelta(days=ahead)


def _at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """Wall-clock `minutes` after midnight of `day` in `zone` (1440 is the next midnight)."""
    return datetime.combine(day, time(0), tzinfo=zone) + timedelta(minutes=minutes)


def _window(found: _Found, now: datetime, zone: ZoneInfo) -> TimeWindow | None:
    try:
        return _build_window(found, now, zone)
    except (OverflowError, ValueError):  # dates at the very edge of what datetime can hold
        return None


def _build_window(found: _Found, now: datetime, zone: ZoneInfo) -> TimeWindow | None:
    if found.delta is not None:
        start = (now.astimezone(UTC) + found.delta.value).astimezone(zone)
        return TimeWindow(start, start + _MINUTE, "in", precise=True)
    labels: list[str] = []
    day = now.date()
    if found.day is not None:
        day, label = found.day.value
        labels.append(label)
    part = found.part.value if found.part is not None else None
    part_name = part[2] if part is not None else ""
    if part is not None:
        labels.append(part_name)
    if found.span is not None:
        first = _minutes(found.span.value[0], part_name)
        second = _minutes(found.span.value[1], part_name)
        if second <= first:
            second += 24 * 60
        labels.append("range")
        return TimeWindow(_at(day, first, zone), _at(day, second, zone), "+".join(labels))
    if found.clock is not None:
        start = _at(day, _minutes(found.clock.value, part_name), zone)
        labels.append("at")
        return TimeWindow(start, start + _MINUTE, "+".join(labels), precise=True)
    if part is not None:
        return TimeWindow(_at(day, part[0], zone), _at(day, part[1], zone), "+".join(labels))
    if found.day is not None:
        return TimeWindow(_at(day, 0, zone), _at(day + timedelta(days=1), 0, zone), labels[0])
    if found.week is not None:
        monday = found.week.value
        return TimeWindow(_at(monday, 0, zone), _at(monday + timedelta(days=7), 0, zone), "week")
    if found.month is not None:
        year, month = found.month.value
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return TimeWindow(_at(date(year, month, 1), 0, zone), _at(following, 0, zone), "month")
    if found.year is not None:
        year = found.year.value
        return TimeWindow(
            _at(date(year, 1, 1), 0, zone), _at(date(year + 1, 1, 1), 0, zone), "year"
        )
    return None
