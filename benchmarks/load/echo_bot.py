"""The peer: botbuilder-python's canonical echo bot, in the shape of Microsoft's `02.echo-bot`
sample, written here for the benchmark.

`CloudAdapter(ConfigurationBotFrameworkAuthentication(config))`, an `ActivityHandler` that
echoes each message, `adapter.process` as the `/api/messages` handler, and botbuilder's error
middleware. Nothing is cached or tuned: this is what a botbuilder bot costs out of the box.

    python -m benchmarks.load.echo_bot --port 3980 [--host 127.0.0.1]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from aiohttp import web
from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.integration.aiohttp import aiohttp_error_middleware as error_middleware


class EchoConfig:
    """The settings the sample reads; empty credentials, as on a developer's machine."""

    PORT = 3980
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class EchoBot(ActivityHandler):  # type: ignore[misc]
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        text = turn_context.activity.text or ""
        await turn_context.send_activity(MessageFactory.text(f"Echo: {text}"))


async def on_error(context: TurnContext, error: Exception) -> None:
    sys.stderr.write(f"[on_turn_error] unhandled error: {error!r}\n")
    await context.send_activity("The bot encountered an error or bug.")


def create_app(config: EchoConfig) -> web.Application:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
    adapter.on_turn_error = on_error
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        response: web.StreamResponse | None = await adapter.process(request, bot)
        return response if response is not None else web.Response(status=201)

    app = web.Application(middlewares=[error_middleware])
    app.router.add_post("/api/messages", messages)
    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load.echo_bot")
    parser.add_argument("--port", type=int, default=EchoConfig.PORT)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    config = EchoConfig()
    config.PORT = args.port
    web.run_app(create_app(config), host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
