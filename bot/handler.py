"""The activity handler: the one place where Bot Framework turns meet the catalogue."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
from botbuilder.schema import Activity, ChannelAccount

from bot.cards import ACTION_DETAILS, ACTION_SAME_TIME, session_details_card
from bot.clock import Clock
from bot.live_catalogue import LiveCatalogue
from bot.render import render_answer
from bot.replies import Replies, for_locale
from catalogue.ask import Answerer

log = logging.getLogger(__name__)


class HallwayBot(ActivityHandler):  # type: ignore[misc]
    def __init__(self, catalogue: LiveCatalogue, clock: Clock) -> None:
        self._catalogue = catalogue
        self._clock = clock

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        replies = for_locale(activity.locale)
        answerer = self._catalogue.current
        if isinstance(activity.value, dict) and activity.value.get("action"):
            reply = self._card_action(activity.value, answerer, replies)
        else:
            now = self._clock.turn_now(activity.timestamp)
            answer = answerer.answer(activity.text or "", now)
            reply = render_answer(answer, replies, answerer.catalogue, now)
        await turn_context.send_activity(reply)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        someone_joined = any(member.id != bot_id for member in members_added or ())
        # The bot itself joining a team or group chat is the moment to introduce itself there;
        # in a personal chat the user's own arrival comes with (or after) the bot's.
        bot_joined_group = bool(activity.conversation and activity.conversation.is_group)
        if not (someone_joined or bot_joined_group):
            return
        replies = for_locale(turn_context.activity.locale)
        conference = self._catalogue.catalogue.conference.name
        await turn_context.send_activity(
            MessageFactory.text(
                f"{replies.welcome.format(conference=conference)}\n\n"
                f"{replies.help.format(conference=conference)}"
            )
        )

    def _card_action(self, value: dict[str, Any], answerer: Answerer, replies: Replies) -> Activity:
        """A tap on a card button: the card's data names the action and the session."""
        catalogue = answerer.catalogue
        session = catalogue.get(str(value.get("sessionId", "")))
        if session is None:
            return MessageFactory.text(replies.session_gone)
        action = value.get("action")
        if action == ACTION_DETAILS:
            card = session_details_card(session, replies, timezone=catalogue.timezone)
            return MessageFactory.attachment(card)
        if action == ACTION_SAME_TIME:
            now = self._clock.now()
            return render_answer(answerer.during(session), replies, catalogue, now)
        log.info("unknown card action %r", action)
        return MessageFactory.text(replies.not_understood)
