"""PostgreSQL storage (``postgresql://...``): shared state for several Hallway instances.

Rows live in ``hallway_state(key text primary key, etag text not null, document jsonb not
null)`` (the table name can be changed with ``?table=``), created on first use.  A conditional
write is a single ``INSERT ... ON CONFLICT (key) DO UPDATE ... WHERE etag = expected``: the row
lock taken by the upsert makes the eTag check and the write one atomic step, so concurrent
writers on any number of instances never lose an update.  A `write` call runs in one
transaction, so a conflict on any of its keys leaves all of them unchanged.

Documents are jsonb so they can be inspected with SQL.  jsonb cannot hold the NUL character or
lone surrogates; a document containing them is stored wrapped as JSON text in a one-key object
(``{"hallway/escaped-json": "..."}``) and unwrapped on read.
"""

from __future__ import annotations

import json
from typing import Any

from bot.storage import (
    DEFAULT_TABLE,
    HallwayStorage,
    PendingWrite,
    StorageConflictError,
    StoredRow,
    table_name,
)
from bot.storage.postgres_pool import PostgresPool, split_table

_ESCAPED = "hallway/escaped-json"


def _to_jsonb(item: PendingWrite) -> str:
    if item.portable:
        return item.document
    ascii_text = json.dumps(json.loads(item.document), separators=(",", ":"))
    return json.dumps({_ESCAPED: ascii_text}, separators=(",", ":"))


def _from_jsonb(text: str) -> str:
    if _ESCAPED in text:
        value = json.loads(text)
        if isinstance(value, dict) and len(value) == 1 and isinstance(value.get(_ESCAPED), str):
            inner: str = value[_ESCAPED]
            return inner
    return text


class PostgresStorage(HallwayStorage):
    """State rows in one PostgreSQL table, through a small asyncpg pool made on first use."""

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
        self.table = table_name(table)
        self._timeout = timeout
        self._pool = PostgresPool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            setup=self._create_table,
            check_open=self._check_open,
        )
        quoted = f'"{table}"'
        self._sql_read = (
            f"SELECT key, etag, document::text FROM {quoted} WHERE key = ANY($1::text[])"
        )
        self._sql_upsert = (
            f"INSERT INTO {quoted} AS stored (key, etag, document) VALUES ($1, $2, $3::jsonb)"
            " ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, document = EXCLUDED.document"
        )
        self._sql_upsert_if = self._sql_upsert + " WHERE stored.etag = $4 RETURNING 1"
        self._sql_etag = f"SELECT etag FROM {quoted} WHERE key = $1"
        self._sql_delete = f"DELETE FROM {quoted} WHERE key = ANY($1::text[])"

    @classmethod
    def from_url(cls, url: str) -> PostgresStorage:
        """Storage for a ``postgresql://`` or ``postgres://`` URL; ``?table=`` names the table,
        every other parameter goes to asyncpg."""
        dsn, table = split_table(url)
        return cls(dsn, table=table)

    def __repr__(self) -> str:
        return f"PostgresStorage({self._pool.redacted!r}, table={self.table!r})"

    async def _get_pool(self) -> Any:
        return await self._pool.get()

    async def _create_table(self, pool: Any) -> None:
        async with pool.acquire() as connection, connection.transaction():
            # Instances starting together would otherwise race on CREATE TABLE IF NOT EXISTS.
            await connection.execute(
                "SELECT pg_advisory_xact_lock(hashtext($1))", f"hallway-storage:{self.table}"
            )
            await connection.execute(
                f'CREATE TABLE IF NOT EXISTS "{self.table}" ('
                " key text PRIMARY KEY,"
                " etag text NOT NULL,"
                " document jsonb NOT NULL"
                ")"
            )

    async def _load(self, column_keys: list[str]) -> dict[str, StoredRow]:
        pool = await self._get_pool()
        records = await pool.fetch(self._sql_read, column_keys)
        return {
            record["key"]: StoredRow(record["etag"], _from_jsonb(record["document"]))
            for record in records
        }

    async def _save(self, writes: list[PendingWrite]) -> None:
        pool = await self._get_pool()
        async with pool.acquire() as connection, connection.transaction():
            for item in writes:
                arguments = (item.column_key, item.new_etag, _to_jsonb(item))
                if item.expected_etag is None:
                    await connection.execute(self._sql_upsert, *arguments)
                    continue
                written = await connection.fetchval(
                    self._sql_upsert_if, *arguments, item.expected_etag
                )
                if written is None:
                    current = await connection.fetchval(self._sql_etag, item.column_key)
                    raise StorageConflictError(item.key, item.expected_etag, current)

    async def _remove(self, column_keys: list[str]) -> None:
        pool = await self._get_pool()
        await pool.execute(self._sql_delete, column_keys)

    async def _ping(self) -> None:
        await self._pool.ping()

    async def _close(self) -> None:
        await self._pool.close()
