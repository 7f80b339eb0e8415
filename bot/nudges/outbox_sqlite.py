"""The outbox in SQLite (``sqlite:///path``), next to the bot's state in the same file.

As in `bot.storage.sqlite`, all database work runs on one dedicated thread per outbox object (the
event loop never waits on the disk), the file is in WAL mode with ``synchronous=NORMAL``, and
every change runs in a ``BEGIN IMMEDIATE`` transaction, which takes the file's write lock first:
two outbox objects or two processes on one file are serialised, so a nudge claimed by one is seen
as claimed by the other.  A busy file is waited for up to ``busy_timeout_ms``.

Schema (``T`` is ``PREFIX_nudges``; times are integer microseconds since the Unix epoch, UTC)::

    T(key TEXT PRIMARY KEY, channel_id, user_id, session_id TEXT, session_start INTEGER,
      due_at INTEGER, status TEXT, attempts INTEGER, claimed_by TEXT, lease_until INTEGER,
      sent_at INTEGER, reason TEXT, kind TEXT, payload TEXT)
    T_due   ON T(status, due_at)                          -- claim_due, upcoming, counts
    T_lease ON T(lease_until) WHERE status = 'claimed'    -- expired leases
    T_owner ON T(channel_id, user_id)                     -- replan, mark_unreachable
    T_session ON T(session_id)                            -- holders, note_changes
    PREFIX_unreachable(channel_id, user_id, reason, PRIMARY KEY (channel_id, user_id))
    PREFIX_placements(session_id TEXT PRIMARY KEY, token TEXT, version INTEGER)

A file made before notices existed gets the ``kind`` and ``payload`` columns (every row a
nudge) and the new index and table when it is first opened.

A claim tick first probes the two indexes without a transaction; with nothing due it returns
without taking the write lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

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
    from_micros,
    outbox_tables,
    to_micros,
)
from bot.storage import DEFAULT_TABLE
from bot.storage.sqlite_thread import SqliteThread

T = TypeVar("T")

# Attendees replanned per transaction: long enough to be efficient, short enough that claims
# from other connections are not held up for long behind a bulk replan.
_OWNERS_PER_TRANSACTION = 2000
_CACHE_KIB = 64 * 1024
_COLUMNS = (
    "key, channel_id, user_id, session_id, session_start, due_at, status, attempts,"
    " claimed_by, lease_until, sent_at, reason, kind, payload"
)


def _record(row: Sequence[Any]) -> NudgeRecord:
    key, channel_id, user_id, session_id, start, due, status, attempts = row[:8]
    claimed_by, lease_until, sent_at, reason, kind, payload = row[8:]
    return NudgeRecord(
        key=key,
        channel_id=channel_id,
        user_id=user_id,
        session_id=session_id,
        session_start=from_micros(start),
        due_at=from_micros(due),
        status=NudgeStatus(status),
        attempts=attempts,
        claimed_by=claimed_by,
        lease_until=None if lease_until is None else from_micros(lease_until),
        sent_at=None if sent_at is None else from_micros(sent_at),
        reason=reason,
        kind=ItemKind(kind),
        payload=payload,
    )


def _claimed(row: Sequence[Any], lease_until: datetime) -> ClaimedNudge:
    key, channel_id, user_id, session_id, start, due, attempts, kind, payload = row
    return ClaimedNudge(
        key=key,
        channel_id=channel_id,
        user_id=user_id,
        session_id=session_id,
        session_start=from_micros(start),
        due_at=from_micros(due),
        attempts=attempts,
        lease_until=lease_until,
        kind=ItemKind(kind),
        payload=payload,
    )


def _notice_values(row: NoticeRow) -> tuple[str, str, str, str, int, int, str]:
    return (
        row.key,
        row.channel_id,
        row.user_id,
        row.session_id,
        to_micros(row.session_start),
        to_micros(row.due_at),
        row.payload.to_text(),
    )


def _batches(plans: list[OwnerPlan]) -> Iterator[list[OwnerPlan]]:
    for start in range(0, len(plans), _OWNERS_PER_TRANSACTION):
        yield plans[start : start + _OWNERS_PER_TRANSACTION]


class SqliteOutbox(Outbox):
    kind = "sqlite"

    def __init__(
        self, path: Path, *, table: str = DEFAULT_TABLE, busy_timeout_ms: int = 10_000
    ) -> None:
        super().__init__()
        self.path = path
        self.table, self.unreachable_table, self.placements_table = outbox_tables(table)
        self._thread = SqliteThread(
            path, busy_timeout_ms=busy_timeout_ms, thread_name="hallway-outbox", setup=self._setup
        )
        t, u = f'"{self.table}"', f'"{self.unreachable_table}"'
        self._t, self._u, self._p = t, u, f'"{self.placements_table}"'
        returning = (
            "RETURNING key, channel_id, user_id, session_id, session_start, due_at, attempts,"
            " kind, payload"
        )
        claim = f"UPDATE {t} SET status = 'claimed', claimed_by = ?, lease_until = ?"
        self._sql_claim_expired = (
            f"{claim} WHERE rowid IN (SELECT rowid FROM {t} WHERE status = 'claimed'"
            f" AND lease_until <= ? ORDER BY lease_until LIMIT ?) {returning}"
        )
        self._sql_claim_due = (
            f"{claim} WHERE rowid IN (SELECT rowid FROM {t} WHERE status = 'pending'"
            f" AND due_at <= ? ORDER BY due_at LIMIT ?) {returning}"
        )
        self._sql_probe_due = f"SELECT 1 FROM {t} WHERE status = 'pending' AND due_at <= ? LIMIT 1"
        self._sql_probe_expired = (
            f"SELECT 1 FROM {t} WHERE status = 'claimed' AND lease_until <= ? LIMIT 1"
        )
        self._sql_upsert = (
            f"INSERT INTO {t} (key, channel_id, user_id, session_id, session_start, due_at,"
            " kind, payload, status, attempts, reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, '')"
            " ON CONFLICT (key) DO UPDATE SET due_at = excluded.due_at"
            f" WHERE {t}.status = 'pending' AND {t}.attempts = 0"
            f" AND {t}.due_at <> excluded.due_at"
        )

    def __repr__(self) -> str:
        return f"SqliteOutbox({str(self.path)!r}, table={self.table!r})"

    # -- worker thread -------------------------------------------------------------------------

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await self._thread.run(work)

    def _setup(self, connection: sqlite3.Connection) -> None:
        # A million planned nudges make indexes of tens of MB: keep them in memory (the
        # default is 2 MB), or a bulk replan re-reads index pages from the disk.
        connection.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        self._thread.writing(connection, lambda: self._create(connection))

    def _create(self, connection: sqlite3.Connection) -> None:
        t, u = self._t, self._u
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS {t} ("
            " key TEXT PRIMARY KEY NOT NULL,"
            " channel_id TEXT NOT NULL,"
            " user_id TEXT NOT NULL,"
            " session_id TEXT NOT NULL,"
            " session_start INTEGER NOT NULL,"  # microseconds since the epoch, UTC
            " due_at INTEGER NOT NULL,"
            " status TEXT NOT NULL"
            "  CHECK (status IN ('pending', 'claimed', 'sent', 'dropped')),"
            " attempts INTEGER NOT NULL DEFAULT 0,"
            " claimed_by TEXT,"
            " lease_until INTEGER,"
            " sent_at INTEGER,"
            " reason TEXT NOT NULL DEFAULT '',"
            " kind TEXT NOT NULL DEFAULT 'nudge',"
            " payload TEXT NOT NULL DEFAULT ''"
            ")"
        )
        columns = {row[1] for row in connection.execute(f"PRAGMA table_info({t})")}
        if "kind" not in columns:  # a file from before notices: every row there is a nudge
            connection.execute(f"ALTER TABLE {t} ADD COLUMN kind TEXT NOT NULL DEFAULT 'nudge'")
        if "payload" not in columns:
            connection.execute(f"ALTER TABLE {t} ADD COLUMN payload TEXT NOT NULL DEFAULT ''")
        connection.execute(f'CREATE INDEX IF NOT EXISTS "{self.table}_due" ON {t} (status, due_at)')
        connection.execute(
            f'CREATE INDEX IF NOT EXISTS "{self.table}_lease" ON {t} (lease_until)'
            " WHERE status = 'claimed'"
        )
        connection.execute(
            f'CREATE INDEX IF NOT EXISTS "{self.table}_owner" ON {t} (channel_id, user_id)'
        )
        connection.execute(f'CREATE INDEX IF NOT EXISTS "{self.table}_session" ON {t} (session_id)')
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS {self._p} ("
            " session_id TEXT PRIMARY KEY NOT NULL,"
            " token TEXT,"  # the placement last noted; NULL: cancelled
            " version INTEGER NOT NULL"
            ") WITHOUT ROWID"
        )
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS {u} ("
            " channel_id TEXT NOT NULL,"
            " user_id TEXT NOT NULL,"
            " reason TEXT NOT NULL DEFAULT '',"
            " PRIMARY KEY (channel_id, user_id)"
            ") WITHOUT ROWID"
        )

    async def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await self._run(lambda c: self._thread.writing(c, lambda: work(c)))

    def _is_unreachable_on(self, connection: sqlite3.Connection, channel: str, user: str) -> bool:
        row = connection.execute(
            f"SELECT 1 FROM {self._u} WHERE channel_id = ? AND user_id = ?", (channel, user)
        ).fetchone()
        return row is not None

    # -- Outbox --------------------------------------------------------------------------------

    async def _replan(self, plans: list[OwnerPlan]) -> None:
        for batch in _batches(plans):
            await self._replan_some(batch)

    async def _replan_some(self, plans: list[OwnerPlan]) -> None:
        await self._write(lambda c: self._replan_batch(c, plans))

    def _replan_batch(self, connection: sqlite3.Connection, plans: list[OwnerPlan]) -> None:
        t = self._t
        stale: list[tuple[str]] = []
        rows: list[tuple[str, str, str, str, int, int, str, str]] = []
        for plan in plans:
            unreachable = self._is_unreachable_on(connection, plan.channel_id, plan.user_id)
            nudges = () if unreachable else plan.nudges
            wanted = {n.key for n in nudges}
            for (key,) in connection.execute(
                f"SELECT key FROM {t} WHERE channel_id = ? AND user_id = ? AND status = 'pending'"
                " AND kind <> 'notice'",
                (plan.channel_id, plan.user_id),
            ):
                if key not in wanted:
                    stale.append((key,))
            rows.extend(
                (
                    n.key,
                    n.channel_id,
                    n.user_id,
                    n.session_id,
                    to_micros(n.session_start),
                    to_micros(n.due_at),
                    n.kind.value,
                    n.payload,
                )
                for n in nudges
            )
        connection.executemany(f"DELETE FROM {t} WHERE key = ? AND status = 'pending'", stale)
        connection.executemany(self._sql_upsert, rows)

    async def _claim(
        self, now: datetime, limit: int, lease_until: datetime, worker: str
    ) -> list[ClaimedNudge]:
        now_us, lease_us = to_micros(now), to_micros(lease_until)

        def work(connection: sqlite3.Connection) -> list[ClaimedNudge]:
            expired = connection.execute(self._sql_probe_expired, (now_us,)).fetchone()
            if (
                expired is None
                and connection.execute(self._sql_probe_due, (now_us,)).fetchone() is None
            ):
                return []  # the common tick: two index probes, no write lock
            return self._thread.writing(connection, lambda: claim(connection))

        def claim(connection: sqlite3.Connection) -> list[ClaimedNudge]:
            rows = connection.execute(
                self._sql_claim_expired, (worker, lease_us, now_us, limit)
            ).fetchall()
            if len(rows) < limit:
                rows += connection.execute(
                    self._sql_claim_due, (worker, lease_us, now_us, limit - len(rows))
                ).fetchall()
            owners = {(row[1], row[2]) for row in rows}
            if owners and connection.execute(f"SELECT 1 FROM {self._u} LIMIT 1").fetchone():
                gone = {o for o in owners if self._is_unreachable_on(connection, *o)}
                if gone:
                    connection.executemany(
                        f"DELETE FROM {self._t} WHERE key = ?",
                        [(row[0],) for row in rows if (row[1], row[2]) in gone],
                    )
                    rows = [row for row in rows if (row[1], row[2]) not in gone]
            return [_claimed(row, lease_until) for row in rows]

        return await self._run(work)

    async def _holders(self, session_ids: list[str]) -> dict[str, set[tuple[str, str]]]:
        sql = (
            f"SELECT DISTINCT channel_id, user_id FROM {self._t}"
            " WHERE session_id = ? AND kind = 'nudge'"
        )

        def work(connection: sqlite3.Connection) -> dict[str, set[tuple[str, str]]]:
            found: dict[str, set[tuple[str, str]]] = {}
            for session_id in session_ids:
                owners = {(str(c), str(u)) for c, u in connection.execute(sql, (session_id,))}
                if owners:
                    found[session_id] = owners
            return found

        return await self._run(lambda c: self._thread.reading(c, lambda: work(c)))

    async def _note_change(
        self,
        change: ScheduleChange,
        recipients: Collection[tuple[str, str]],
        now: datetime,
        window: timedelta,
    ) -> int:
        t, p = self._t, self._p

        def work(connection: sqlite3.Connection) -> int:
            row = connection.execute(
                f"SELECT token, version FROM {p} WHERE session_id = ?", (change.session_id,)
            ).fetchone()
            noted = None if row is None else NotedPlacement(row[0], row[1])
            pending = [
                PendingNotice(key, channel, user, NoticePayload.from_text(payload))
                for key, channel, user, payload in connection.execute(
                    f"SELECT key, channel_id, user_id, payload FROM {t} WHERE session_id = ?"
                    " AND kind = 'notice' AND status = 'pending' ORDER BY key",
                    (change.session_id,),
                )
            ]
            plan = plan_notices(change, noted, pending, recipients, now, window)
            if plan.noted is None:
                return 0
            connection.execute(
                f"INSERT INTO {p} (session_id, token, version) VALUES (?, ?, ?)"
                " ON CONFLICT (session_id) DO UPDATE SET token = excluded.token,"
                " version = excluded.version",
                (change.session_id, plan.noted.token, plan.noted.version),
            )
            connection.executemany(
                f"UPDATE {t} SET due_at = ?, payload = ? WHERE key = ? AND status = 'pending'",
                [(to_micros(r.due_at), r.payload.to_text(), r.key) for r in plan.updates],
            )
            before = connection.total_changes
            connection.executemany(
                f"INSERT INTO {t} (key, channel_id, user_id, session_id, session_start, due_at,"
                " status, attempts, reason, kind, payload)"
                " VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, '', 'notice', ?)"
                " ON CONFLICT (key) DO NOTHING",
                [_notice_values(r) for r in plan.inserts],
            )
            return len(plan.updates) + connection.total_changes - before

        return await self._write(work)

    async def _update_claimed(self, key: str, worker: str, assignments: str, *args: Any) -> bool:
        sql = (
            f"UPDATE {self._t} SET {assignments}, claimed_by = NULL, lease_until = NULL"
            " WHERE key = ? AND status = 'claimed' AND claimed_by = ?"
        )
        changed = await self._write(lambda c: c.execute(sql, (*args, key, worker)).rowcount)
        return changed == 1

    async def _mark_sent(self, key: str, worker: str, sent_at: datetime) -> bool:
        return await self._update_claimed(
            key, worker, "status = 'sent', sent_at = ?", to_micros(sent_at)
        )

    async def _mark_sent_many(self, keys: list[str], worker: str, sent_at: datetime) -> set[str]:
        sql = (
            f"UPDATE {self._t} SET status = 'sent', sent_at = ?, claimed_by = NULL,"
            " lease_until = NULL WHERE key = ? AND status = 'claimed' AND claimed_by = ?"
        )
        at = to_micros(sent_at)

        def work(connection: sqlite3.Connection) -> set[str]:
            return {key for key in keys if connection.execute(sql, (at, key, worker)).rowcount}

        return await self._write(work)

    async def _mark_retry(self, key: str, worker: str, retry_at: datetime, reason: str) -> bool:
        return await self._update_claimed(
            key,
            worker,
            "status = 'pending', due_at = ?, attempts = attempts + 1, reason = ?",
            to_micros(retry_at),
            reason,
        )

    async def _mark_dropped(self, key: str, worker: str, reason: str) -> bool:
        return await self._update_claimed(key, worker, "status = 'dropped', reason = ?", reason)

    async def _mark_unreachable(self, channel_id: str, user_id: str, reason: str) -> int:
        def work(connection: sqlite3.Connection) -> int:
            connection.execute(
                f"INSERT INTO {self._u} (channel_id, user_id, reason) VALUES (?, ?, ?)"
                " ON CONFLICT (channel_id, user_id) DO UPDATE SET reason = excluded.reason",
                (channel_id, user_id, reason),
            )
            cursor = connection.execute(
                f"DELETE FROM {self._t} WHERE channel_id = ? AND user_id = ?"
                " AND status = 'pending'",
                (channel_id, user_id),
            )
            return cursor.rowcount

        return await self._write(work)

    async def _is_unreachable(self, channel_id: str, user_id: str) -> bool:
        return await self._run(lambda c: self._is_unreachable_on(c, channel_id, user_id))

    async def _clear_unreachable(self, channel_id: str, user_id: str) -> bool:
        sql = f"DELETE FROM {self._u} WHERE channel_id = ? AND user_id = ?"
        return await self._write(lambda c: c.execute(sql, (channel_id, user_id)).rowcount) > 0

    async def _upcoming(self, until: datetime, limit: int) -> list[NudgeRecord]:
        sql = (
            f"SELECT {_COLUMNS} FROM {self._t} WHERE status IN ('pending', 'claimed')"
            " AND due_at <= ? ORDER BY due_at, key LIMIT ?"
        )
        rows = await self._run(lambda c: c.execute(sql, (to_micros(until), limit)).fetchall())
        return [_record(row) for row in rows]

    async def _get(self, key: str) -> NudgeRecord | None:
        sql = f"SELECT {_COLUMNS} FROM {self._t} WHERE key = ?"
        row = await self._run(lambda c: c.execute(sql, (key,)).fetchone())
        return None if row is None else _record(row)

    async def _pending_owners(self) -> list[tuple[str, str]]:
        sql = (
            f"SELECT DISTINCT channel_id, user_id FROM {self._t}"
            " WHERE status = 'pending' AND kind <> 'notice'"
        )
        rows = await self._run(lambda c: c.execute(sql).fetchall())
        return [(str(channel), str(user)) for channel, user in rows]

    async def _counts(self) -> dict[str, int]:
        def work(connection: sqlite3.Connection) -> dict[str, int]:
            found = dict(
                connection.execute(f"SELECT status, count(*) FROM {self._t} GROUP BY status")
            )
            (found["unreachable"],) = connection.execute(
                f"SELECT count(*) FROM {self._u}"
            ).fetchone()
            return found

        return await self._run(lambda c: self._thread.reading(c, lambda: work(c)))

    async def _purge(self, before: datetime) -> int:
        sql = f"DELETE FROM {self._t} WHERE status IN ('sent', 'dropped') AND session_start < ?"
        return await self._write(lambda c: c.execute(sql, (to_micros(before),)).rowcount)

    async def _ping(self) -> None:
        await self._run(lambda connection: connection.execute("SELECT 1").fetchone())

    async def _close(self) -> None:
        await self._thread.close()
