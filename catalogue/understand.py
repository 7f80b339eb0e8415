"""What an attendee's question asks, before looking anything up: its form (what's on, when,
where, who, what does X present), its time words, and the kind of session, language, room and
topic it names. English and French, typed in a hurry.

Pure: the question, the turn's now and the conference's zone and rooms in; a `Question` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from catalogue.model import Kind
from catalogue.search import STOPWORDS
from catalogue.text import fold_words
from catalogue.timeparse import MAX_QUESTION, TimeExpression, parse_time


class Form(StrEnum):
    WHATS_ON = "whats_on"
    WHEN = "when"
    WHERE = "where"
    WHO = "who"
    PRESENTING = "presenting"


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    time: TimeExpression
    form: Form = Form.WHATS_ON
    topic: str = ""
    """Content words left to search for, folded."""
    kind: Kind | None = None
    language: str | None = None
    room_text: str = ""
    """Words naming a room ("janson"), when the question asks what is in a place."""
    presenter: str = ""
    """The company or person of "what is Nintex presenting?"."""
    is_now: bool = False
    is_next: bool = False
    help: bool = False
    greeting: bool = False
    noise: bool = False
    """Code rather than a question (SQL, HTML): answered with help, never searched."""
    follow_up: bool = False
    """Only time words after "and"/"et" ("et demain ?"): the previous question, at that time."""

    @property
    def has_subject(self) -> bool:
        return bool(self.topic or self.kind or self.language or self.room_text or self.presenter)


def understand(question: str, now: datetime, zone: ZoneInfo) -> Question:
    text = question[:MAX_QUESTION]
    wording = _wording(text)
    if wording.noise:
        return Question(text, parse_time("", now, zone), noise=True)
    time = parse_time(wording.time_text, now, zone)
    if wording.help:
        return Question(wording.text, time, help=True)
    if wording.greeting:
        return Question(wording.text, time, greeting=True)
    subject = _subject(time.rest)
    is_now = time.is_now or (time.window is None and subject.says_now)
    is_next = time.is_next or (time.window is None and subject.says_next)
    follow_up = subject.follow_up or (subject.bare and wording.follow_up)
    found = Question(
        wording.text, time, subject.form, subject.topic, subject.kind, subject.language,
        subject.room_text, subject.presenter, is_now, is_next, follow_up=follow_up,
    )  # fmt: skip
    if follow_up and (found.has_subject or found.form is not Form.WHATS_ON):
        return replace(found, follow_up=False)
    return found


# Most of understanding reads the words alone, not the time: remembered per wording, since
# attendees ask the same few questions, and the parts that depend on `now` are redone.
WORDING_CACHE = 1024


@dataclass(frozen=True, slots=True)
class _Wording:
    """What a question's text says before its time words are placed."""

    text: str
    """The question with texting shorthand spelled out."""
    time_text: str
    """What the time parser reads: relation phrases and spoken times in the words it knows."""
    noise: bool = False
    help: bool = False
    greeting: bool = False
    follow_up: bool = False
    """The whole question is a follow-up opener ("and?", "et ?")."""


@lru_cache(maxsize=WORDING_CACHE)
def _wording(text: str) -> _Wording:
    if _CODE.search(text) or len(_SQL.findall(fold_words(text))) >= 2:
        return _Wording(text, "", noise=True)
    text = _spelled_out(text)
    folded = fold_words(text)
    return _Wording(
        text,
        _spoken_times(_AS_RELATIONS.sub(_relation_word, text)),
        help=_HELP.search(folded) is not None,
        greeting=_GREETING.fullmatch(folded) is not None,
        follow_up=_FOLLOW_UP.match(folded) is not None,
    )


@dataclass(frozen=True, slots=True)
class _Subject:
    """What is left of a question once its time words are taken out."""

    says_now: bool
    says_next: bool
    follow_up: bool
    """Only a follow-up opener is left."""
    bare: bool
    """Nothing is left but "now" or "next" words."""
    form: Form
    topic: str
    kind: Kind | None
    language: str | None
    room_text: str
    presenter: str


