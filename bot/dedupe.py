"""Process each incoming message once, even when the channel delivers it twice.

Teams re-sends a message when the bot has not answered within 15 seconds, and a client may
retry a POST. Each message has a claim key in the shared storage, derived from its activity id.
The turn reads the key with the rest of its state: if it exists, the message was handled
already and is dropped. Otherwise the turn writes the claim together with its other state, in
one all-or-nothing write just before its reply leaves (`TurnScope.commit`); when two deliveries
race, one wins the claim and the other's reply and writes are dropped, on whichever instance
each landed.
"""

from __future__ import annotations

from botbuilder.schema import Activity, ActivityTypes


def claim_key(activity: Activity) -> str | None:
    """The storage key that marks `activity` as handled, or None when it cannot be deduplicated
    (no id) or need not be (only messages are re-delivered to the bot)."""
    if activity.type != ActivityTypes.message or not activity.id:
        return None
    conversation = activity.conversation.id if activity.conversation else ""
    return f"seen/{activity.channel_id}/{conversation}/{activity.id}"
