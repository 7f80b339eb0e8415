"""Live reload of the agenda: when its file changes, when an organiser asks over HTTP, or on
SIGHUP (`kill -HUP`, as for most servers).

The new version is loaded and indexed off the event loop, then swapped in with one assignment.
A broken file leaves the old version serving, and says why in the log and to the caller.  What
changed is handed to `after_swap` (the nudges: schedule-change notices, then re-planning).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.admin import refused
from bot.live_catalogue import LiveCatalogue
from catalogue.ask import Answerer
from catalogue.diff import CatalogueDiff
from catalogue.importers import CatalogueError, ImportOptions, load

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadResult:
    reloaded: bool
    version: int
    sessions: int
    changes: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    warnings: int = 0
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"reloaded": self.reloaded, "version": self.version,
                                  "sessions": self.sessions}  # fmt: skip
        if self.reloaded:
            result |= {"changes": self.changes, "skipped": self.skipped, "warnings": self.warnings}
        else:
            result["error"] = self.error
        return result


class CatalogueReloader:
    def __init__(
        self,
        live: LiveCatalogue,
        path: Path,
        *,
        format: str | None,
        options: ImportOptions,
        poll_seconds: float,
        after_swap: Callable[[CatalogueDiff], Awaitable[Any]] | None = None,
        signature_at_load: FileSignature | None = None,
    ) -> None:
        """`signature_at_load`: `file_signature(path)` taken when the served version was read,
        if that was a while ago (a worker forked from a supervisor that loaded the agenda long
        before); by default, the file as it is now."""
        self._live = live
        self._after_swap = after_swap
        """Called with what changed after each new version is served (notices, nudges)."""
        self._path = path
        self._format = format
        self._options = options
        self._poll_seconds = poll_seconds
        self._lock = asyncio.Lock()
        self._signature = signature_at_load or file_signature(path)
        self._tasks: set[asyncio.Task[ReloadResult]] = set()

    async def reload(self, reason: str) -> ReloadResult:
        async with self._lock:  # one reload at a time; a second waits and loads the newest file
            self._signature = file_signature(self._path)
            try:
                answerer = await asyncio.to_thread(self._load_and_index)
            except CatalogueError as error:
                log.error(
                    "reload (%s) failed, still serving version %d: %s",
                    reason, self._live.version, error,
                )  # fmt: skip
                return ReloadResult(
                    reloaded=False,
                    version=self._live.version,
                    sessions=len(self._live.catalogue.sessions),
                    error=str(error),
                )
            changes = self._live.swap(answerer)
            catalogue = answerer.catalogue
            log.info(
                "reload (%s): version %d, %d sessions, changes %s",
                reason, self._live.version, len(catalogue.sessions), changes.summary(),
            )  # fmt: skip
            for problem in catalogue.skipped:
                log.warning("catalogue: skipped %s", problem)
            if self._after_swap is not None:
                try:
                    await self._after_swap(changes)
                except Exception:
                    log.exception("reload (%s): the follow-up after the swap failed", reason)
            return ReloadResult(
                reloaded=True,
                version=self._live.version,
                sessions=len(catalogue.sessions),
                changes=changes.summary(),
                skipped=len(catalogue.skipped),
                warnings=len(catalogue.warnings),
            )

    def _load_and_index(self) -> Answerer:
        catalogue = load(self._path, format=self._format, options=self._options)
        return Answerer.for_catalogue(catalogue)

    def stale(self) -> bool:
        """The file changed since the served version was read."""
        current = file_signature(self._path)
        return current is not None and current != self._signature

    def reload_soon(self, reason: str) -> None:
        """Start a reload from a callback (a signal handler); the task is kept until done."""
        task = asyncio.get_running_loop().create_task(self.reload(reason))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def watch(self) -> None:
        """Poll the file; reload once it has changed and stayed the same for one more poll,
        so a file still being written is not read half-way."""
        pending: tuple[int, int] | None = None
        while True:
            await asyncio.sleep(self._poll_seconds)
            current = file_signature(self._path)
            if current is None or current == self._signature:
                pending = None
                continue
            if current != pending:
                pending = current
                continue
            pending = None
            await self.reload("file changed")


FileSignature = tuple[int, int]


def file_signature(path: Path) -> FileSignature | None:
    """What tells a changed file from the one already read: modification time and size."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def watching(reloader: CatalogueReloader, enabled: bool) -> Any:
    """An aiohttp cleanup context for the app's lifetime: catch up once if the file changed
    since the served version was read, reload on SIGHUP, and poll the file if `enabled`."""

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        if reloader.stale():
            await reloader.reload("the file changed since it was read")
        loop = asyncio.get_running_loop()
        hangup = _listen_for_hangup(loop, reloader)
        task = asyncio.create_task(reloader.watch(), name="catalogue-watch") if enabled else None
        yield
        if hangup:
            loop.remove_signal_handler(signal.SIGHUP)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return lifetime


def _listen_for_hangup(loop: asyncio.AbstractEventLoop, reloader: CatalogueReloader) -> bool:
    try:
        loop.add_signal_handler(signal.SIGHUP, reloader.reload_soon, "SIGHUP")
    except (NotImplementedError, RuntimeError, ValueError):
        return False  # no signals here (Windows, or a loop outside the main thread in tests)
    return True


class ReloadEndpoint:
    """`POST /api/admin/reload` with `Authorization: Bearer $ADMIN_TOKEN`."""

    def __init__(
        self,
        reloader: CatalogueReloader,
        admin_token: str,
        *,
        after_reload: Callable[[], None] = lambda: None,
    ) -> None:
        """`after_reload`: called after a successful reload (the other workers follow)."""
        self._reloader = reloader
        self._token = admin_token
        self._after_reload = after_reload

    async def handle(self, request: web.Request) -> web.Response:
        refusal = refused(request, self._token)
        if refusal is not None:
            return refusal
        result = await self._reloader.reload("admin request")
        if result.reloaded:
            self._after_reload()
        return web.json_response(result.as_json(), status=200 if result.reloaded else 422)
