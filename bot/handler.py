"""The activity handler: the one place where Bot Framework turns meet the catalogue."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    Attachment,
    ChannelAccount,
)
from botbuilder.schema.teams import MessagingExtensionQuery, MessagingExtensionResponse
from botframework.connector import Channels

from bot.cards import (
    ACTION_ADD,
    ACTION_ANCHOR,
    ACTION_DETAILS,
    ACTION_REMOVE,
    ACTION_SAME_TIME,
    RELATIONS,
    SETTINGS_ACTIONS,
    notice_card,
    refreshed_session_card,
    session_details_card,
)
from bot.clock import Clock
from bot.dedupe import claim_key
from bot.leads import answer_lead
from bot.live_catalogue import LiveCatalogue
from bot.memory import ConversationMemory, Recall
from bot.mentions import text_for_bot
from bot.nudges.references import reference_key
from bot.nudges.service import NudgeService
from bot.nudges.settings_store import NudgeSettingsStore
from bot.outbound import as_reply
from bot.reminders_flow import RemindersFlow
from bot.render import render_answer, session_list
from bot.replies import Replies, for_locale
from bot.shortlist_flow import ShortlistFlow, ShortlistTurn
from bot.shortlist_store import Owner, ShortlistStore
from bot.storage import StorageConflictError
from bot.storage.turn_scope import TurnScope, TurnScopedStorage
from bot.teams import card_response, search_results
from catalogue.commands import Action, parse_command
from catalogue.language import written_in
from catalogue.model import Session

log = logging.getLogger(__name__)

GROUP_CONVERSATION_TYPES = frozenset({"channel", "groupChat"})
ANONYMOUS = "anonymous"
"""The user id of an activity without a sender."""
WELCOME_CLAIM = "hallway:claim"
REACHABLE_TYPES = frozenset(
    {
        ActivityTypes.message,
        ActivityTypes.invoke,
        ActivityTypes.conversation_update,
        ActivityTypes.installation_update,
    }
)


def _log_redelivery(activity: Activity) -> None:
    log.info("dropped a re-delivered activity %s on %s", activity.id, activity.channel_id)


class _TurnCommit:
    """Writes a turn's held state (and its claim) once: before its reply, or at its end."""

    KEY = "hallway.turn_commit"

    def __init__(self, scope: TurnScope, claim: str | None) -> None:
        self._scope = scope
        self._claim = claim
        self._done = False
        self._duplicate = False

    async def before_reply(self) -> bool:
        """Commit now; False when the activity turned out to be a re-delivery."""
        if not self._done:
            await self._commit()
        return not self._duplicate

    async def finish(self) -> None:
        if not self._done:
            await self._commit()
        elif self._scope.holding and not self._duplicate:
            await self._commit_quietly()  # held after the reply was sent

    async def _commit(self) -> None:
        self._done = True
        try:
            await self._scope.commit(self._claim)
        except StorageConflictError:
            self._duplicate = True

    async def _commit_quietly(self) -> None:
        try:
            await self._scope.commit()
        except Exception:
            log.exception("could not save the turn's conversation state")


def _replies_for(activity: Activity) -> Replies:
    """Answer in the language the attendee wrote in when their words say so clearly, else in
    their client's locale: a French speaker on an English Teams asks in French."""
    if activity.type == ActivityTypes.message and isinstance(activity.text, str):
        written = written_in(text_for_bot(activity))
        if written is not None:
            return for_locale(written)
    return for_locale(activity.locale)


def _in_group(activity: Activity) -> bool:
    conversation = activity.conversation
    return bool(
        conversation
        and (conversation.is_group or conversation.conversation_type in GROUP_CONVERSATION_TYPES)
    )