@lru_cache(maxsize=WORDING_CACHE)
def _subject(time_rest: str) -> _Subject:
    rest = fold_words(time_rest)
    says_now = _NOW.search(rest) is not None
    says_next = _NEXT.search(rest) is not None
    rest = _NEXT.sub(" ", _NOW.sub(" ", rest))
    follow_up = _FOLLOW_UP.match(rest) is not None
    bare = not rest
    form, rest, presenter = _form(rest)
    language, rest = _language(rest)
    room_text, rest = _room(rest)
    kind, rest = _kind(rest)
    topic = " ".join(
        w for w in rest.split() if len(w) > 1 and w not in STOPWORDS and w not in FILLERS
    )
    return _Subject(
        says_now, says_next, follow_up, bare, form, topic, kind, language, room_text, presenter
    )


def merged(previous: Question, follow_up: Question) -> Question:
    """ "et demain ?" after "qui parle de SMB ?": the previous question at the new time."""
    return replace(previous, text=follow_up.text, time=follow_up.time, follow_up=False)


_CODE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|\b(?:javascript|onerror|onload)\s*[:=]|\{\{|\$\{")
_SQL = re.compile(r"\b(?:select|insert|update|delete|drop|union|from|where|table|into)\b")
_NOW = re.compile(
    r"\b(?:rn|right now|tout de suite|en ce moment|maintenant|la maintenant|se passe|"
    r"qui se passe|happening|going on|open now|ongoing|en cours|currently)\b"
)
_NEXT = re.compile(r"\b(?:la suite|suivante?s?|prochaine?s?|next|coming up|upcoming|a venir)\b")
# Phrases the time parser does not know, said with a relation word it does.
_AS_RELATIONS = re.compile(
    r"\b(?:en m[eê]me temps que|at the same time as|same time as|while)\b", re.IGNORECASE
)


def _relation_word(match: re.Match[str]) -> str:
    english = match.group(0).lower().startswith(("at", "same", "while"))
    return "during" if english else "pendant"


# Texting shorthand, read as the words it stands for before anything else.
_SHORTHAND = {
    "wat": "what", "wats": "whats", "wat's": "what's", "wot": "what", "wots": "whats",
    "wot's": "what's", "whats'": "whats", "b4": "before", "tmrw": "tomorrow", "tmr": "tomorrow",
    "tmw": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow", "tomoz": "tomorrow",
    "tonite": "tonight", "2nite": "tonight", "l8r": "later", "pls": "please", "plz": "please",
    "smth": "something", "sth": "something", "smthg": "something", "ppl": "people",
    "u": "you", "r": "are", "ur": "your", "abt": "about", "w/": "with", "thx": "thanks",
    "brekkie": "breakfast", "brekky": "breakfast", "aft": "afternoon", "arvo": "afternoon",
    "dej": "déjeuner", "déj": "déjeuner", "petit-dej": "petit-déjeuner", "aprem": "après-midi",
    "aprèm": "après-midi", "koi": "quoi", "prog": "programme", "progr": "programme",
    "auj": "aujourd'hui", "ajd": "aujourd'hui", "dem": "demain", "ds": "dans", "ac": "avec",
    "pr": "pour", "qd": "quand", "cb": "combien", "g": "j'ai", "jsp": "je ne sais pas",
}  # fmt: skip
_SHORTHAND_WORD = re.compile(
    r"(?<![\w'])("
    + "|".join(re.escape(k) for k in sorted(_SHORTHAND, key=len, reverse=True))
    + r")(?![\w'])",
    re.IGNORECASE,
)


def _spelled_out(text: str) -> str:
    # The match ignores case the Unicode way, so "tonıte" (dotless i) or "ſth" (long s) match
    # a shorthand whose lower case is another word: those are left as typed.
    return _SHORTHAND_WORD.sub(lambda m: _SHORTHAND.get(m.group(1).lower(), m.group(1)), text)


_DIGIT = re.compile(r"\d")
_HALF_PAST = re.compile(r"\bhalf(?: past)? (\d{1,2})\b", re.IGNORECASE)
_QUARTER_PAST = re.compile(r"\bquarter past (\d{1,2})\b", re.IGNORECASE)
_QUARTER_TO = re.compile(r"\bquarter to (\d{1,2})\b", re.IGNORECASE)
_ET_DEMIE = re.compile(r"\b(\d{1,2}) ?h(?:eures?)? et demie?\b", re.IGNORECASE)
_ET_QUART = re.compile(r"\b(\d{1,2}) ?h(?:eures?)? et quart\b", re.IGNORECASE)


def _spoken_times(text: str) -> str:
    """ "half 3" (British for 3:30), "quarter to 4", "3h et demie" as clock times."""
    if _DIGIT.search(text) is None:  # every one of them needs a digit: most questions have none
        return text
    text = _HALF_PAST.sub(r"\1:30", text)
    text = _QUARTER_PAST.sub(r"\1:15", text)
    text = _QUARTER_TO.sub(lambda m: f"{(int(m.group(1)) - 1) % 24}:45", text)
    text = _ET_DEMIE.sub(r"\1h30", text)
    return _ET_QUART.sub(r"\1h15", text)


_HELP = re.compile(r"^(help|aide|\?|what can you do|que sais tu faire|comment ca marche|menu)\b")
_GREETING = re.compile(
    r"(hello|hi|hey|bonjour|salut|coucou|good (morning|afternoon|evening)|bonsoir)( \w+){0,3}"
)
_FOLLOW_UP = re.compile(r"^(?:and|et|what about|how about|et pour|and for|also|aussi)?\s*$")

_FORMS: tuple[tuple[re.Pattern[str], Form], ...] = (
    (
        re.compile(
            r"^(?:so |and |et )?(?:when|whens|wen|what time|at what time|quand|a quelle heure|"
            r"c est quand)"
            r"(?: (?:is|s|are|does|do|will|est|sont|a lieu|ont lieu|commence|commencent|"
            r"aura lieu))?"
            r"(?: (?:the|a|le|la|les|l))?\b"
        ),
        Form.WHEN,
    ),
    (re.compile(r"\b(?:c est quand|is when|it s when)$"), Form.WHEN),
    (re.compile(r"\b(?:what time|at what time|(?:c est |c )?a quelle heure)\b"), Form.WHEN),
    (
        re.compile(
            r"^(?:so |and |et )?(?:where|which room|what room|ou|c est ou|dans quelle salle|"
            r"quelle salle)(?: (?:is|s|are|does|do|can i find|est|sont|se trouve|se trouvent|"
            r"a lieu|ont lieu|trouver))?(?: (?:the|a|le|la|les|l))?\b"
        ),
        Form.WHERE,
    ),
    (re.compile(r"\b(?:c est ou|is where|it s where|ou ca|est ou|sont ou)$"), Form.WHERE),
    (re.compile(r"^(?:elle|il|ca|c|elles|ils) (?:est|sont) ou\b"), Form.WHERE),
    (
        re.compile(
            r"^(?:who|qui)(?: (?:s|is|are|will be|est))?"
            r" (?:talking|speaking|presenting|giving|parle|parlent|presente|presentent|"
            r"intervient|interviennent|speaks|talks)(?: (?:about|on|de|du|des|sur))?\b"
        ),
        Form.WHO,
    ),
)
_PRESENTING = re.compile(
    r"^(?:what|whats|what s) (?:is|are|s|does|do|will)? ?(?P<who>.+?) "
    r"(?:presenting|showing|demoing|present|show|demo|talking about|doing)$"
    r"|^(?:que|qu|qu est ce que|quoi) (?:presente|presentent|montre|montrent) (?P<who2>.+)$"
    r"|^(?:sessions?|talks?) (?:by|from|de|par) (?P<who3>.+)$"
    r"|\b(?:anyone|anybody|someone|somebody|people|speakers?|folks) (?:from|at) (?P<who4>.+?)"
    r"(?: (?:presenting|speaking|talking|on stage|here|today|tomorrow))*$"
    r"|\bqui (?:vient|viennent|est|sont|parle|presente) (?:de )?chez (?P<who5>.+)$"
    r"|^(?:quelqu un|des gens|qqn) de chez (?P<who6>.+?)(?: (?:presente|parle|intervient))?$"
)
_LANGUAGES = (
    (re.compile(r"\b(?:in french|en francais|french (?:sessions?|talks?)|francophones?|"
                r"sessions? (?:en )?francaises?|in francais)\b"), "fr"),
    (re.compile(r"\b(?:in english|en anglais|english (?:sessions?|talks?))\b"), "en"),
    (re.compile(r"\b(?:in german|en allemand|auf deutsch)\b"), "de"),
)  # fmt: skip
_ROOM = re.compile(
    r"\b(?:in|at|dans|en|room|salle|hall)\s+(?:the\s+|la\s+|le\s+|l\s+)?(?P<room>.+)$"
)
_KINDS: tuple[tuple[re.Pattern[str], Kind], ...] = tuple(
    (re.compile(rf"\b(?:{pattern})\b"), kind)
    for pattern, kind in (
        (r"keynotes?|plenieres?|plenary|plenaries|pleniere", Kind.KEYNOTE),
        (r"lightning talks?|lightnings?", Kind.LIGHTNING),
        (r"workshops?|ateliers?|hands on|labs?", Kind.WORKSHOP),
        (r"panels?|tables? rondes?", Kind.PANEL),
        (r"booths?|stands?|exhibitors?|exposants?|exhibition", Kind.BOOTH),
        (r"meetups?|meet ups?|networking", Kind.MEETUP),
        (r"lunch|lunches|dejeuner|breakfast|petit dejeuner|dinner|diner|meals?|repas", Kind.MEAL),
        (r"coffee breaks?|breaks?|pauses?(?: cafe)?", Kind.BREAK),
        (r"party|parties|soirees?|concerts?|receptions?|socials?", Kind.SOCIAL),
    )
)
FILLERS = frozenset(
    """whats on happening going events event things anything something everything interesting
    good cool nice worth see attend go im i m looking look like want wanna would should could
    tell list show find search give need know talking speaking presenting happens happen
    qu est ce quoi quelles quels quelle quel voir aller trouve trouver cherche interessant
    interessantes programme prevu prevus prevue agenda planning schedule there today
    sessions session talks talk conferences conference presentations presentation confs conf
    topic topics sujet sujets theme themes al quoi est ce qui se passe passent programme pls
    plz please svp which open y il elle rn devroom devrooms track tracks room rooms salle
    salles going day jour journee else autre autres d stuff things thing truc trucs choses
    chose like liste list catch see rate manque j ai neuf cote dont wanna just eat manger
    stage scene cool nouveau nouveautes open""".split()
)


def _form(rest: str) -> tuple[Form, str, str]:
    presenting = _PRESENTING.search(rest)
    if presenting:
        who = next(g for g in presenting.groups() if g)
        return Form.PRESENTING, "", _strip_article(who)
    for pattern, form in _FORMS:
        match = pattern.search(rest)
        if match:
            return form, (rest[: match.start()] + " " + rest[match.end() :]).strip(), ""
    return Form.WHATS_ON, rest, ""


def _language(rest: str) -> tuple[str | None, str]:
    for pattern, language in _LANGUAGES:
        match = pattern.search(rest)
        if match:
            return language, pattern.sub(" ", rest).strip()
    return None, rest


def _room(rest: str) -> tuple[str, str]:
    """The place named after "in"/"dans": only a guess here; the answerer checks it against the
    catalogue's rooms and treats it as a topic when no room has that name."""
    match = _ROOM.search(rest)
    if not match:
        return "", rest
    room = _strip_article(match.group("room"))
    if not room or all(w in STOPWORDS or w in FILLERS for w in room.split()):
        return "", rest
    return room, rest


def _kind(rest: str) -> tuple[Kind | None, str]:
    for pattern, kind in _KINDS:
        if pattern.search(rest):
            return kind, pattern.sub(" ", rest).strip()
    return None, rest


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:the|a|an|le|la|les|l|un|une|des)\s+", "", text.strip()).strip()
