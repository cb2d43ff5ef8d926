"""The JSON Schema of the ``jixiao/1`` output, generated from the attrs model.

Each model class's fields and their type hints give its object schema; the
few keys ``to_dict()`` shapes differently (``schema``, ``footer.fields``) are
declared here. The generated schema ships with the package as
``data/jixiao-1.schema.json`` (a test keeps the two equal) and is what
``jixiao schema`` prints.

>>> from jixiao_parser.schema import json_schema
>>> json_schema()["properties"]["schema"]
{'const': 'jixiao/1'}
"""

from __future__ import annotations

import json
import types
import typing
from decimal import Decimal
from importlib import resources
from typing import Any, Union

import attrs

from . import model

__all__ = ["json_schema", "shipped_schema"]

_CLASSES = (
    model.Value, model.Source, model.Header, model.FundingLine, model.Funding, model.GoalItem,
    model.Goals, model.Part, model.Indicator, model.Total, model.Check, model.Diagnostic,
    model.Leftover,
)  # fmt: skip


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
    hints = typing.get_type_hints(cls, vars(model))
    props = {a.name: _type(hints[a.name]) for a in attrs.fields(cls)}
    return {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": props,
        "required": sorted(props),
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one ``Report.to_dict()``."""
    report = _object(model.Report)
    report["properties"]["schema"] = {"const": model.SCHEMA_ID}
    report["properties"]["footer"] = {
        "type": "object",
        "properties": {"fields": report["properties"]["footer"]},
        "required": ["fields"],
    }
    report["required"] = sorted(report["properties"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://jixiao-parser.invalid/schema/jixiao-1.json",
        "title": "jixiao/1 report",
        **report,
        "$defs": {cls.__name__: _object(cls) for cls in _CLASSES},
    }


def shipped_schema() -> dict[str, Any]:
    """The schema file shipped in the package (``data/jixiao-1.schema.json``)."""
    text = resources.files("jixiao_parser").joinpath("data/jixiao-1.schema.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result
