"""Hallway's composition root.

settings -> catalogue -> storage -> adapter -> bot -> routes. Everything is built here and
passed in; nothing else in the code base creates long-lived objects on its own.

    python app.py [--catalogue FILE] [--timezone TZ] [--port N] [--workers N] [--storage URL]
                  [--now ISO]

With `--workers N` above 1 this process becomes the supervisor of N forked workers serving one
listening socket (`bot/workers.py`).
"""

from __future__ import annotations

import gc
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator, Sequence
from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version

from aiohttp import web

from bot.adapter import create_adapter
from bot.auth import SigningKeys
from bot.clock import Clock
from bot.export_route import ShortlistExportEndpoint
from bot.handler import HallwayBot
from bot.live_catalogue import LiveCatalogue
from bot.memory import ConversationMemory
from bot.nudges import Outbox, open_outbox
from bot.nudges.admin_route import NudgesEndpoint
from bot.nudges.dispatcher import AdapterSender, Dispatcher, DispatchSettings, dispatching
from bot.nudges.references import ReferenceStore
from bot.nudges.service import NudgeService
from bot.nudges.settings_store import NudgeSettingsStore
from bot.outbound import Outbound
from bot.reload import CatalogueReloader, FileSignature, ReloadEndpoint, file_signature, watching
from bot.reminders_flow import RemindersFlow
from bot.routes import HealthEndpoint, MessagesEndpoint
from bot.settings import Settings, SettingsError
from bot.shortlist_flow import ShortlistFlow
from bot.shortlist_store import Owner, Shortlist, ShortlistStore
from bot.storage import HallwayStorage, open_storage
from bot.storage.turn_scope import TurnScopedStorage
from bot.webchat import mount_webchat
from bot.workers import Supervisor, Worker
from catalogue.importers import CatalogueError, ImportOptions, load
from catalogue.model import Catalogue

log = logging.getLogger("hallway")

STORAGE = web.AppKey("storage", HallwayStorage)
LIVE_CATALOGUE = web.AppKey("live_catalogue", LiveCatalogue)
CLOCK = web.AppKey("clock", Clock)
SIGNING_KEYS = web.AppKey("signing_keys", SigningKeys)
OUTBOX = web.AppKey("outbox", Outbox)
OUTBOUND = web.AppKey("outbound", Outbound)


def hallway_version() -> str:
    try:
        return version("hallway")
    except PackageNotFoundError:
        return "0.1.0"


def import_options(settings: Settings) -> ImportOptions:
    return ImportOptions(timezone=settings.timezone, first_day=settings.first_day)


def load_catalogue(settings: Settings) -> Catalogue:
    catalogue = load(
        settings.catalogue, format=settings.catalogue_format, options=import_options(settings)
    )
    for problem in catalogue.skipped:
        log.warning("catalogue: skipped %s", problem)
    for problem in catalogue.warnings:
        log.warning("catalogue: %s", problem)
    log.info(
        "catalogue: %s, %d sessions (%s, %s)",
        catalogue.conference.name,
        len(catalogue.sessions),
        catalogue.format,
        catalogue.timezone.key,
    )
    return catalogue


def make_clock(settings: Settings, catalogue: Catalogue) -> Clock:
    if settings.now is None:
        return Clock()
    start = settings.now
    if start.tzinfo is None:  # a wall-clock --now is read in the conference's zone
        start = start.replace(tzinfo=catalogue.timezone)
    log.info("rehearsal clock starts at %s", start.isoformat())
    return Clock.starting_at(start)


