"""The outbox in process memory (``memory://``): for tests and a laptop rehearsal.

Every operation runs without awaiting, so each one is atomic between coroutines: two claimers on
one `MemoryOutbox` never get the same nudge.  Nothing survives the process.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.nudges.changes import (
    NotedPlacement,
    NoticePayload,
    NoticeRow,
    PendingNotice,
    ScheduleChange,
    plan_notices,
)
from bot.nudges.outbox import (
    ClaimedNudge,
    ItemKind,
    NudgeRecord,
    NudgeStatus,
    Outbox,
    OwnerPlan,
)


class MemoryOutbox(Outbox):
    kind = "memory"

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, NudgeRecord] = {}
        self._by_owner: dict[tuple[str, str], set[str]] = {}
        self._unreachable: dict[tuple[str, str], str] = {}
        self._by_session: dict[str, set[str]] = {}
        self._placements: dict[str, NotedPlacement] = {}

    def __repr__(self) -> str:
        return f"MemoryOutbox({len(self._rows)} nudges)"

    def _put(self, record: NudgeRecord) -> None:
        self._rows[record.key] = record
        self._by_owner.setdefault((record.channel_id, record.user_id), set()).add(record.key)
        self._by_session.setdefault(record.session_id, set()).add(record.key)

    def _delete(self, key: str) -> None:
        record = self._rows.pop(key)
        owner = (record.channel_id, record.user_id)
        keys = self._by_owner[owner]
        keys.discard(key)
        if not keys:
            del self._by_owner[owner]
        keys = self._by_session[record.session_id]
        keys.discard(key)
        if not keys:
            del self._by_session[record.session_id]

    def _claimed_by(self, key: str, worker: str) -> NudgeRecord | None:
        record = self._rows.get(key)
        if record is None or record.status is not NudgeStatus.CLAIMED:
            return None
        return record if record.claimed_by == worker else None

    async def _replan(self, plans: list[OwnerPlan]) -> None:
        for plan in plans:
            owner = (plan.channel_id, plan.user_id)
            nudges = () if owner in self._unreachable else plan.nudges
            wanted = {n.key for n in nudges}
            for key in list(self._by_owner.get(owner, ())):
                record = self._rows[key]
                if (
                    record.status is NudgeStatus.PENDING
                    and record.kind is not ItemKind.NOTICE
                    and key not in wanted
                ):
                    self._delete(key)
            for nudge in nudges:
                due = nudge.due_at.astimezone(UTC)
                current = self._rows.get(nudge.key)
                if current is None:
                    self._put(
                        NudgeRecord(
                            key=nudge.key,
                            channel_id=nudge.channel_id,
                            user_id=nudge.user_id,
                            session_id=nudge.session_id,
                            session_start=nudge.session_start.astimezone(UTC),
                            due_at=due,
                            status=NudgeStatus.PENDING,
                            attempts=0,
                            kind=nudge.kind,
                            payload=nudge.payload,
                        )
                    )
                elif current.status is NudgeStatus.PENDING and current.attempts == 0:
                    self._rows[nudge.key] = replace(current, due_at=due)

    async def _claim(
        self, now: datetime, limit: int, lease_until: datetime, worker: str
    ) -> list[ClaimedNudge]:
        expired = sorted(
            (
                r
                for r in self._rows.values()
                if r.status is NudgeStatus.CLAIMED and r.lease_until and r.lease_until <= now
            ),
            key=lambda r: (r.lease_until or r.due_at, r.key),
        )
        due = sorted(
            (r for r in self._rows.values() if r.status is NudgeStatus.PENDING and r.due_at <= now),
            key=lambda r: (r.due_at, r.key),
        )
        claimed: list[ClaimedNudge] = []
        for record in [*expired, *due][:limit]:
            if (record.channel_id, record.user_id) in self._unreachable:
                self._delete(record.key)
                continue
            self._rows[record.key] = replace(
                record, status=NudgeStatus.CLAIMED, claimed_by=worker, lease_until=lease_until
            )
            claimed.append(
                ClaimedNudge(
                    key=record.key,
                    channel_id=record.channel_id,
                    user_id=record.user_id,
                    session_id=record.session_id,
                    session_start=record.session_start,
                    due_at=record.due_at,
                    attempts=record.attempts,
                    lease_until=lease_until,
                    kind=record.kind,
                    payload=record.payload,
                )
            )
        return claimed

    async def _holders(self, session_ids: list[str]) -> dict[str, set[tuple[str, str]]]:
        found: dict[str, set[tuple[str, str]]] = {}
        for session_id in session_ids:
            owners = {
                (r.channel_id, r.user_id)
                for key in self._by_session.get(session_id, ())
                if (r := self._rows[key]).kind is ItemKind.NUDGE
            }
            if owners:
                found[session_id] = owners
        return found

    async def _note_change(
        self,
        change: ScheduleChange,
        recipients: Collection[tuple[str, str]],
        now: datetime,
        window: timedelta,
    ) -> int:
        pending = [
            PendingNotice(r.key, r.channel_id, r.user_id, NoticePayload.from_text(r.payload))
            for key in sorted(self._by_session.get(change.session_id, ()))
            if (r := self._rows[key]).kind is ItemKind.NOTICE and r.status is NudgeStatus.PENDING
        ]
        plan = plan_notices(
            change, self._placements.get(change.session_id), pending, recipients, now, window
        )
        if plan.noted is None:
            return 0
        self._placements[change.session_id] = plan.noted
        for row in plan.updates:
            current = self._rows[row.key]
            self._rows[row.key] = replace(current, due_at=row.due_at, payload=row.payload.to_text())
        inserted = 0
        for row in plan.inserts:
            if row.key not in self._rows:
                self._put(self._notice_record(row))
                inserted += 1
        return len(plan.updates) + inserted

    @staticmethod
    def _notice_record(row: NoticeRow) -> NudgeRecord:
        return NudgeRecord(
            key=row.key,
            channel_id=row.channel_id,
            user_id=row.user_id,
            session_id=row.session_id,
            session_start=row.session_start,
            due_at=row.due_at,
            status=NudgeStatus.PENDING,
            attempts=0,
            kind=ItemKind.NOTICE,
            payload=row.payload.to_text(),
        )

    async def _mark_sent(self, key: str, worker: str, sent_at: datetime) -> bool:
        record = self._claimed_by(key, worker)
        if record is None:
            return False
        self._rows[key] = replace(
            record, status=NudgeStatus.SENT, sent_at=sent_at, claimed_by=None, lease_until=None
        )
        return True

    async def _mark_sent_many(self, keys: list[str], worker: str, sent_at: datetime) -> set[str]:
        return {key for key in keys if await self._mark_sent(key, worker, sent_at)}

    async def _mark_retry(self, key: str, worker: str, retry_at: datetime, reason: str) -> bool:
        record = self._claimed_by(key, worker)
        if record is None:
            return False
        self._rows[key] = replace(
            record,
            status=NudgeStatus.PENDING,
            due_at=retry_at,
            attempts=record.attempts + 1,
            claimed_by=None,
            lease_until=None,
            reason=reason,
        )
        return True

    async def _mark_dropped(self, key: str, worker: str, reason: str) -> bool:
        record = self._claimed_by(key, worker)
        if record is None:
            return False
        self._rows[key] = replace(
            record, status=NudgeStatus.DROPPED, claimed_by=None, lease_until=None, reason=reason
        )
        return True

    async def _mark_unreachable(self, channel_id: str, user_id: str, reason: str) -> int:
        owner = (channel_id, user_id)
        self._unreachable[owner] = reason
        pending = [
            key
            for key in self._by_owner.get(owner, ())
            if self._rows[key].status is NudgeStatus.PENDING
        ]
        for key in pending:
            self._delete(key)
        return len(pending)

    async def _is_unreachable(self, channel_id: str, user_id: str) -> bool:
        return (channel_id, user_id) in self._unreachable

    async def _clear_unreachable(self, channel_id: str, user_id: str) -> bool:
        return self._unreachable.pop((channel_id, user_id), None) is not None

    async def _upcoming(self, until: datetime, limit: int) -> list[NudgeRecord]:
        rows = [
            r
            for r in self._rows.values()
            if r.status in (NudgeStatus.PENDING, NudgeStatus.CLAIMED) and r.due_at <= until
        ]
        return sorted(rows, key=lambda r: (r.due_at, r.key))[:limit]

    async def _get(self, key: str) -> NudgeRecord | None:
        return self._rows.get(key)

    async def _pending_owners(self) -> list[tuple[str, str]]:
        return [
            owner
            for owner, keys in self._by_owner.items()
            if any(
                (r := self._rows[k]).status is NudgeStatus.PENDING and r.kind is not ItemKind.NOTICE
                for k in keys
            )
        ]

    async def _counts(self) -> dict[str, int]:
        found: dict[str, int] = {"unreachable": len(self._unreachable)}
        for record in self._rows.values():
            found[record.status.value] = found.get(record.status.value, 0) + 1
        return found

    async def _purge(self, before: datetime) -> int:
        old = [
            r.key
            for r in self._rows.values()
            if r.status in (NudgeStatus.SENT, NudgeStatus.DROPPED) and r.session_start < before
        ]
        for key in old:
            self._delete(key)
        return len(old)

    async def _ping(self) -> None:
        return None

    async def _close(self) -> None:
        self._rows.clear()
        self._by_owner.clear()
        self._unreachable.clear()
        self._by_session.clear()
        self._placements.clear()
