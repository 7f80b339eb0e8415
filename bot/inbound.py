"""Incoming activities from their JSON form, quickly, into the same objects msrest builds.

`Activity().deserialize(document)` sends every field of every nested model through msrest's
general `Deserializer` (key extractors, XML checks, per-field type dispatch, a copy of each
attribute description): ~7.5% of the bot's CPU per turn under load. The Bot Framework schema
models are plain (no flattened keys, no polymorphism, no read-only or constant fields), so their
attribute maps say all there is to know, and a reader planned once per class from them does the
same work in a fraction of the time.

The fast path only accepts documents in the plain shape a channel sends: the exact JSON type each
field names, timestamps written as ``YYYY-MM-DDThh:mm:ss[.f…]`` with ``Z`` or ``±hh:mm``. Anything
else (a number where a string belongs, ``"yesterday"`` as a timestamp, a schema class that is not
plain) falls back to msrest itself, so the result, or the exception, is always msrest's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from botbuilder.schema import Activity
from isodate.tzinfo import UTC, FixedOffset  # type: ignore[import-untyped]
from msrest.serialization import Model

Reader = Callable[[Any], Any]
"""Turns one non-null JSON value into what msrest would make of it, or raises `_Fallback`."""

_MAX_DEPTH = 100
"""Nesting past this in a free-form value goes to msrest, whose own recursion then decides
(it would exhaust the interpreter's stack at a depth this module cannot predict)."""

_TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(Z|([+-])([0-9]{2}):([0-9]{2}))"
)
"""The one timestamp form channels send. msrest (through isodate) also reads lower-case
letters, commas, basic formats, reduced precision and local times; those go to it."""


class _Fallback(Exception):
    """The document is not in the plain shape the fast path knows: msrest must read it."""


def read_activity(document: dict[str, Any]) -> Activity:
    """The `Activity` that `Activity().deserialize(document)` returns, or its exception."""
    try:
        activity: Activity = _READ_ACTIVITY(document)
        return activity
    except (_Fallback, RecursionError):
        pass
    # Outside the handler, so that msrest's own error is not chained to the fallback.
    return Activity.deserialize(document)


def _read_str(value: Any) -> str:
    # msrest would turn a number or an object into its Python text: not the plain shape.
    if type(value) is not str:
        raise _Fallback
    return value


def _read_bool(value: Any) -> bool:
    # msrest also takes 0, 1 and "true"/"false" in any case, converting them.
    if type(value) is not bool:
        raise _Fallback
    return value


def _read_int(value: Any) -> int:
    if type(value) is not int:  # a bool is not an int here: msrest would make it 0 or 1
        raise _Fallback
    return value


def _read_float(value: Any) -> float:
    if type(value) is not float:
        raise _Fallback
    return value


def _read_object(value: Any) -> Any:
    """msrest rebuilds a free-form value as fresh dicts and lists holding the same scalars, so
    the activity never shares a mutable part with the document."""
    return _copy_plain(value, 0)


def _copy_plain(value: Any, depth: int) -> Any:
    kind = type(value)
    if value is None or kind is str or kind is int or kind is float or kind is bool:
        return value
    if depth >= _MAX_DEPTH:
        raise _Fallback
    if kind is dict:
        return {key: _copy_plain(item, depth + 1) for key, item in value.items()}
    if kind is list:
        return [_copy_plain(item, depth + 1) for item in value]
    raise _Fallback  # not a JSON value: msrest raises its own error for it


def _read_timestamp(value: Any) -> datetime:
    """What msrest's `deserialize_iso` returns for the common form: isodate's own UTC and
    FixedOffset time zones, fractions past microseconds cut off (not rounded)."""
    match = _TIMESTAMP.fullmatch(value) if type(value) is str else None
    if match is None:
        raise _Fallback
    *numbers, fraction, zone, sign, zone_hours, zone_minutes = match.groups()
    year, month, day, hour, minute, second = map(int, numbers)
    microsecond = int(fraction[:6].ljust(6, "0")) if fraction else 0
    if zone == "Z":
        tzinfo = UTC
    else:
        direction = -1 if sign == "-" else 1
        tzinfo = FixedOffset(direction * int(zone_hours), direction * int(zone_minutes), zone)
    try:
        parsed = datetime(year, month, day, hour, minute, second, microsecond, tzinfo)
        in_utc_year = parsed.utctimetuple().tm_year  # checks the offset is under a day, too
    except (ValueError, OverflowError) as error:
        raise _Fallback from error
    if not 1 <= in_utc_year <= 9999:  # msrest refuses these
        raise _Fallback
    return parsed


def _refuse(value: Any) -> Any:
    """The reader for a type this module does not handle: msrest reads the document."""
    raise _Fallback


def _list_of(read: Reader) -> Reader:
    def read_list(value: Any) -> list[Any]:
        if type(value) is not list:
            raise _Fallback
        return [None if item is None else read(item) for item in value]

    return read_list


