"""Shortlist commands and buttons: add, remove, clear, show, what's next on it, export.

The attendee's list is keyed by channel and user, so in a group chat or a team channel every
attendee changes only their own, and the list itself is shown only in a personal chat.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity

from bot.cards import export_card, shortlist_card
from bot.memory import ConversationMemory, Recall
from bot.render import session_list
from bot.replies import Replies
from bot.shortlist_store import MAX_ENTRIES, Owner, Shortlist, ShortlistFull, ShortlistStore
from catalogue.ask import Answerer
from catalogue.commands import Action, Command
from catalogue.model import Session
from catalogue.shortlist import Entry, by_day, next_item, overlapping, plan
from catalogue.text import fold

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShortlistTurn:
    """What a shortlist action needs to know about the turn it runs in."""

    owner: Owner
    memory_key: str
    replies: Replies
    answerer: Answerer
    now: datetime
    in_group: bool
    universal_actions: bool = False
    """The channel updates cards in place (Teams' Action.Execute)."""


class ShortlistFlow:
    def __init__(
        self,
        store: ShortlistStore,
        memory: ConversationMemory,
        export_url: Callable[[str], str],
        on_change: Callable[[Owner, Shortlist], Awaitable[None]] | None = None,
    ) -> None:
        self._store = store
        self._memory = memory
        self._export_url = export_url
        self._on_change = on_change
        """Told after every change to a shortlist (the nudges are re-planned from it)."""

    async def _changed(self, owner: Owner, shortlist: Shortlist, changed: bool) -> None:
        if changed and self._on_change is not None:
            await self._on_change(owner, shortlist)

    async def command(self, command: Command, turn: ShortlistTurn) -> Activity:
        match command.action:
            case Action.ADD:
                return await self._add_by_words(command, turn)
            case Action.REMOVE:
                return await self._remove_by_words(command, turn)
            case Action.CLEAR:
                await self._changed(turn.owner, *await self._store.clear(turn.owner))
                return MessageFactory.text(turn.replies.cleared)
            case Action.SHOW:
                return await self.show(turn)
            case Action.NEXT:
                return await self._next(turn)
            case Action.EXPORT:
                return await self._export(turn)
        raise ValueError(f"not a shortlist action: {command.action}")

    async def add(self, session: Session, turn: ShortlistTurn) -> Activity:
        return MessageFactory.text(await self.add_saying(session, turn))

    async def add_saying(self, session: Session, turn: ShortlistTurn) -> str:
        """Add `session`; what to tell the attendee (added, with any clash, or already there)."""
        replies = turn.replies
        try:
            shortlist, added = await self._store.add(turn.owner, Entry.of(session))
        except ShortlistFull:
            return replies.list_full.format(count=MAX_ENTRIES)
        await self._changed(turn.owner, shortlist, added)
        if not added:
            return replies.already_added.format(title=session.title)
        text = replies.added.format(title=session.title, when=self._when(session, turn))
        clashes = self._clashes(session, shortlist, turn)
        return f"{text} {clashes}" if clashes else text

    async def remove(self, session_id: str, turn: ShortlistTurn) -> Activity:
        return MessageFactory.text(await self.remove_saying(session_id, turn))

    async def remove_saying(self, session_id: str, turn: ShortlistTurn) -> str:
        shortlist = await self._store.get(turn.owner)
        entry = next((e for e in shortlist.entries if e.session_id == session_id), None)
        if entry is None:
            return turn.replies.not_on_list.format(target=self._title(session_id, turn))
        await self._changed(turn.owner, *await self._store.remove(turn.owner, session_id))
        return turn.replies.removed.format(title=entry.title)

    async def show(self, turn: ShortlistTurn) -> Activity:
        if turn.in_group:
            return MessageFactory.text(turn.replies.private)
        shortlist = await self._store.get(turn.owner)
        if not shortlist.entries:
            return MessageFactory.text(turn.replies.list_empty)
        catalogue = turn.answerer.catalogue
        items = plan(shortlist.entries, catalogue)
        count = len(items)
        lead = turn.replies.list_lead.format(what=f"{count} {turn.replies.kind_label(None, count)}")
        card = shortlist_card(
            by_day(items, catalogue), turn.replies, timezone=catalogue.timezone, lead=lead
        )
        return MessageFactory.attachment(card)

    async def _add_by_words(self, command: Command, turn: ShortlistTurn) -> Activity:
        if command.ordinal is not None:
            session = await self._offered(command.ordinal, turn)
            if session is None:
                return MessageFactory.text(turn.replies.which_one)
            return await self.add(session, turn)
        if not command.target:
            return MessageFactory.text(turn.replies.which_one)
        found = turn.answerer.find(command.target, turn.now)
        if not found.candidates:
            return MessageFactory.text(turn.replies.anchor_unknown.format(topic=command.target))
        if found.clear:
            return await self.add(found.candidates[0], turn)
        return await self._choose(found.candidates, command.target, turn)

    async def _remove_by_words(self, command: Command, turn: ShortlistTurn) -> Activity:
        shortlist = await self._store.get(turn.owner)
        if command.ordinal is not None:
            session = await self._offered(command.ordinal, turn)
            if session is None:
                return MessageFactory.text(turn.replies.which_one)
            return await self.remove(session.id, turn)
        found = turn.answerer.find(command.target, turn.now, among=shortlist.ids)
        if not found.candidates:
            # A cancelled session is no longer in the catalogue: match its remembered title.
            entry = _entry_titled(command.target, shortlist)
            if entry is not None:
                return await self.remove(entry.session_id, turn)
            return MessageFactory.text(turn.replies.not_on_list.format(target=command.target))
        if found.clear:
            return await self.remove(found.candidates[0].id, turn)
        return await self._choose(found.candidates, command.target, turn)

    async def _choose(
        self, candidates: tuple[Session, ...], target: str, turn: ShortlistTurn
    ) -> Activity:
        """Several sessions fit: offer them as cards; a tap, or "the second one", settles it."""
        shortlist = await self._store.get(turn.owner)
        lead = turn.replies.choose.format(target=target)
        await self._memory.remember(
            turn.memory_key, Recall(offered=tuple(s.id for s in candidates), lead=lead)
        )
        return session_list(
            candidates, lead, turn.replies, turn.answerer.catalogue, shortlist.ids,
            total=len(candidates),
            universal=turn.universal_actions,
        )  # fmt: skip

    async def _next(self, turn: ShortlistTurn) -> Activity:
        if turn.in_group:
            return MessageFactory.text(turn.replies.private)
        shortlist = await self._store.get(turn.owner)
        item = next_item(plan(shortlist.entries, turn.answerer.catalogue), turn.now)
        if item is None or item.session is None:
            return MessageFactory.text(turn.replies.nothing_next_on_list)
        session = item.session
        text = turn.replies.next_on_list.format(title=session.title, when=self._when(session, turn))
        return session_list(
            [session],
            text,
            turn.replies,
            turn.answerer.catalogue,
            shortlist.ids,
            total=1,
            universal=turn.universal_actions,
        )

    async def _export(self, turn: ShortlistTurn) -> Activity:
        if turn.in_group:
            return MessageFactory.text(turn.replies.private)
        token = await self._store.export_token(turn.owner)
        return MessageFactory.attachment(export_card(self._export_url(token), turn.replies))

    async def _offered(self, ordinal: int, turn: ShortlistTurn) -> Session | None:
        recall = await self._memory.recall(turn.memory_key)
        if not 1 <= ordinal <= len(recall.offered):
            return None
        return turn.answerer.catalogue.get(recall.offered[ordinal - 1])

    def _clashes(self, session: Session, shortlist: Shortlist, turn: ShortlistTurn) -> str:
        catalogue = turn.answerer.catalogue
        others = [s for e in shortlist.entries if (s := catalogue.get(e.session_id))]
        zone = catalogue.timezone
        return " ".join(
            turn.replies.conflicts_with.format(
                title=other.title,
                time=f"{turn.replies.time(other.start.astimezone(zone))}–"
                f"{turn.replies.time(other.end.astimezone(zone))}",
            )
            + "."
            for other in overlapping(session, others)
        )

    def _when(self, session: Session, turn: ShortlistTurn) -> str:
        zone = turn.answerer.catalogue.timezone
        text = turn.replies.time_range(session.start.astimezone(zone), session.end.astimezone(zone))
        return f"{text}, {session.room}" if session.room else text

    def _title(self, session_id: str, turn: ShortlistTurn) -> str:
        session = turn.answerer.catalogue.get(session_id)
        return session.title if session else session_id


def _entry_titled(target: str, shortlist: Shortlist) -> Entry | None:
    wanted = fold(target)
    matching = [e for e in shortlist.entries if wanted and wanted in fold(e.title)]
    return matching[0] if len(matching) == 1 else None
