"""Reminder settings, said in words or tapped on the settings card.

"remind me 15 minutes before", "stop reminders", "mute until 3pm", "unmute", "what are my
reminder settings", "send me a morning summary" and their French counterparts, and the settings
card's buttons, which do exactly what the words do: the same `NudgeService` call, so the same
re-planning and the same answer. Settings belong to one attendee: they are shown and changed by
tap only in a personal chat, like the shortlist.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity

from bot.cards import SettingsTap, mute_end, notice_card, settings_card, settings_tap
from bot.nudges.service import NudgeService
from bot.nudges.settings_text import clock_text, moment_text, settings_text
from bot.shortlist_flow import ShortlistTurn
from catalogue.commands import Action, Command, mute_until

log = logging.getLogger(__name__)

MAX_LEAD_MINUTES = 240


class RemindersFlow:
    def __init__(self, nudges: NudgeService) -> None:
        self._nudges = nudges

    async def command(self, command: Command, turn: ShortlistTurn) -> Activity:
        """ "remind me 15 minutes before", "stop reminders", "active les rappels", "mute until
        3pm", "unmute", "what are my reminder settings", "send me a morning summary"."""
        replies = turn.replies
        if command.until:
            return MessageFactory.text(await self._mute(command.until, turn))
        if command.minutes is not None and not 1 <= command.minutes <= MAX_LEAD_MINUTES:
            return MessageFactory.text(replies.reminders_bad_lead.format(most=MAX_LEAD_MINUTES))
        if command.minutes is None and command.enabled is None and command.digest is None:
            return await self._settings_reply(turn)
        return MessageFactory.text(await self._change_settings(command, turn))

    async def _change_settings(self, command: Command, turn: ShortlistTurn) -> str:
        """Apply a change said in words (or tapped on the settings card); what to answer."""
        replies = turn.replies
        zone = turn.answerer.catalogue.timezone
        settings = await self._nudges.change_settings(
            turn.owner,
            minutes=command.minutes,
            enabled=command.enabled,
            # "turn reminders on" / "unmute" also ends a mute; a new lead time does not.
            unmute=command.enabled is True and command.minutes is None,
            digest=command.digest,
        )
        if command.digest is not None:
            if not command.digest:
                return replies.digest_off
            return replies.digest_on.format(
                time=clock_text(self._nudges.digest_at, turn.now, zone, replies)
            )
        minutes = round(settings.lead.total_seconds() / 60)
        if not settings.enabled:
            return replies.reminders_off
        template = replies.reminders_lead if command.minutes is not None else replies.reminders_on
        return template.format(minutes=minutes)

    async def _settings_reply(self, turn: ShortlistTurn, said: str = "") -> Activity:
        """The attendee's reminder settings in words (or `said`, what a tap just changed) and
        as a card to change them. Personal chat only, like the shortlist: in a group the
        answer would show one attendee's settings to everyone."""
        replies = turn.replies
        if turn.in_group:
            return MessageFactory.text(replies.reminders_private)
        zone = turn.answerer.catalogue.timezone
        settings = await self._nudges.settings_for(turn.owner)
        digest_at = self._nudges.digest_at
        text = said or settings_text(
            settings, replies, now=turn.now, zone=zone, digest_at=digest_at
        )
        card = settings_card(
            settings, replies, now=turn.now, timezone=zone, digest_at=digest_at,
            universal=turn.universal_actions,
        )  # fmt: skip
        return MessageFactory.attachment(card, text=text)

    async def tap(self, value: dict[str, Any], turn: ShortlistTurn) -> Activity:
        """A settings button sent as a message (`Action.Submit`: Web Chat, the Emulator, old
        Teams clients): the confirmation and the refreshed card, as a new message."""
        tap = settings_tap(value)
        if tap is None:
            log.info("unusable settings tap %.200r", value)
            return MessageFactory.text(turn.replies.not_understood)
        if turn.in_group:
            return MessageFactory.text(turn.replies.reminders_private)
        return await self._settings_reply(turn, said=await self._apply_tap(tap, turn))

    async def tap_card(self, data: dict[str, Any], turn: ShortlistTurn) -> dict[str, Any]:
        """A settings button tapped in Teams (`Action.Execute`): the card refreshed in place
        for the tapper, with what changed on top."""
        tap = settings_tap(data)
        if tap is None:
            log.info("unusable settings tap %.200r", data)
            return notice_card(turn.replies.not_understood)
        if turn.in_group:  # nothing changes, nothing is shown: see `_settings_reply`
            return notice_card(turn.replies.reminders_private)
        said = await self._apply_tap(tap, turn)
        zone = turn.answerer.catalogue.timezone
        card = settings_card(
            await self._nudges.settings_for(turn.owner), turn.replies,
            now=turn.now, timezone=zone, digest_at=self._nudges.digest_at,
            universal=True, note=said,
        )  # fmt: skip
        return dict(card.content)

    async def _apply_tap(self, tap: SettingsTap, turn: ShortlistTurn) -> str:
        """Do what the button says exactly as the words would: the same service call with the
        same arguments, so the same re-planning and the same answer."""
        if tap.mute in ("hour", "tomorrow"):
            until = mute_end(tap.mute, turn.now, turn.answerer.catalogue.timezone)
            assert until is not None
            return await self._mute_to(until, turn)
        if tap.mute == "off":  # "unmute"
            return await self._change_settings(Command(Action.REMINDERS, enabled=True), turn)
        if tap.minutes is not None:  # "remind me 15 minutes before" also turns reminders on
            command = Command(Action.REMINDERS, minutes=tap.minutes, enabled=True)
        else:
            command = Command(Action.REMINDERS, enabled=tap.enabled, digest=tap.digest)
        return await self._change_settings(command, turn)

    async def _mute(self, words: str, turn: ShortlistTurn) -> str:
        """ "mute until 3pm", "pas de rappels avant 15h": read in the conference's zone at the
        turn's "now"; a time that has passed or none at all is said so, nothing changes."""
        replies = turn.replies
        zone = turn.answerer.catalogue.timezone
        until = mute_until(words, turn.now, zone)
        if until is None:
            return replies.reminders_mute_unclear
        if until <= turn.now:
            return replies.reminders_mute_past.format(
                when=moment_text(until, turn.now, zone, replies)
            )
        return await self._mute_to(until, turn)

    async def _mute_to(self, until: datetime, turn: ShortlistTurn) -> str:
        """Mute reminders until `until` (ahead of the turn's "now"); what to answer."""
        replies = turn.replies
        settings = await self._nudges.change_settings(turn.owner, muted_until=until)
        if not settings.enabled:
            return replies.reminders_off
        zone = turn.answerer.catalogue.timezone
        return replies.reminders_muted.format(when=moment_text(until, turn.now, zone, replies))