def _dict_of(read: Reader) -> Reader:
    def read_dict(value: Any) -> dict[Any, Any]:
        if type(value) is not dict:  # msrest also takes a list of {"key", "value"} pairs
            raise _Fallback
        return {key: None if item is None else read(item) for key, item in value.items()}

    return read_dict


_SIMPLE_READERS: dict[str, Reader] = {
    "str": _read_str,
    "bool": _read_bool,
    "int": _read_int,
    "float": _read_float,
    "object": _read_object,
    "iso-8601": _read_timestamp,
}


class _ModelReader:
    """Reads one schema class from a JSON object, as msrest's `Deserializer._deserialize` does:
    every attribute passed to the constructor (None when absent), keys the attribute map does not
    name kept in `additional_properties`."""

    def __init__(self, model: type[Model]) -> None:
        self._model = model
        self._fields: dict[str, tuple[str, Reader | None]] = {}
        self._unset: dict[str, None] = {}
        self._known: frozenset[str] = frozenset()

    def plan(self, fields: dict[str, tuple[str, Reader]]) -> None:
        """`fields`: wire key -> (attribute, reader). Set once, after construction, so that a
        class may (through others) contain itself."""
        # Strings are most fields: their check is inlined in `read` (None stands for it).
        self._fields = {
            key: (attribute, None if read is _read_str else read)
            for key, (attribute, read) in fields.items()
        }
        self._unset = {attribute: None for attribute, _ in fields.values()}
        self._known = frozenset(fields)

    def read(self, data: Any) -> Any:
        if type(data) is not dict:
            raise _Fallback
        arguments: dict[str, Any] = dict(self._unset)
        unknown = False
        for key, value in data.items():
            field = self._fields.get(key)
            if field is None:
                unknown = True
            elif value is not None:
                attribute, read = field
                if read is not None:
                    arguments[attribute] = read(value)
                elif type(value) is str:
                    arguments[attribute] = value
                else:
                    raise _Fallback
        try:
            model = self._model(**arguments)
        except TypeError as error:  # a constructor that does not take its attributes
            raise _Fallback from error
        if unknown:
            model.additional_properties = self._additional_properties(data)
        return model

    def _additional_properties(self, data: dict[str, Any]) -> dict[str, Any]:
        # Built as msrest builds it (a set difference), so even the key order is the same.
        missing = set(data.keys()) - self._known
        return {key: data[key] for key in missing}


def _is_plain(model: type[Model]) -> bool:
    """Whether msrest reads `model` with nothing beyond what `_ModelReader` does."""
    if model.__dict__.get("_subtype_map"):
        return False  # polymorphic: msrest picks a subclass from a discriminator
    if any(
        rule.get("readonly") or rule.get("constant")
        for rule in getattr(model, "_validation", {}).values()
    ):
        return False  # such fields are set after construction, or not at all
    keys = []
    for attribute, description in model._attribute_map.items():
        key = description["key"]
        if attribute == "additional_properties":
            if key != "":
                return False  # a real "additionalProperties" field: none are detected
        elif key == "" or "." in key:
            return False  # flattened (nested) keys
        else:
            keys.append(key)
    return len(set(keys)) == len(keys)  # one attribute per key: msrest gives each the value


class _Schema:
    """Readers for every schema class reachable from `root`, planned once from the attribute maps.

    Type names are resolved in the dependency dict msrest itself uses for `root` (the classes of
    `root`'s package: for `Activity`, `botbuilder.schema`, not `botbuilder.schema.teams`); a name
    msrest would not find gets a reader that falls back, so msrest reports it.
    """

    def __init__(self, root: type[Model]) -> None:
        self._classes: dict[str, Any] = root._infer_class_models()  # type: ignore[no-untyped-call]
        self._models: dict[str, _ModelReader] = {}
        self.read_root = self._reader(root.__name__)

    def _model_reader(self, model: type[Model]) -> _ModelReader:
        name = model.__name__
        if name not in self._models:
            reader = _ModelReader(model)
            self._models[name] = reader  # registered before planning: a cycle finds it
            reader.plan(
                {
                    description["key"]: (attribute, self._reader(description["type"]))
                    for attribute, description in model._attribute_map.items()
                    if attribute != "additional_properties"
                }
            )
        return self._models[name]

    def _reader(self, type_name: str) -> Reader:
        """The reader for an attribute map type, in msrest's order of precedence."""
        simple = _SIMPLE_READERS.get(type_name)
        if simple is not None:
            return simple
        if len(type_name) > 2 and type_name[0] + type_name[-1] == "[]":
            return _list_of(self._reader(type_name[1:-1]))
        if len(type_name) > 2 and type_name[0] + type_name[-1] == "{}":
            return _dict_of(self._reader(type_name[1:-1]))
        model = self._classes.get(type_name)
        if isinstance(model, type) and issubclass(model, Model) and _is_plain(model):
            return self._model_reader(model).read
        return _refuse  # enums, other msrest types (dates, durations, bytes…), unknown names


# Planned at import from the schema classes, which never change after import; the table holds
# no state of its own, so it is as safe to share as the classes it is derived from.
_READ_ACTIVITY = _Schema(Activity).read_root
