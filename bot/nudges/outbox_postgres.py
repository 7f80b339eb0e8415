"""The outbox in PostgreSQL (``postgresql://...``): one queue shared by several bot instances.

Schema (``T`` is ``PREFIX_nudges``, created on first use)::

    T(key text PRIMARY KEY, channel_id, user_id, session_id text, session_start timestamptz,
      due_at timestamptz, status text, attempts integer, claimed_by text,
      lease_until timestamptz, sent_at timestamptz, reason text, kind text, payload text)
    T_due   ON T(status, due_at)                          -- claim_due, upcoming, counts
    T_lease ON T(lease_until) WHERE status = 'claimed'    -- expired leases
    T_owner ON T(channel_id, user_id)                     -- replan, mark_unreachable
    T_session ON T(session_id)                            -- holders, note_changes
    PREFIX_unreachable(channel_id text, user_id text, reason text, PRIMARY KEY (...))
    PREFIX_placements(session_id text PRIMARY KEY, token text, version integer)

A claim is one statement: it picks the due rows from the ``(status, due_at)`` index (and expired
leases from the lease index) with ``FOR UPDATE SKIP LOCKED``, so concurrent claimers on any
number of instances skip each other's rows instead of waiting or taking them twice, and marks
them claimed.  PostgreSQL re-checks a locked row's status against its latest version, so a row
claimed and committed by another instance after this statement's snapshot is not taken again.
Replanning holds its rows' locks too, so a claimer never sees half a replan.  Noting a schedule
change takes a transaction-scoped advisory lock on its session, so instances reporting the same
change one after the other see each other's record (`bot.nudges.changes`).  Tables made before
notices existed get the ``kind`` and ``payload`` columns on first use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

import asyncpg

from bot.nudges.changes import (
    NotedPlacement,
    NoticePayload,
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
    outbox_tables,
)
from bot.nudges.planner import PlannedNudge
from bot.storage import DEFAULT_TABLE
from bot.storage.postgres_pool import PostgresPool, split_table

T = TypeVar("T")

_OWNERS_PER_TRANSACTION = 2000
_DEADLOCK_RETRIES = 5
_ANALYZE_AFTER_ROWS = 200_000
_KEYS_PER_STATEMENT = 1000
_COLUMNS = (
    "key, channel_id, user_id, session_id, session_start, due_at, status, attempts,"
    " claimed_by, lease_until, sent_at, reason, kind, payload"
)


def _record(row: Any) -> NudgeRecord:
    return NudgeRecord(
        key=row["key"],
        channel_id=row["channel_id"],
        user_id=row["user_id"],
        session_id=row["session_id"],
        session_start=row["session_start"],
        due_at=row["due_at"],
        status=NudgeStatus(row["status"]),
        attempts=row["attempts"],
        claimed_by=row["claimed_by"],
        lease_until=row["lease_until"],
        sent_at=row["sent_at"],
        reason=row["reason"],
        kind=ItemKind(row["kind"]),
        payload=row["payload"],
    )


def _batches(plans: list[OwnerPlan]) -> Iterator[list[OwnerPlan]]:
    for start in range(0, len(plans), _OWNERS_PER_TRANSACTION):
        yield plans[start : start + _OWNERS_PER_TRANSACTION]


def _slices(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), _KEYS_PER_STATEMENT):
        yield items[start : start + _KEYS_PER_STATEMENT]


def _affected(status: str) -> int:
    """The row count of an asyncpg command status such as ``DELETE 3``."""
    tail = status.rpartition(" ")[2]
    return int(tail) if tail.isdigit() else 0


class PostgresOutbox(Outbox):
    kind = "postgresql"

    def __init__(
        self,
        dsn: str,
        *,
        table: str = DEFAULT_TABLE,
        min_size: int = 1,
        max_size: int = 10,
        timeout: float = 10.0,
    ) -> None:
        super().__init__()
        self.table, self.unreachable_table, self.placements_table = outbox_tables(table)
        self._timeout = timeout
        self._pool = PostgresPool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            setup=self._create_tables,
            check_open=self._check_open,
        )
        self._planned_since_analyze = 0
        t, u = f'"{self.table}"', f'"{self.unreachable_table}"'
        self._t, self._u, self._p = t, u, f'"{self.placements_table}"'
        # $1 now, $2 limit, $3 worker, $4 lease_until
        self._sql_claim = (
            # Rows are picked by their physical address (ctid), which cannot change while this
            # statement holds their locks: a TID scan, no second walk of the key index.
            "WITH expired AS ("
            f" SELECT ctid FROM {t} WHERE status = 'claimed' AND lease_until <= $1"
            " ORDER BY lease_until LIMIT $2 FOR UPDATE SKIP LOCKED),"
            " due AS ("
            f" SELECT ctid FROM {t} WHERE status = 'pending' AND due_at <= $1"
            " ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED),"
            " picked AS (SELECT ctid FROM expired UNION ALL SELECT ctid FROM due LIMIT $2),"
            # Nudges of attendees who blocked the bot are deleted instead of handed out.
            " gone AS ("
            f" DELETE FROM {t} AS n USING {u} AS u"
            " WHERE n.ctid = ANY(ARRAY(SELECT ctid FROM picked))"
            " AND u.channel_id = n.channel_id AND u.user_id = n.user_id RETURNING n.key)"
            f" UPDATE {t} AS n SET status = 'claimed', claimed_by = $3, lease_until = $4"
            " WHERE n.ctid = ANY(ARRAY(SELECT ctid FROM picked))"
            f" AND NOT EXISTS (SELECT 1 FROM {u} AS u"
            " WHERE u.channel_id = n.channel_id AND u.user_id = n.user_id)"
            " RETURNING n.key, n.channel_id, n.user_id, n.session_id, n.session_start,"
            " n.due_at, n.attempts, n.kind, n.payload"
        )
        self._sql_unreachable_of = (
            f"SELECT u.channel_id, u.user_id FROM {u} AS u"
            " JOIN unnest($1::text[], $2::text[]) AS o(channel_id, user_id)"
            " ON u.channel_id = o.channel_id AND u.user_id = o.user_id"
        )
        # The attendees' pending rows, through the owner index: what to delete, move, insert.
        self._sql_pending_of = (
            f"SELECT n.key, n.due_at, n.attempts FROM {t} AS n"
            " JOIN unnest($1::text[], $2::text[]) AS o(channel_id, user_id)"
            " ON n.channel_id = o.channel_id AND n.user_id = o.user_id"
            " WHERE n.status = 'pending' AND n.kind <> 'notice'"
        )
        # Each statement below re-checks the status under the row lock: a nudge claimed since
        # the read above is left to its claimer.
        self._sql_delete_stale = (
            f"DELETE FROM {t} WHERE key = ANY($1::text[]) AND status = 'pending'"
        )
        self._sql_move = (
            f"UPDATE {t} AS n SET due_at = p.due_at"
            " FROM unnest($1::text[], $2::timestamptz[]) AS p(key, due_at)"
            " WHERE n.key = ANY($1::text[]) AND n.key = p.key"
            " AND n.status = 'pending' AND n.attempts = 0"
        )
        # New keys only; a key that exists (sent, dropped, claimed, or pending since the read)
        # is left alone and not even locked, unlike with ON CONFLICT DO UPDATE.  Sorted keys:
        # two instances replanning the same attendees take their locks in the same order.
        self._sql_insert = (
            f"INSERT INTO {t} (key, channel_id, user_id, session_id, session_start, due_at,"
            " kind, payload, status, attempts, reason)"
            " SELECT key, channel_id, user_id, session_id, session_start, due_at, kind, payload,"
            " 'pending', 0, ''"
            " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[],"
            " $6::timestamptz[], $7::text[], $8::text[])"
            " AS p(key, channel_id, user_id, session_id, session_start, due_at, kind, payload)"
            " ORDER BY key ON CONFLICT (key) DO NOTHING"
        )

    @classmethod
    def from_url(cls, url: str) -> PostgresOutbox:
        """The outbox for a ``postgresql://`` or ``postgres://`` URL; ``?table=`` is the table
        prefix, every other parameter goes to asyncpg."""
        dsn, table = split_table(url)
        return cls(dsn, table=table)

    @property
    def dsn(self) -> str:
        """The connection string, password included: for tools, never for logs."""
        return self._pool.dsn

    def __repr__(self) -> str:
        return f"PostgresOutbox({self._pool.redacted!r}, table={self.table!r})"

    async def _get_pool(self) -> Any:
        return await self._pool.get()

    async def _create_tables(self, pool: Any) -> None:
        t, u = self._t, self._u
        async with pool.acquire() as connection, connection.transaction():
            # Instances starting together would otherwise race on CREATE ... IF NOT EXISTS.
            await connection.execute(
                "SELECT pg_advisory_xact_lock(hashtext($1))", f"hallway-outbox:{self.table}"
            )
            await connection.execute(
                f"CREATE TABLE IF NOT EXISTS {t} ("
                # Byte order ("C"): these are identifiers, compared for equality only, and
                # locale-aware comparison of long keys costs more than the rest of a lookup.
                ' key text COLLATE "C" PRIMARY KEY,'
                ' channel_id text COLLATE "C" NOT NULL,'
                ' user_id text COLLATE "C" NOT NULL,'
                ' session_id text COLLATE "C" NOT NULL,'
                " session_start timestamptz NOT NULL,"
                " due_at timestamptz NOT NULL,"
                " status text NOT NULL"
                "  CHECK (status IN ('pending', 'claimed', 'sent', 'dropped')),"
                " attempts integer NOT NULL DEFAULT 0,"
                " claimed_by text,"
                " lease_until timestamptz,"
                " sent_at timestamptz,"
                " reason text NOT NULL DEFAULT '',"
                " kind text NOT NULL DEFAULT 'nudge',"
                " payload text NOT NULL DEFAULT ''"
                ")"
            )
            # A table from before notices: every row there is a nudge (no rewrite: the
            # defaults are constants).
            await connection.execute(
                f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'nudge',"
                " ADD COLUMN IF NOT EXISTS payload text NOT NULL DEFAULT ''"
            )
            await connection.execute(
                f'CREATE INDEX IF NOT EXISTS "{self.table}_due" ON {t} (status, due_at)'
            )
            await connection.execute(
                f'CREATE INDEX IF NOT EXISTS "{self.table}_lease" ON {t} (lease_until)'
                " WHERE status = 'claimed'"
            )
            await connection.execute(
                f'CREATE INDEX IF NOT EXISTS "{self.table}_owner" ON {t} (channel_id, user_id)'
            )
            await connection.execute(
                f'CREATE INDEX IF NOT EXISTS "{self.table}_session" ON {t} (session_id)'
            )
            await connection.execute(
                f"CREATE TABLE IF NOT EXISTS {self._p} ("
                ' session_id text COLLATE "C" PRIMARY KEY,'
                " token text,"  # the placement last noted; NULL: cancelled
                " version integer NOT NULL"
                ")"
            )
            await connection.execute(
                f"CREATE TABLE IF NOT EXISTS {u} ("
                ' channel_id text COLLATE "C" NOT NULL,'
                ' user_id text COLLATE "C" NOT NULL,'
                " reason text NOT NULL DEFAULT '',"
                " PRIMARY KEY (channel_id, user_id)"
                ")"
            )

    # -- Outbox --------------------------------------------------------------------------------

    async def _replan(self, plans: list[OwnerPlan]) -> None:
        pool = await self._get_pool()
        rows = sum(len(p.nudges) for p in plans)
        for batch in _batches(plans):
            for attempt in range(_DEADLOCK_RETRIES):
                try:
                    async with pool.acquire() as connection, connection.transaction():
                        await self._replan_batch(connection, batch)
                    break
                except asyncpg.exceptions.DeadlockDetectedError:
                    # Two instances replanning the same attendees at once; one of them yields.
                    if attempt == _DEADLOCK_RETRIES - 1:
                        raise
                    await asyncio.sleep(0.01 * (attempt + 1))
        self._planned_since_analyze += rows
        if self._planned_since_analyze >= _ANALYZE_AFTER_ROWS:
            # A bulk plan (start-up, reload) changes what is due faster than autovacuum
            # notices: fresh statistics keep claims on an ordered scan of the due index.
            self._planned_since_analyze = 0
            await pool.execute(f"ANALYZE {self._t}")

    async def _replan_batch(self, connection: Any, plans: list[OwnerPlan]) -> None:
        channels = [p.channel_id for p in plans]
        users = [p.user_id for p in plans]
        gone = {
            (row["channel_id"], row["user_id"])
            for row in await connection.fetch(self._sql_unreachable_of, channels, users)
        }
        wanted = {
            n.key: n for p in plans if (p.channel_id, p.user_id) not in gone for n in p.nudges
        }
        stale: list[str] = []
        moved: list[PlannedNudge] = []
        for row in await connection.fetch(self._sql_pending_of, channels, users):
            nudge = wanted.pop(row["key"], None)
            if nudge is None:
                stale.append(row["key"])
            elif row["attempts"] == 0 and row["due_at"] != nudge.due_at:
                moved.append(nudge)
        # Small key lists keep the planner on the primary key index.
        for keys in _slices(sorted(stale)):
            await connection.execute(self._sql_delete_stale, keys)
        for some in _slices(sorted(moved, key=lambda n: n.key)):
            await connection.execute(
                self._sql_move, [n.key for n in some], [n.due_at for n in some]
            )
        new = sorted(wanted.values(), key=lambda n: n.key)
        if new:
            await connection.execute(
                self._sql_insert,
                [n.key for n in new],
                [n.channel_id for n in new],
                [n.user_id for n in new],
                [n.session_id for n in new],
                [n.session_start for n in new],
                [n.due_at for n in new],
                [n.kind.value for n in new],
                [n.payload for n in new],
            )

    async def _claim(
        self, now: datetime, limit: int, lease_until: datetime, worker: str
    ) -> list[ClaimedNudge]:
        pool = await self._get_pool()
        rows = await pool.fetch(self._sql_claim, now, limit, worker, lease_until)
        return [
            ClaimedNudge(
                key=row["key"],
                channel_id=row["channel_id"],
                user_id=row["user_id"],
                session_id=row["session_id"],
                session_start=row["session_start"],
                due_at=row["due_at"],
                attempts=row["attempts"],
                lease_until=lease_until,
                kind=ItemKind(row["kind"]),
                payload=row["payload"],
            )
            for row in rows
        ]

    async def _holders(self, session_ids: list[str]) -> dict[str, set[tuple[str, str]]]:
        pool = await self._get_pool()
        found: dict[str, set[tuple[str, str]]] = {}
        for some in _slices(session_ids):
            rows = await pool.fetch(
                f"SELECT DISTINCT session_id, channel_id, user_id FROM {self._t}"
                " WHERE session_id = ANY($1::text[]) AND kind = 'nudge'",
                list(some),
            )
            for row in rows:
                owner = (str(row["channel_id"]), str(row["user_id"]))
                found.setdefault(str(row["session_id"]), set()).add(owner)
        return found

    async def _note_change(
        self,
        change: ScheduleChange,
        recipients: Collection[tuple[str, str]],
        now: datetime,
        window: timedelta,
    ) -> int:
        t, p = self._t, self._p
        pool = await self._get_pool()
        async with pool.acquire() as connection, connection.transaction():
            # One instance at a time per session: the second one to report a change finds it
            # already noted.
            await connection.execute(
                "SELECT pg_advisory_xact_lock(hashtext($1))",
                f"hallway-notice:{self.table}:{change.session_id}",
            )
            row = await connection.fetchrow(
                f"SELECT token, version FROM {p} WHERE session_id = $1", change.session_id
            )
            noted = None if row is None else NotedPlacement(row["token"], row["version"])
            # Locked, so a claim skips them until this transaction has folded the change in.
            pending = [
                PendingNotice(
                    r["key"], r["channel_id"], r["user_id"], NoticePayload.from_text(r["payload"])
                )
                for r in await connection.fetch(
                    f"SELECT key, channel_id, user_id, payload FROM {t} WHERE session_id = $1"
                    " AND kind = 'notice' AND status = 'pending' ORDER BY key FOR UPDATE",
                    change.session_id,
                )
            ]
            plan = plan_notices(change, noted, pending, recipients, now, window)
            if plan.noted is None:
                return 0
            await connection.execute(
                f"INSERT INTO {p} (session_id, token, version) VALUES ($1, $2, $3)"
                " ON CONFLICT (session_id) DO UPDATE SET token = EXCLUDED.token,"
                " version = EXCLUDED.version",
                change.session_id,
                plan.noted.token,
                plan.noted.version,
            )
            if plan.updates:
                await connection.executemany(
                    f"UPDATE {t} SET due_at = $1, payload = $2 WHERE key = $3"
                    " AND status = 'pending'",
                    [(r.due_at, r.payload.to_text(), r.key) for r in plan.updates],
                )
            inserted = 0
            for some in _slices(plan.inserts):
                status = await connection.execute(
                    f"INSERT INTO {t} (key, channel_id, user_id, session_id, session_start,"
                    " due_at, status, attempts, reason, kind, payload)"
                    " SELECT key, channel_id, user_id, $4::text, session_start, due_at,"
                    " 'pending', 0, '', 'notice', payload FROM unnest($1::text[], $2::text[],"
                    " $3::text[], $5::timestamptz[], $6::timestamptz[], $7::text[])"
                    " AS r(key, channel_id, user_id, session_start, due_at, payload)"
                    " ORDER BY key ON CONFLICT (key) DO NOTHING",
                    [r.key for r in some],
                    [r.channel_id for r in some],
                    [r.user_id for r in some],
                    change.session_id,
                    [r.session_start for r in some],
                    [r.due_at for r in some],
                    [r.payload.to_text() for r in some],
                )
                inserted += _affected(status)
        return len(plan.updates) + inserted

    async def _update_claimed(self, key: str, worker: str, assignments: str, *args: Any) -> bool:
        # $1 key, $2 worker, then the assignments' own parameters from $3
        sql = (
            f"UPDATE {self._t} SET {assignments}, claimed_by = NULL, lease_until = NULL"
            " WHERE key = $1 AND status = 'claimed' AND claimed_by = $2 RETURNING 1"
        )
        pool = await self._get_pool()
        return await pool.fetchval(sql, key, worker, *args) is not None

    async def _mark_sent(self, key: str, worker: str, sent_at: datetime) -> bool:
        return await self._update_claimed(key, worker, "status = 'sent', sent_at = $3", sent_at)

    async def _mark_sent_many(self, keys: list[str], worker: str, sent_at: datetime) -> set[str]:
        pool = await self._get_pool()
        marked: set[str] = set()
        async with pool.acquire() as connection, connection.transaction():
            for some in _slices(sorted(keys)):
                rows = await connection.fetch(
                    f"UPDATE {self._t} SET status = 'sent', sent_at = $3, claimed_by = NULL,"
                    " lease_until = NULL WHERE key = ANY($1::text[]) AND status = 'claimed'"
                    " AND claimed_by = $2 RETURNING key",
                    list(some),
                    worker,
                    sent_at,
                )
                marked.update(row["key"] for row in rows)
        return marked

    async def _mark_retry(self, key: str, worker: str, retry_at: datetime, reason: str) -> bool:
        return await self._update_claimed(
            key,
            worker,
            "status = 'pending', due_at = $3, attempts = attempts + 1, reason = $4",
            retry_at,
            reason,
        )

    async def _mark_dropped(self, key: str, worker: str, reason: str) -> bool:
        return await self._update_claimed(key, worker, "status = 'dropped', reason = $3", reason)

    async def _mark_unreachable(self, channel_id: str, user_id: str, reason: str) -> int:
        pool = await self._get_pool()
        async with pool.acquire() as connection, connection.transaction():
            await connection.execute(
                f"INSERT INTO {self._u} (channel_id, user_id, reason) VALUES ($1, $2, $3)"
                " ON CONFLICT (channel_id, user_id) DO UPDATE SET reason = EXCLUDED.reason",
                channel_id,
                user_id,
                reason,
            )
            status = await connection.execute(
                f"DELETE FROM {self._t} WHERE channel_id = $1 AND user_id = $2"
                " AND status = 'pending'",
                channel_id,
                user_id,
            )
        return _affected(status)

    async def _is_unreachable(self, channel_id: str, user_id: str) -> bool:
        pool = await self._get_pool()
        found = await pool.fetchval(
            f"SELECT 1 FROM {self._u} WHERE channel_id = $1 AND user_id = $2", channel_id, user_id
        )
        return found is not None

    async def _clear_unreachable(self, channel_id: str, user_id: str) -> bool:
        pool = await self._get_pool()
        status = await pool.execute(
            f"DELETE FROM {self._u} WHERE channel_id = $1 AND user_id = $2", channel_id, user_id
        )
        return _affected(status) > 0

    async def _upcoming(self, until: datetime, limit: int) -> list[NudgeRecord]:
        pool = await self._get_pool()
        rows = await pool.fetch(
            f"SELECT {_COLUMNS} FROM {self._t} WHERE status IN ('pending', 'claimed')"
            " AND due_at <= $1 ORDER BY due_at, key LIMIT $2",
            until,
            limit,
        )
        return [_record(row) for row in rows]

    async def _get(self, key: str) -> NudgeRecord | None:
        pool = await self._get_pool()
        row = await pool.fetchrow(f"SELECT {_COLUMNS} FROM {self._t} WHERE key = $1", key)
        return None if row is None else _record(row)

    async def _pending_owners(self) -> list[tuple[str, str]]:
        pool = await self._get_pool()
        rows = await pool.fetch(
            f"SELECT DISTINCT channel_id, user_id FROM {self._t}"
            " WHERE status = 'pending' AND kind <> 'notice'"
        )
        return [(str(row["channel_id"]), str(row["user_id"])) for row in rows]

    async def _counts(self) -> dict[str, int]:
        pool = await self._get_pool()
        rows = await pool.fetch(
            f"SELECT status, count(*) AS n FROM {self._t} GROUP BY status"
            f" UNION ALL SELECT 'unreachable', count(*) FROM {self._u}"
        )
        return {row["status"]: row["n"] for row in rows}

    async def _purge(self, before: datetime) -> int:
        pool = await self._get_pool()
        status = await pool.execute(
            f"DELETE FROM {self._t} WHERE status IN ('sent', 'dropped') AND session_start < $1",
            before,
        )
        return _affected(status)

    async def _ping(self) -> None:
        await self._pool.ping()

    async def _close(self) -> None:
        await self._pool.close()
