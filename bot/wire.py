"""Bot Framework schema objects to their JSON form, quickly.

msrest's `Serializer` validates every model and walks every dict of an Adaptive Card key by key
through its type machinery: sending one answer with eight cards cost ~5 ms of CPU under load,
more than everything else in the turn. The schema models are plain (no flattened keys, no
validation rules, no read-only fields), so their attribute maps say all there is to know;
these functions follow them directly. Cards are dicts built by Hallway and go out as they are.

`to_json` hands the activity to orjson, which walks dicts and lists in C and calls back here only
for the schema models and timestamps; `to_wire` is the same conversion in Python, to a dict.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import orjson
from msrest.serialization import Model

_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME  # timestamps in msrest's format, not orjson's


def to_json(value: Any) -> bytes:
    """UTF-8 JSON of a schema model (or of anything `to_wire` accepts), compact."""
    try:
        return orjson.dumps(value, default=_one_level, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        # Lone surrogates, integers past 64 bits, keys that are not strings: the slow way,
        # with every non-ASCII character escaped (JSON allows that even for a lone surrogate).
        return json.dumps(to_wire(value), separators=(",", ":")).encode("ascii")


def _one_level(value: Any) -> Any:
    """orjson's fallback: one model's fields (orjson comes back for models inside them)."""
    if isinstance(value, Model):
        return _fields(value)
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON")


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
    return {key: to_wire(value) for key, value in _fields(model).items()}


def _fields(model: Model) -> dict[str, Any]:
    """The model's set fields under their JSON names, values as they are. Fields the schema
    does not name (kept in `additional_properties` when an incoming activity was read) are not
    sent back, exactly as msrest does not."""
    fields: dict[str, Any] = {}
    for attribute, spec in type(model)._attribute_map.items():
        value = getattr(model, attribute, None)
        if value is not None:
            fields[spec["key"]] = value
    return fields


def _timestamp(value: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, milliseconds at least, as msrest writes it. A naive time is
    taken to be UTC (the schema's convention), never the server's local time."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    fraction = str(value.microsecond).rjust(6, "0").rstrip("0").ljust(3, "0")
    return f"{value:%Y-%m-%dT%H:%M:%S}.{fraction}Z"
