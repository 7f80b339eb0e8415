"""What the bot says, in each language it speaks.

Each language is a `Replies` value: its phrases and how it writes dates and times. The handler
picks one from the activity's locale (`fr-*` -> French, anything else -> English).
"""

from __future__ import annotations

from bot.replies.base import Replies
from bot.replies.en import ENGLISH
from bot.replies.fr import FRENCH

__all__ = ["ENGLISH", "FRENCH", "Replies", "for_locale"]


def for_locale(locale: str | None) -> Replies:
    if locale and locale.strip().lower().replace("_", "-").split("-")[0] == "fr":
        return FRENCH
    return ENGLISH
