"""The Bot Framework adapter: botbuilder's CloudAdapter with the standard credential settings."""

from __future__ import annotations

import logging
import secrets

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import ActivityTypes

from bot.connector_cache import ReusingAuthentication
from bot.outbound import Outbound
from bot.replies import for_locale
from bot.settings import BotCredentials

log = logging.getLogger(__name__)


def create_adapter(credentials: BotCredentials, outbound: Outbound) -> CloudAdapter:
    authentication = ReusingAuthentication(
        ConfigurationBotFrameworkAuthentication(credentials), outbound
    )
    adapter = CloudAdapter(authentication)
    adapter.on_turn_error = _on_turn_error
    return adapter


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
    """Log the failure with its traceback under a reference; tell the attendee politely, with
    the reference an operator can search the log for, never with the details."""
    activity = context.activity
    reference = secrets.token_hex(4)
    log.exception(
        "turn failed [ref %s]: type=%s channel=%s conversation=%s",
        reference,
        activity.type,
        activity.channel_id,
        activity.conversation.id if activity.conversation else None,
        exc_info=error,
    )
    if activity.type != ActivityTypes.message:
        return
    try:
        await context.send_activity(f"{for_locale(activity.locale).error} (ref {reference})")
    except Exception:  # the channel itself may be what failed; the log above already says so
        log.warning("could not tell the user about the failure", exc_info=True)
