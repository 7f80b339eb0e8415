"""Live reload of the agenda: when its file changes, or when an organiser asks over HTTP.

The new version is loaded and indexed off the event loop, then swapped in with one assignment.
A broken file leaves the old version serving, and says why in the log and to the caller.  What
changed is handed to `after_swap` (the nudges: schedule-change notices, then re-planning).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
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
    ) -> None:
        self._live = live
        self._after_swap = after_swap
        """Called with what changed after each new version is served (notices, nudges)."""
        self._path = path
        self._format = format
        self._options = options
        self._poll_seconds = poll_seconds
        self._lock = asyncio.Lock()
        self._signature = self._file_signature()

    async def reload(self, reason: str) -> ReloadResult:
        async with self._lock:  # one reload at a time; a second waits and loads the newest file
            self._signature = self._file_signature()
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

    def _file_signature(self) -> tuple[int, int] | None:
        try:
            stat = self._path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    async def watch(self) -> None:
        """Poll the file; reload once it has changed and stayed the same for one more poll,
        so a file still being written is not read half-way."""
        pending: tuple[int, int] | None = None
        while True:
            await asyncio.sleep(self._poll_seconds)
            current = self._file_signature()
            if current is None or current == self._signature:
                pending = None
                continue
            if current != pending:
                pending = current
                continue
            pending = None
            await self.reload("file changed")


def watching(reloader: CatalogueReloader, enabled: bool) -> Any:
    """An aiohttp cleanup context running the file watcher for the app's lifetime."""

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(reloader.watch(), name="catalogue-watch") if enabled else None
        yield
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return lifetime


class ReloadEndpoint:
    """`POST /api/admin/reload` with `Authorization: Bearer $ADMIN_TOKEN`."""

    def __init__(self, reloader: CatalogueReloader, admin_token: str) -> None:
        self._reloader = reloader
        self._token = admin_token

    async def handle(self, request: web.Request) -> web.Response:
        refusal = refused(request, self._token)
        if refusal is not None:
            return refusal
        result = await self._reloader.reload("admin request")
        return web.json_response(result.as_json(), status=200 if result.reloaded else 422)
