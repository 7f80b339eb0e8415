"""Bot Framework schema objects to and from their JSON form, quickly.

msrest's `Serializer` validates every model and walks every dict of an Adaptive Card key by key
through its type machinery: sending one answer with eight cards cost ~5 ms of CPU under load,
more than everything else in the turn. The schema models are plain (no flattened keys, no
validation rules, no read-only fields), so their attribute maps say all there is to know;
this function follows them directly. Cards are dicts built by Hallway and go out as they are.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from msrest.serialization import Model


def to_wire(value: Any) -> Any:
    """The JSON-ready form of a schema model, or of a list or dict holding models."""
    if isinstance(value, Model):
        return _model_to_wire(value)
    if isinstance(value, dict):
        return {key: to_wire(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_wire(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    return value


def _model_to_wire(model: Model) -> dict[str, Any]:
    wire: dict[str, Any] = {}
    for attribute, spec in type(model)._attribute_map.items():
        value = getattr(model, attribute, None)
        if value is None:
            continue
        wire[spec["key"]] = to_wire(value)
    # Fields the schema does not name (kept in `additional_properties` when an incoming activity
    # was read) are not sent back, exactly as msrest does not.
    return wire


def _timestamp(value: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, milliseconds at least, as msrest writes it. A naive time is
    taken to be UTC (the schema's convention), never the server's local time."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    fraction = str(value.microsecond).rjust(6, "0").rstrip("0").ljust(3, "0")
    return f"{value:%Y-%m-%dT%H:%M:%S}.{fraction}Z"