def create_app(
    settings: Settings,
    *,
    catalogue: Catalogue | None = None,
    storage: HallwayStorage | None = None,
    clock: Clock | None = None,
    outbox: Outbox | None = None,
    live: LiveCatalogue | None = None,
    catalogue_signature: FileSignature | None = None,
    worker: Worker | None = None,
) -> web.Application:
    """Build the whole bot. Tests may hand in a ready catalogue, storage, clock or outbox; a
    worker gets the agenda its supervisor loaded (`live`, and the file's signature then)."""
    worker = worker or Worker.alone()
    live = live or LiveCatalogue(catalogue or load_catalogue(settings))
    catalogue = live.catalogue
    storage = storage or open_storage(settings.storage_url)
    clock = clock or make_clock(settings, catalogue)
    outbound = Outbound()
    adapter = create_adapter(settings.credentials, outbound)
    outbox = outbox or open_outbox(settings.storage_url)
    # The bot's state stores share one view of storage that batches each turn's traffic.
    state = TurnScopedStorage(storage)
    shortlists = ShortlistStore(state)
    memory = ConversationMemory(state)
    references = ReferenceStore(state)
    nudges = NudgeService(
        outbox,
        shortlists,
        references,
        live,
        clock,
        lead=timedelta(minutes=settings.nudge_lead_minutes),
        settings=NudgeSettingsStore(state, timedelta(minutes=settings.nudge_lead_minutes)),
        notice_window=timedelta(seconds=settings.notice_debounce_seconds),
        digest_at=settings.digest_time,
    )

    async def replan(owner: Owner, shortlist: Shortlist) -> None:
        try:
            await nudges.replan(owner, shortlist)
        except Exception:  # the shortlist changed; its nudges follow at the next change
            log.exception("nudges: could not re-plan %s/%s", owner.channel_id, owner.user_id)

    flow = ShortlistFlow(
        shortlists,
        memory,
        export_url=lambda token: f"{settings.base_url}/shortlist/{token}.ics",
        on_change=replan,
    )
    bot = HallwayBot(live, clock, shortlists, memory, flow, state, nudges, RemindersFlow(nudges))
    reloader = CatalogueReloader(
        live,
        settings.catalogue,
        format=settings.catalogue_format,
        options=import_options(settings),
        poll_seconds=settings.catalogue_poll_seconds,
        after_swap=nudges.catalogue_changed,
        signature_at_load=catalogue_signature,
    )
    dispatcher = Dispatcher(
        outbox,
        references,
        live,
        clock,
        # Its own adapter: its connector clients get no msrest retries (the dispatcher decides).
        AdapterSender(create_adapter(settings.credentials, outbound), settings.credentials.APP_ID),
        DispatchSettings(
            tick_seconds=settings.nudge_tick_seconds or DispatchSettings.tick_seconds,
            rate=settings.nudge_rate,
            conversation_rate=settings.nudge_conversation_rate,
        ),
    )

    app = web.Application(client_max_size=settings.max_body_bytes)
    app[STORAGE] = storage
    app[LIVE_CATALOGUE] = live
    app[CLOCK] = clock
    app[SIGNING_KEYS] = SigningKeys()
    app[OUTBOX] = outbox
    app[OUTBOUND] = outbound
    app.router.add_post(
        "/api/messages",
        MessagesEndpoint(adapter, bot, require_token=settings.credentials.enabled).handle,
    )
    app.router.add_get("/healthz", HealthEndpoint(live, storage, hallway_version(), outbox).handle)
    app.router.add_get(
        "/shortlist/{token}.ics", ShortlistExportEndpoint(shortlists, live, clock).handle
    )
    app.router.add_post(
        "/api/admin/reload",
        ReloadEndpoint(
            reloader, settings.admin_token, after_reload=worker.ask_others_to_reload
        ).handle,
    )
    app.router.add_get(
        "/api/admin/nudges", NudgesEndpoint(outbox, live, clock, settings.admin_token).handle
    )
    mount_webchat(app, settings=settings, adapter=adapter, bot=bot, live=live, workers=worker.count)
    app.cleanup_ctx.append(_storage_lifetime)
    app.cleanup_ctx.append(_signing_keys_lifetime)
    app.cleanup_ctx.append(_outbox_lifetime)
    app.cleanup_ctx.append(_outbound_lifetime)
    app.cleanup_ctx.append(
        dispatching(dispatcher, enabled=settings.nudge_tick_seconds > 0 and worker.sends_nudges)
    )
    app.cleanup_ctx.append(watching(reloader, enabled=settings.catalogue_poll_seconds > 0))
    return app


