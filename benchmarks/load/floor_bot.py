"""The floor: a bare aiohttp handler doing the HTTP work a bot must do for one turn, nothing else.

It reads the body, parses the JSON activity, POSTs one reply to
`{serviceUrl}/v3/conversations/{id}/activities/{replyToId}` with a shared aiohttp session (one
connection pool, keep-alive), and answers 200. No framework, no state, no authentication.

    python -m benchmarks.load.floor_bot --port 3979 [--host 127.0.0.1]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web

CLIENT = web.AppKey("client", aiohttp.ClientSession)


def reply_to(activity: dict[str, Any]) -> dict[str, Any]:
    """The reply a bot would send: addressed back to the sender, in the same conversation."""
    return {
        "type": "message",
        "text": f"Echo: {activity.get('text') or ''}",
        "replyToId": activity.get("id"),
        "conversation": activity.get("conversation"),
        "from": activity.get("recipient"),
        "recipient": activity.get("from"),
        "channelId": activity.get("channelId"),
        "serviceUrl": activity.get("serviceUrl"),
        "locale": activity.get("locale"),
    }


async def messages(request: web.Request) -> web.Response:
    activity = json.loads(await request.read())
    if activity.get("type") == "message":
        conversation = quote(str(activity["conversation"]["id"]), safe="")
        reply_id = quote(str(activity.get("id") or ""), safe="")
        url = f"{activity['serviceUrl'].rstrip('/')}/v3/conversations/{conversation}/activities"
        if reply_id:
            url += f"/{reply_id}"
        async with request.app[CLIENT].post(url, json=reply_to(activity)) as response:
            await response.read()
            if response.status >= 300:
                raise web.HTTPBadGateway(text=f"the channel answered {response.status}")
    return web.Response(status=200)


async def _client(app: web.Application) -> AsyncIterator[None]:
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as client:
        app[CLIENT] = client
        yield


def create_app() -> web.Application:
    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.cleanup_ctx.append(_client)
    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load.floor_bot")
    parser.add_argument("--port", type=int, default=3979)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    web.run_app(create_app(), host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
