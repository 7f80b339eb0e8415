"""Faults: the database goes away mid-run and comes back; the channel answers 5xx."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from urllib.parse import urlsplit

import pytest

from bot.settings import Settings
from tests.conftest import BotClient

KEYNOTE = "2016-07-11T13:30:00Z"
POSTGRES_URL = os.environ.get(
    "HALLWAY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


class CuttableProxy:
    """A TCP proxy to PostgreSQL that the test can cut (closing every connection and refusing
    new ones) and restore: the database 'stopped' without stopping the shared server."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.open = True

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection(*self._target)
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def cut(self) -> None:
        self.open = False
        for writer in self._writers:
            writer.close()
        self._writers.clear()

    def restore(self) -> None:
        self.open = True

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()


async def test_database_outage_gets_a_polite_answer_and_recovers(make_bot) -> None:
    target = urlsplit(POSTGRES_URL)
    try:
        _reader, writer = await asyncio.wait_for(
            asyncio.open_connection(target.hostname, target.port or 5432), 3
        )
        writer.close()
    except (OSError, TimeoutError):
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    proxy = CuttableProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    table = f"hallway_fault_{uuid.uuid4().hex[:10]}"
    url = f"postgresql://{target.username}@127.0.0.1:{proxy.port}{target.path}?table={table}"
    try:
        bot: BotClient = await make_bot(Settings(storage_url=url, catalogue_poll_seconds=0))
        [ok] = await bot.ask("what's next?", timestamp=KEYNOTE)
        assert ok["attachments"]

        proxy.cut()
        [sorry] = await bot.ask("what's next?", timestamp=KEYNOTE)
        assert "try again in a moment" in sorry["text"] and "(ref " in sorry["text"]
        assert "Traceback" not in sorry["text"]

        proxy.restore()
        for _ in range(20):  # the pool reconnects by itself, without a restart
            [reply] = await bot.ask("what's next?", timestamp=KEYNOTE)
            if reply.get("attachments"):
                break
            await asyncio.sleep(0.25)
        assert reply.get("attachments"), reply["text"]
    finally:
        await proxy.close()
        import asyncpg

        connection = await asyncpg.connect(POSTGRES_URL)
        try:
            await connection.execute(f'DROP TABLE IF EXISTS "{table}"')
        finally:
            await connection.close()


async def test_a_channel_answering_5xx_does_not_break_the_pipeline(make_bot, connector) -> None:
    from aiohttp import web
    from aiohttp.test_utils import TestServer

    async def failing(request: web.Request) -> web.Response:
        return web.Response(status=503, text="busy")

    app = web.Application()
    app.router.add_post("/v3/conversations/{c}/activities/{r}", failing)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        bot: BotClient = await make_bot()
        activity = bot.activity(text="help", serviceUrl=str(server.make_url("")).rstrip("/"))
        response = await bot.post(activity)
        assert response.status == 200
        [reply] = await bot.ask("help")  # the next turn, to a healthy channel, is served
        assert "what's next?" in reply["text"]
    finally:
        await server.close()
