"""The JSON Schema of the ``jixiao/1`` output, generated from the attrs model.

Each model class's fields and their type hints give its object schema, and
the same declarations ``to_dict()`` follows give the keys it shapes
differently (``Report``'s leading ``schema`` key, ``footer`` wrapped in
``{"fields": …}``). A ``Literal`` type is a string enum. The generated schema
ships with the package as ``data/jixiao-1.schema.json`` (a test keeps the two
equal; regenerate it with ``jixiao schema > src/jixiao_parser/data/jixiao-1.schema.json``)
and is what ``jixiao schema`` prints.

>>> from jixiao_parser.schema import json_schema
>>> json_schema()["properties"]["schema"]
{'const': 'jixiao/1'}
>>> json_schema()["$defs"]["Diagnostic"]["properties"]["severity"]
{'type': 'string', 'enum': ['info', 'warning', 'error']}
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping, Sequence
from decimal import Decimal
from importlib import resources
from typing import Any, Literal, Union

import attrs

from . import model

__all__ = ["json_schema", "shipped_schema"]


def _nested(cls: type) -> list[type]:
    """The attrs classes the fields of ``cls`` hold, at any depth, first seen first.

    >>> [c.__name__ for c in _nested(model.Indicator)]
    ['Value', 'Part']
    """
    out: list[type] = []

    def visit(hint: Any) -> None:
        if isinstance(hint, type) and attrs.has(hint):
            if hint not in out and hint is not cls:
                out.append(hint)
                for a in attrs.fields(hint):
                    visit(_hints(hint)[a.name])
            return
        for arg in typing.get_args(hint):
            visit(arg)

    for a in attrs.fields(cls):
        visit(_hints(cls)[a.name])
    return out


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def _type(hint: Any) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (Union, types.UnionType):
        options = [_type(a) for a in args if a is not type(None)]
        schema = options[0] if len(options) == 1 else {"anyOf": options}
        if type(None) in args:
            return {"anyOf": [schema, {"type": "null"}]}
        return schema
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _type(args[0])}
        return {"type": "array", "prefixItems": [_type(a) for a in args], "items": False}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type(args[1])}
    if origin is Literal:
        return {"type": "string", "enum": list(args)}
    if hint is str:
        return {"type": "string"}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer"}
    if hint is Decimal or hint is float:
        return {"type": "number"}
    if isinstance(hint, type) and attrs.has(hint):
        return {"$ref": f"#/$defs/{hint.__name__}"}
    msg = f"no JSON Schema for {hint!r}"  # pragma: no cover - the model uses only these
    raise TypeError(msg)


def _object(cls: type) -> dict[str, Any]:
    hints = _hints(cls)
    leading: Mapping[str, str] = getattr(cls, "_leading_keys", {})
    props: dict[str, Any] = {key: {"const": value} for key, value in leading.items()}
    for a in attrs.fields(cls):
        prop = _type(hints[a.name])
        wrapper = a.metadata.get(model._WRAPPED_IN)
        if wrapper is not None:
            prop = {"type": "object", "properties": {wrapper: prop}, "required": [wrapper]}
        props[a.name] = prop
    return {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": props,
        "required": sorted(props),
    }


def json_schema(value_kinds: Sequence[str] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one ``Report.to_dict()``.

    ``value_kinds`` replaces the enum of ``Value.kind`` (by default the
    :data:`~jixiao_parser.model.ValueKind` words), for kinds registered
    beyond those.

    >>> kinds = json_schema(["comparison", "empty", "ratio_band"])["$defs"]["Value"]
    >>> kinds["properties"]["kind"]["enum"]
    ['comparison', 'empty', 'ratio_band']
    """
    report = _object(model.Report)
    defs = {cls.__name__: _object(cls) for cls in _nested(model.Report)}
    if value_kinds is not None:
        if isinstance(value_kinds, str) or not all(isinstance(k, str) for k in value_kinds):
            msg = f"value_kinds must be a sequence of strings, not {value_kinds!r}"
            raise TypeError(msg)
        defs["Value"]["properties"]["kind"] = {"type": "string", "enum": list(value_kinds)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://jixiao-parser.invalid/schema/jixiao-1.json",
        "title": "jixiao/1 report",
        **report,
        "$defs": defs,
    }


def shipped_schema() -> dict[str, Any]:
    """The schema file shipped in the package (``data/jixiao-1.schema.json``)."""
    text = resources.files("jixiao_parser").joinpath("data/jixiao-1.schema.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result