class HallwayBot(TeamsActivityHandler):  # type: ignore[misc]
    def __init__(
        self,
        catalogue: LiveCatalogue,
        clock: Clock,
        shortlists: ShortlistStore,
        memory: ConversationMemory,
        shortlist_flow: ShortlistFlow,
        storage: TurnScopedStorage,
        nudges: NudgeService | None = None,
        reminders: RemindersFlow | None = None,
    ) -> None:
        self._catalogue = catalogue
        self._clock = clock
        self._shortlists = shortlists
        self._memory = memory
        self._shortlist = shortlist_flow
        self._storage = storage
        self._nudges = nudges
        self._reminders = reminders

    async def on_turn(self, turn_context: TurnContext) -> None:
        """One read of everything the turn may need, the turn, and one write (see
        `bot.storage.turn_scope`)."""
        activity = turn_context.activity
        claim = claim_key(activity)
        with self._storage.scope() as scope:
            await scope.prefetch(self._keys_of_turn(activity, claim))
            if claim is not None and scope.stored(claim):
                _log_redelivery(activity)
                return
            commit = _TurnCommit(scope, claim)
            turn_context.turn_state[_TurnCommit.KEY] = commit
            if self._nudges is not None and activity.type in REACHABLE_TYPES:
                await self._remember_where(activity)
            await super().on_turn(turn_context)
            await commit.finish()

    @staticmethod
    def _keys_of_turn(activity: Activity, claim: str | None) -> list[str]:
        sender = activity.from_property.id if activity.from_property else ANONYMOUS
        conversation = activity.conversation.id if activity.conversation else ""
        owner = Owner(activity.channel_id, sender)
        keys = [
            owner.key,
            reference_key(owner),
            NudgeSettingsStore.key(owner),
            ConversationMemory.key(activity.channel_id, conversation, sender),
        ]
        return [claim, *keys] if claim is not None else keys

    async def _reply(self, turn_context: TurnContext, reply: Activity) -> None:
        """Send the answer to a message once the turn's state is written: a re-delivery that
        lost the race for the claim sends nothing."""
        commit: _TurnCommit = turn_context.turn_state[_TurnCommit.KEY]
        if await commit.before_reply():
            await turn_context.send_activity(as_reply(reply))

    async def _remember_where(self, activity: Activity) -> None:
        """Keep the attendee's conversation reference for nudges; a failure here must not
        cost them their answer."""
        assert self._nudges is not None
        try:
            await self._nudges.seen(activity)
        except Exception:
            log.exception("could not store the conversation reference")

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        turn = self._turn(turn_context)
        activity = turn_context.activity
        if isinstance(activity.value, dict) and activity.value.get("action"):
            reply = await self._card_action(activity.value, turn)
        else:
            reply = await self._words(text_for_bot(activity), turn)
        await self._reply(turn_context, reply)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        # Only arrivals matter here. botbuilder's Teams dispatch would first fetch every new
        # member's profile from the channel, a call per member that the welcome does not need.
        members = turn_context.activity.members_added
        if members:
            await self.on_members_added_activity(members, turn_context)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        bot_joined = any(member.id == bot_id for member in members_added)
        person_joined = any(member.id != bot_id for member in members_added)
        in_group = _in_group(activity)
        # The bot joining a conversation is the moment to introduce itself there; so is a
        # person opening a personal chat. New members of a busy team channel are left alone.
        if bot_joined or (person_joined and not in_group):
            await self._welcome_once(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._welcome_once(turn_context)

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        """A Teams `Action.Execute` tap: do it, and answer with the card refreshed for the user
        who tapped ("On your shortlist ✓" and a Remove button)."""
        turn = self._turn(turn_context)
        action: dict[str, Any] = (
            invoke_value.action if isinstance(invoke_value.action, dict) else {}
        )
        raw_data = action.get("data")
        data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
        verb = action.get("verb") or data.get("action")
        if verb in SETTINGS_ACTIONS:
            if self._reminders is None:
                return card_response(notice_card(turn.replies.not_understood))
            return card_response(await self._reminders.tap_card(data, turn))
        catalogue = turn.answerer.catalogue
        session = catalogue.get(str(data.get("sessionId", "")))
        if verb not in (ACTION_ADD, ACTION_REMOVE, ACTION_DETAILS):
            return card_response(notice_card(turn.replies.not_understood))
        if session is None:
            return card_response(notice_card(turn.replies.session_gone))
        if verb == ACTION_DETAILS:
            return card_response(dict((await self._details_card(session, turn)).content))
        if verb == ACTION_ADD:
            await self._shortlist.add_saying(session, turn)
            note = turn.replies.added_mark
        else:
            await self._shortlist.remove_saying(session.id, turn)
            note = turn.replies.removed_mark
        shortlisted = (await self._shortlists.get(turn.owner)).has(session.id)
        card = refreshed_session_card(
            session, turn.replies, timezone=catalogue.timezone, shortlisted=shortlisted, note=note
        )
        return card_response(card)

    async def on_teams_messaging_extension_query(
        self, turn_context: TurnContext, query: MessagingExtensionQuery
    ) -> MessagingExtensionResponse:
        turn = self._turn(turn_context)
        shortlisted = (await self._shortlists.get(turn.owner)).ids
        return search_results(turn.answerer, query, turn.now, turn.replies, shortlisted)

    async def _details_card(self, session: Session, turn: ShortlistTurn) -> Attachment:
        """Everything about a session, with Add or Remove as it stands for this attendee."""
        shortlisted = (await self._shortlists.get(turn.owner)).has(session.id)
        return session_details_card(
            session,
            turn.replies,
            timezone=turn.answerer.catalogue.timezone,
            shortlisted=shortlisted,
            universal=turn.universal_actions,
        )

    async def _welcome_once(self, turn_context: TurnContext) -> None:
        """Teams announces an install twice (installationUpdate and conversationUpdate): the
        first one claims the welcome for the conversation."""
        activity = turn_context.activity
        conversation = (activity.conversation.id if activity.conversation else "").split(";")[0]
        key = f"welcomed/{activity.channel_id}/{conversation}"
        if not _in_group(activity):
            key += f"/{activity.from_property.id if activity.from_property else ''}"
        try:
            await self._storage.write({key: {"e_tag": WELCOME_CLAIM}})
        except StorageConflictError:
            return
        replies = for_locale(activity.locale)
        conference = self._catalogue.catalogue.conference.name
        await turn_context.send_activity(
            MessageFactory.text(
                f"{replies.welcome.format(conference=conference)}\n\n"
                f"{replies.help.format(conference=conference)}"
            )
        )

    def _turn(self, turn_context: TurnContext) -> ShortlistTurn:
        activity = turn_context.activity
        user_id = activity.from_property.id if activity.from_property else ANONYMOUS
        conversation_id = activity.conversation.id if activity.conversation else ""
        return ShortlistTurn(
            owner=Owner(activity.channel_id, user_id),
            memory_key=ConversationMemory.key(activity.channel_id, conversation_id, user_id),
            replies=_replies_for(activity),
            answerer=self._catalogue.current,
            now=self._clock.turn_now(activity.timestamp),
            in_group=_in_group(activity),
            universal_actions=activity.channel_id == Channels.ms_teams,
        )

    async def _words(self, text: str, turn: ShortlistTurn) -> Activity:
        command = parse_command(text)
        if command is not None and command.action is Action.MORE:
            return await self._more(turn)
        if command is not None and command.action is Action.REMINDERS:
            if self._reminders is None:
                return MessageFactory.text(turn.replies.not_understood)
            return await self._reminders.command(command, turn)
        if command is not None:
            return await self._shortlist.command(command, turn)
        previous = await self._memory.recall(turn.memory_key)
        answer = turn.answerer.answer(text, turn.now, previous=previous.question or None)
        shortlisted = (await self._shortlists.get(turn.owner)).ids
        catalogue = turn.answerer.catalogue
        if answer.sessions:
            await self._memory.remember(
                turn.memory_key,
                Recall(
                    offered=tuple(s.id for s in answer.sessions),
                    pending=tuple(s.id for s in answer.rest),
                    lead=answer_lead(answer, turn.replies, catalogue, turn.now),
                    question=text,
                ),
            )
        return render_answer(
            answer, turn.replies, catalogue, turn.now, shortlisted,
            universal=turn.universal_actions,
        )  # fmt: skip

    async def _more(self, turn: ShortlistTurn) -> Activity:
        """The next page of the last answer."""
        recall = await self._memory.recall(turn.memory_key)
        catalogue = turn.answerer.catalogue
        sessions = [s for i in recall.pending if (s := catalogue.get(i))]
        if not sessions:
            return MessageFactory.text(turn.replies.no_more)
        page, rest = sessions[:8], sessions[8:]
        await self._memory.remember(
            turn.memory_key,
            Recall(
                offered=tuple(s.id for s in page),
                pending=tuple(s.id for s in rest),
                lead=recall.lead,
                question=recall.question,
            ),
        )
        shortlisted = (await self._shortlists.get(turn.owner)).ids
        return session_list(
            page,
            recall.lead,
            turn.replies,
            catalogue,
            shortlisted,
            total=len(sessions),
            universal=turn.universal_actions,
        )

    async def _card_action(self, value: dict[str, Any], turn: ShortlistTurn) -> Activity:
        """A tap on a card button: the card's data names the action and the session (or, on
        the reminder settings card, the setting's new value)."""
        catalogue = turn.answerer.catalogue
        action = value.get("action")
        if action in SETTINGS_ACTIONS:
            if self._reminders is None:
                return MessageFactory.text(turn.replies.not_understood)
            return await self._reminders.tap(value, turn)
        session_id = str(value.get("sessionId", ""))
        if action == ACTION_REMOVE:  # works for sessions the agenda has since dropped
            return await self._shortlist.remove(session_id, turn)
        if action not in (ACTION_ADD, ACTION_ANCHOR, ACTION_DETAILS, ACTION_SAME_TIME):
            # Not a button of ours: "not understood", rather than "that session is gone".
            log.info("unknown card action %.200r", action)
            return MessageFactory.text(turn.replies.not_understood)
        session = catalogue.get(session_id)
        if session is None:
            return MessageFactory.text(turn.replies.session_gone)
        if action == ACTION_ADD:
            return await self._shortlist.add(session, turn)
        if action == ACTION_ANCHOR and value.get("relation") in RELATIONS:
            shortlisted_ids = (await self._shortlists.get(turn.owner)).ids
            answer = turn.answerer.relative_to(session, str(value["relation"]), turn.now)
            return render_answer(
                answer, turn.replies, catalogue, turn.now, shortlisted_ids,
                universal=turn.universal_actions,
            )  # fmt: skip
        if action == ACTION_DETAILS:
            return MessageFactory.attachment(await self._details_card(session, turn))
        if action == ACTION_SAME_TIME:
            shortlisted_ids = (await self._shortlists.get(turn.owner)).ids
            answer = turn.answerer.during(session)
            return render_answer(
                answer, turn.replies, catalogue, turn.now, shortlisted_ids,
                universal=turn.universal_actions,
            )  # fmt: skip
        log.info("unknown card action %r", action)
        return MessageFactory.text(turn.replies.not_understood)