async def _storage_lifetime(app: web.Application) -> AsyncIterator[None]:
    storage = app[STORAGE]
    await storage.ping()
    log.info("storage: %s ready", storage.kind)
    yield
    await storage.close()


async def _outbox_lifetime(app: web.Application) -> AsyncIterator[None]:
    outbox = app[OUTBOX]
    await outbox.ping()
    yield
    await outbox.close()


async def _outbound_lifetime(app: web.Application) -> AsyncIterator[None]:
    """The reply connection pool closes after the dispatcher stops (cleanup runs in reverse)."""
    yield
    await app[OUTBOUND].close()


async def _signing_keys_lifetime(app: web.Application) -> AsyncIterator[None]:
    keys = app[SIGNING_KEYS]
    await keys.start()
    yield
    await keys.close()


def main(argv: Sequence[str] | None = None) -> int:
    try:
        settings = Settings.from_sources(sys.argv[1:] if argv is None else argv, os.environ)
    except SettingsError as error:
        sys.stderr.write(f"hallway: {error}\n")
        return 2
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if settings.workers > 1:
        return _supervise(settings)
    try:
        app = create_app(settings)
    except (CatalogueError, ValueError) as error:
        log.error("cannot start: %s", error)
        return 2
    log.info(
        "Hallway %s listening on http://%s:%d", hallway_version(), settings.host, settings.port
    )
    web.run_app(app, host=settings.host, port=settings.port, print=None, access_log=None)
    return 0


def _supervise(settings: Settings) -> int:
    """Load what every worker needs once, open the port, then fork the workers."""
    try:
        signature = file_signature(settings.catalogue)
        catalogue = load_catalogue(settings)
        live = LiveCatalogue(catalogue)  # indexed once; the workers share the pages
        clock = make_clock(settings, catalogue)  # one rehearsal clock, restarts included
        open_storage(settings.storage_url)  # a bad URL stops here, not in every worker
        sockets = _listening_sockets(settings)
    except (CatalogueError, ValueError, OSError) as error:
        log.error("cannot start: %s", error)
        return 2
    # What was loaded stays as it is in the workers: keep the collector from writing to those
    # objects, which would copy their pages into every worker.
    gc.freeze()
    log.info(
        "Hallway %s listening on http://%s:%d with %d workers",
        hallway_version(), settings.host, settings.port, settings.workers,
    )  # fmt: skip

    def serve(worker: Worker) -> int:
        own = sockets[worker.index]
        for other in sockets:
            if other is not own:
                other.close()
        logging.getLogger().handlers[0].setFormatter(logging.Formatter(_log_format(worker)))
        app = create_app(
            settings, live=live, clock=clock, catalogue_signature=signature, worker=worker
        )
        web.run_app(app, sock=own, print=None, access_log=None)
        return 0

    try:
        return Supervisor(settings.workers, serve).run()
    finally:
        for listening in sockets:
            listening.close()


def _listening_sockets(settings: Settings) -> list[socket.socket]:
    """One listening socket per worker on the same port (SO_REUSEPORT): the kernel spreads new
    connections evenly over them, where one shared socket would let whichever worker wakes
    first take every waiting connection. The supervisor keeps them open, so connections to a
    worker that is being restarted wait for it instead of being refused."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(settings.workers):
            sockets.append(
                socket.create_server(
                    (settings.host, settings.port), backlog=LISTEN_BACKLOG, reuse_port=True
                )
            )
    except OSError:
        for opened in sockets:
            opened.close()
        raise
    return sockets


def _log_format(worker: Worker) -> str:
    return f"%(asctime)s %(levelname)s {worker.label()} %(name)s: %(message)s"


LISTEN_BACKLOG = 1024
"""Connections the kernel queues per worker while it is busy (or restarting)."""


if __name__ == "__main__":
    sys.exit(main())
