"""The typed result of parsing: frozen attrs classes and their ``jixiao/1`` dicts.

Amounts, weights, scores and value figures are :class:`decimal.Decimal`;
``to_dict()`` turns them into exact JSON numbers (``int`` when integral,
else ``float`` whose shortest repr is the decimal as written)::

    >>> from jixiao_parser import parse
    >>> report = parse("../shared/seeds/000_f4fd78449f7adfd3.txt")  # doctest: +SKIP
    >>> report.funding.lines[0].executed                            # doctest: +SKIP
    Decimal('965043.97')
    >>> report.to_dict()["funding"]["lines"][0]["executed"]         # doctest: +SKIP
    965043.97

``to_dict()`` and ``from_dict()`` are made from the attrs fields and their
type hints, not written per class: a field is written under its own name, a
``Decimal`` as an exact number, a nested class as its object, a tuple as an
array, a dict as a copy. What a class writes besides its fields is declared
on it (``Report`` writes ``"schema"`` first and its ``footer`` as
``{"fields": …}``); :mod:`jixiao_parser.schema` reads the same declarations.

Closed sets of words are :data:`typing.Literal` aliases (:data:`ValueKind`,
:data:`Op`, :data:`FundingRole`, :data:`Severity`, :data:`ReportKind`,
:data:`CheckCode`, :data:`DiagnosticCode`); the JSON Schema lists them as
enums. ``Report.kind``, ``FundingLine.role`` and ``Check.code`` refuse other
words when the object is built, and a :class:`Diagnostic` a code not
registered in :mod:`jixiao_parser.diagnostics` or a severity other than the
registered one; :class:`Value` is built for every cell and does not check its
``kind`` and ``op`` at run time.
"""

from __future__ import annotations

import functools
import json
import math
import operator
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, Union, cast

import attrs

from .diagnostics import DIAGNOSTICS

__all__ = [
    "SCHEMA_ID",
    "Check",
    "CheckCode",
    "Diagnostic",
    "DiagnosticCode",
    "Funding",
    "FundingLine",
    "FundingRole",
    "GoalItem",
    "Goals",
    "Header",
    "Indicator",
    "Leftover",
    "Op",
    "Part",
    "PdfBackend",
    "Report",
    "ReportKind",
    "Severity",
    "Source",
    "Structure",
    "Total",
    "Value",
    "ValueKind",
]

SCHEMA_ID = "jixiao/1"

ValueKind = Literal[
    "comparison", "change", "range", "deadline", "duration", "qualitative", "compound", "empty"
]
"""What a :class:`Value` is (``Value.kind``); see docs/schema.md."""
Op = Literal["=", ">", ">=", "<", "<="]
"""The comparison a :class:`Value` states (``Value.op``)."""
FundingRole = Literal[
    "total",
    "current_appropriation",
    "carryover",
    "special_account",
    "unit_funds",
    "other",
    "unknown",
]
"""What a funding row is (``FundingLine.role``): the ``[funding_rows]`` of
``vocab.toml``, or ``"unknown"`` for a row label it does not list."""
Severity = Literal["info", "warning", "error"]
"""How much a :class:`Diagnostic` matters."""
ReportKind = Literal["project", "department"]
#: how a report's table structure was obtained (``source.structure``)
Structure = Literal["table", "recovered", "ocr"]
#: which PDF backend read a PDF (``source.pdf_backend``)
PdfBackend = Literal["pdfium", "pdfminer"]
"""项目支出 (``"project"``) or 部门整体支出 (``"department"``) form (``Report.kind``)."""
CheckCode = Literal[
    "execution_rate",
    "funding_score",
    "funding_subtotal",
    "score_within_weight",
    "full_marks_unmet",
    "weights_total",
    "scores_total",
    "level1_points",
]
"""The rule a :class:`Check` applies; :data:`jixiao_parser.diagnostics.CHECKS` says
what each one means."""
DiagnosticCode = Literal[
    "header_value_missing",
    "funding_columns_missing",
    "unreadable_amount",
    "rate_read_as_percent",
    "funding_row_unknown",
    "row_realigned",
    "total_weight_missing",
    "total_score_missing",
    "indicator_without_name",
    "unreadable_figure",
    "parts_mismatch",
    "level2_missing",
    "level2_inferred",
    "funding_missing",
    "indicators_missing",
    "structure_recovered",
    "structure_lost",
    "template_row_dropped",
    "ocr_low_confidence",
]
"""What a :class:`Diagnostic` reports; :data:`jixiao_parser.diagnostics.DIAGNOSTICS`
gives each its severity and meaning."""

_WRAPPED_IN = "jixiao_parser.wrapped_in"
"""Field metadata key: ``to_dict()`` writes the field as ``{name: value}``
(``Report.footer`` → ``{"fields": {…}}``)."""

_C = TypeVar("_C", bound=type)
_R = TypeVar("_R", bound="_Record")


def pickled_by_fields(cls: _C) -> _C:
    """Pickle instances of the attrs class ``cls`` as ``cls(*fields)``.

    attrs pickles a slotted class as a dict per object; a tuple is smaller and
    quicker both ways, and :func:`~jixiao_parser.parse_many` sends every report
    from a worker process back to the caller. The fields go by position: such
    pickles move reports between processes of one installation; to store
    reports, write ``to_dict()`` / ``to_json()``. A subclass pickles by its own
    fields.

    >>> import pickle
    >>> pickle.loads(pickle.dumps(Source("a.txt", "text", 0))) == Source("a.txt", "text", 0)
    True
    """
    getters: dict[type, Callable[[Any], tuple[Any, ...]]] = {}

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        kind = type(self)
        fields = getters.get(kind)
        if fields is None:
            names = [a.name for a in attrs.fields(kind)]
            fields = getters[kind] = (
                operator.attrgetter(*names)
                if len(names) > 1
                else lambda obj: (getattr(obj, names[0]),)
            )
        return kind, fields(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign,assignment]
    return cls


def _num(x: Decimal | None) -> int | float | None:
    """Decimal → exact JSON number (int when integral)."""
    if x is None:
        return None
    if x == x.to_integral_value():
        return int(x)
    return float(x)


# -- closed sets, checked where objects are built -----------------------------

_REPORT_KINDS = frozenset(typing.get_args(ReportKind))
_FUNDING_ROLES = frozenset(typing.get_args(FundingRole))
_CHECK_CODES = frozenset(typing.get_args(CheckCode))


def _not_one_of(field: str, word: object, allowed: frozenset[str]) -> ValueError:
    return ValueError(f"{field} must be one of {', '.join(sorted(allowed))}; got {word!r}")


def _report_kind(kind: str) -> ReportKind:
    if kind not in _REPORT_KINDS:
        raise _not_one_of("Report.kind", kind, _REPORT_KINDS)
    return kind  # type: ignore[return-value]  # one of them, as just checked


def _funding_role(role: str) -> FundingRole:
    if role not in _FUNDING_ROLES:
        raise _not_one_of("FundingLine.role", role, _FUNDING_ROLES)
    return role  # type: ignore[return-value]  # one of them, as just checked


def _check_code(code: str) -> CheckCode:
    if code not in _CHECK_CODES:
        raise _not_one_of("Check.code", code, _CHECK_CODES)
    return code  # type: ignore[return-value]  # one of them, as just checked


if TYPE_CHECKING:
    # Converters for type checkers only: a plain str goes in (the value-kind
    # registry names kinds with str, Sink.note takes codes as str) and the
    # Literal comes out. At run time there is none: Value is built for every
    # cell and goes unchecked, Diagnostic checks itself against the registry.
    def _value_kind(kind: str) -> ValueKind: ...
    def _value_op(op: str | None) -> Op | None: ...
    def _diagnostic_code(code: str) -> DiagnosticCode: ...
    def _severity(severity: str) -> Severity: ...
else:
    _value_kind = _value_op = _diagnostic_code = _severity = None


# -- to_dict / from_dict, made from the fields ---------------------------------

_Encode = Callable[[Any], Any]
_Decode = Callable[[Any], Any]
_NONE = type(None)


class _Record:
    """``to_dict()`` and ``from_dict()`` for the attrs classes of this module."""

    __slots__ = ()

    _leading_keys: ClassVar[Mapping[str, str]] = {}
    """Constant keys ``to_dict()`` writes before the fields (and ``from_dict()`` checks)."""

    def to_dict(self) -> dict[str, Any]:
        """This object as ``jixiao/1`` data (docs/schema.md): plain dicts, lists, strings,
        exact numbers, ``None``; keys in field order.

        >>> Total(weight=Decimal("100"), score=Decimal("99.43")).to_dict()
        {'weight': 100, 'score': 99.43, 'grade': None}
        """
        return _to_dict(self)

    @classmethod
    def from_dict(cls: type[_R], data: Mapping[str, Any]) -> _R:
        """The object ``data`` describes: the inverse of :meth:`to_dict`, also after
        a trip through JSON. Numbers come back as exact ``Decimal``: an integer
        as it is, a float as its shortest repr, which is the decimal ``to_dict``
        wrote for any figure of up to 15 significant digits.

        A key the class does not have raises ``ValueError`` naming it and the
        class; so does a missing key whose field has no default (one that has
        a default may be left out). A value of the wrong JSON type raises
        ``TypeError``. Closed sets (:data:`ReportKind`, :data:`FundingRole`, …)
        are checked as the objects are built, except ``Value.kind`` and
        ``Value.op``.

        >>> v = Value("≥95%", "comparison", op=">=", value=Decimal("95"), unit="%",
        ...           ratio=Decimal("0.95"))
        >>> Value.from_dict(json.loads(json.dumps(v.to_dict()))) == v
        True
        >>> Total.from_dict({"score": 99.43})
        Total(weight=None, score=Decimal('99.43'), grade=None)
        >>> Total.from_dict({"score": 99.43, "rank": 1})
        Traceback (most recent call last):
        ValueError: Total: unknown key 'rank' (not a field of Total)
        """
        return cast(_R, _from_dict(cls, data))


def _to_dict(obj: Any) -> dict[str, Any]:
    cls = type(obj)
    to_dict = _TO_DICT.get(cls)
    if to_dict is None:
        to_dict = _TO_DICT[cls] = _unrolled_to_dict(cls)
    return to_dict(obj)


_TO_DICT: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _unrolled_to_dict(cls: type) -> Callable[[Any], dict[str, Any]]:
    """``to_dict`` of ``cls`` compiled from :func:`_to_dict_source`."""
    source, env = _to_dict_source(cls)
    exec(compile(source, f"<{cls.__qualname__}.to_dict>", "exec"), env)
    to_dict: Callable[[Any], dict[str, Any]] = env["to_dict"]
    return to_dict


def _to_dict_source(cls: type) -> tuple[str, dict[str, Any]]:
    """The leading keys of ``cls`` and its :func:`_encoders` written out as one dict
    display (as attrs writes ``__init__``), as quick as a hand-written
    ``to_dict``; with the encoders it calls.

    >>> print(_to_dict_source(Total)[0])
    def to_dict(obj):
        return {'weight': _e0(obj.weight), 'score': _e1(obj.score), 'grade': obj.grade}
    <BLANKLINE>
    """
    env: dict[str, Any] = {}
    leading: Mapping[str, str] = getattr(cls, "_leading_keys", {})
    items = [f"{key!r}: {value!r}" for key, value in leading.items()]
    for k, (name, encode) in enumerate(_encoders(cls)):
        if encode is None:
            items.append(f"{name!r}: obj.{name}")
        else:
            env[f"_e{k}"] = encode
            items.append(f"{name!r}: _e{k}(obj.{name})")
    return f"def to_dict(obj):\n    return {{{', '.join(items)}}}\n", env


def _encoders(cls: type) -> tuple[tuple[str, _Encode | None], ...]:
    """Each field's name and how to write it (``None``: as it is)."""
    hints = typing.get_type_hints(cls)
    plan: list[tuple[str, _Encode | None]] = []
    for a in attrs.fields(cls):
        encode = _encoder(hints[a.name])
        wrapper = a.metadata.get(_WRAPPED_IN)
        if wrapper is not None:
            encode = functools.partial(_wrap, wrapper, encode or _same)
        plan.append((a.name, encode))
    return tuple(plan)


def _same(x: Any) -> Any:
    return x


def _wrap(key: str, encode: _Encode, x: Any) -> dict[str, Any]:
    return {key: encode(x)}


def _encoder(hint: Any) -> _Encode | None:
    """How ``to_dict()`` writes a field of type ``hint`` (``None``: as it is)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Union or origin is types.UnionType:
        inner = _optional(hint)
        encode = _encoder(inner)
        if encode is None or encode is _num:
            return encode  # both take None as it is
        return functools.partial(_or_none, encode)
    if hint is Decimal:
        return _num
    if isinstance(hint, type) and attrs.has(hint):
        return _to_dict
    if origin is tuple:
        item = _encoder(args[0]) if len(args) == 2 and args[1] is Ellipsis else None
        return list if item is None else functools.partial(_each, item)
    if origin is dict:
        if _encoder(args[1]) is not None:  # pragma: no cover - the model keeps plain values
            msg = f"dict values of {hint!r} are not written as they are"
            raise TypeError(msg)
        return dict
    if hint in (str, int, bool) or origin is Literal:
        return None
    msg = f"no jixiao/1 form for {hint!r}"  # pragma: no cover - the model uses only these
    raise TypeError(msg)


def _optional(hint: Any) -> Any:
    """``X`` of ``X | None``, the only unions the model uses."""
    args = typing.get_args(hint)
    inner = [a for a in args if a is not _NONE]
    if len(inner) != 1 or len(args) != 2:  # pragma: no cover - the model uses none
        msg = f"no jixiao/1 form for {hint!r}: only X | None unions are supported"
        raise TypeError(msg)
    return inner[0]


def _or_none(encode: _Encode, x: Any) -> Any:
    return None if x is None else encode(x)


def _each(encode: _Encode, xs: Any) -> list[Any]:
    return [encode(x) for x in xs]


def _from_dict(cls: type, data: Any) -> Any:
    try:
        return _decode_object(cls, data)
    except _Invalid as e:
        where = cls.__name__ + "".join(reversed(e.path))
        raise e.error(f"{where}: {e.message}") from None


class _Invalid(Exception):
    """Data ``from_dict()`` cannot take; each container it passes adds its key to
    ``path`` (innermost first), and :func:`_from_dict` raises ``error`` with it."""

    def __init__(self, error: type[Exception], message: str) -> None:
        super().__init__(message)
        self.error = error
        self.message = message
        self.path: list[str] = []


def _decode_object(cls: type, data: Any) -> Any:
    if type(data) is not dict and not isinstance(data, Mapping):
        raise _wrong(f"an object for {cls.__name__}", data)
    decoders = _DECODERS.get(cls)
    if decoders is None:
        decoders = _DECODERS[cls] = _decoders(cls)
    fields, required = decoders
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        field = fields.get(key)
        if field is None:
            _not_a_field(cls, key, value)
            continue
        try:
            kwargs[field[0]] = field[1](value)
        except _Invalid as e:
            e.path.append(f".{key}")
            raise
    if not required <= data.keys():
        missing = min(required - data.keys())
        raise _Invalid(ValueError, f"missing key {missing!r} for {cls.__name__}")
    try:
        return cls(**kwargs)
    except ValueError as e:  # a closed set refused a word
        raise _Invalid(ValueError, str(e)) from None


def _not_a_field(cls: type, key: Any, value: Any) -> None:
    """Accept a leading constant key (``"schema"``) holding its value; refuse any other."""
    leading: Mapping[str, str] = getattr(cls, "_leading_keys", {})
    if key not in leading:
        raise _Invalid(ValueError, f"unknown key {key!r} (not a field of {cls.__name__})")
    if value != leading[key]:
        raise _Invalid(ValueError, f"{key} must be {leading[key]!r}, got {value!r}")


_DECODERS: dict[type, tuple[dict[str, tuple[str, _Decode]], frozenset[str]]] = {}


def _decoders(cls: type) -> tuple[dict[str, tuple[str, _Decode]], frozenset[str]]:
    """Key → (``__init__`` argument, how to read its value); the keys without a default."""
    hints = typing.get_type_hints(cls)
    fields: dict[str, tuple[str, _Decode]] = {}
    required = set()
    for a in attrs.fields(cls):
        decode = _decoder(hints[a.name])
        wrapper = a.metadata.get(_WRAPPED_IN)
        if wrapper is not None:
            decode = functools.partial(_unwrap, wrapper, decode)
        fields[a.name] = (a.alias, decode)
        if a.default is attrs.NOTHING:
            required.add(a.name)
    return fields, frozenset(required)


def _unwrap(key: str, decode: _Decode, x: Any) -> Any:
    if not isinstance(x, Mapping):
        raise _wrong("an object", x)
    if set(x) != {key}:
        other = sorted(map(repr, set(x) - {key}))
        what = f"unknown key {other[0]}" if other else f"missing key {key!r}"
        raise _Invalid(ValueError, what)
    try:
        return decode(x[key])
    except _Invalid as e:
        e.path.append(f".{key}")
        raise


def _decoder(hint: Any) -> _Decode:
    """How ``from_dict()`` reads a field of type ``hint`` from JSON data."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Union or origin is types.UnionType:
        return functools.partial(_none_or, _decoder(_optional(hint)))
    if hint is Decimal:
        return _decode_decimal
    if isinstance(hint, type) and attrs.has(hint):
        return functools.partial(_decode_object, hint)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return functools.partial(_decode_array, _decoder(args[0]))
        return functools.partial(_decode_tuple, tuple(_decoder(a) for a in args))
    if origin is dict:
        return functools.partial(_decode_mapping, _decoder(args[1]))
    if hint is str or origin is Literal:
        return _decode_str
    if hint is bool:
        return _decode_bool
    if hint is int:
        return _decode_int
    msg = f"no jixiao/1 form for {hint!r}"  # pragma: no cover - the model uses only these
    raise TypeError(msg)


def _wrong(expected: str, x: Any) -> _Invalid:
    return _Invalid(TypeError, f"expected {expected}, got {type(x).__name__} {x!r}")


def _none_or(decode: _Decode, x: Any) -> Any:
    return None if x is None else decode(x)


def _decode_str(x: Any) -> str:
    if not isinstance(x, str):
        raise _wrong("a string", x)
    return x


def _decode_bool(x: Any) -> bool:
    if not isinstance(x, bool):
        raise _wrong("true or false", x)
    return x


def _decode_int(x: Any) -> int:
    if isinstance(x, bool) or not isinstance(x, int):
        raise _wrong("an integer", x)
    return x


def _decode_decimal(x: Any) -> Decimal:
    """A JSON number as the exact decimal ``to_dict()`` wrote it from."""
    if isinstance(x, int) and not isinstance(x, bool):
        return Decimal(x)
    if isinstance(x, float) and math.isfinite(x):
        return Decimal(repr(x))  # the shortest repr is the decimal as written
    if isinstance(x, Decimal) and x.is_finite():
        return x
    raise _wrong("a finite number", x)


def _decode_array(decode: _Decode, x: Any) -> tuple[Any, ...]:
    if type(x) is not list and not isinstance(x, (list, tuple)):
        raise _wrong("an array", x)
    out: list[Any] = []
    try:
        for item in x:
            out.append(decode(item))
    except _Invalid as e:
        e.path.append(f"[{len(out)}]")
        raise
    return tuple(out)


def _decode_tuple(decoders: tuple[_Decode, ...], x: Any) -> tuple[Any, ...]:
    if not isinstance(x, (list, tuple)) or len(x) != len(decoders):
        raise _wrong(f"an array of {len(decoders)}", x)
    return _decode_array(_decode_one_each, list(zip(decoders, x, strict=True)))


def _decode_one_each(pair: tuple[_Decode, Any]) -> Any:
    return pair[0](pair[1])


def _decode_mapping(decode: _Decode, x: Any) -> dict[str, Any]:
    if not isinstance(x, Mapping):
        raise _wrong("an object", x)
    out: dict[str, Any] = {}
    for key, value in x.items():
        try:
            if not isinstance(key, str):
                raise _wrong("string keys", key)
            out[key] = decode(value)
        except _Invalid as e:
            e.path.append(f"[{key!r}]")
            raise
    return out


# object's own constructor and setter, bound once: Value.at copies a value per
# cell, and looking them up on ``object`` each time costs a fifth of the copy
_new_object = object.__new__
_set_attribute = object.__setattr__


@pickled_by_fields
@attrs.frozen(slots=False)
class Value(_Record):
    """A typed target or actual cell.

    >>> from jixiao_parser import parse_value
    >>> v = parse_value("≥95%")
    >>> (v.kind, v.op, v.value, v.unit, v.ratio)
    ('comparison', '>=', Decimal('95'), '%', Decimal('0.95'))
    """

    raw: str
    kind: ValueKind = attrs.field(converter=_value_kind)
    op: Op | None = attrs.field(default=None, converter=_value_op)
    value: Decimal | None = None
    upper: Decimal | None = None
    unit: str | None = None
    ratio: Decimal | None = None
    subject: str | None = None
    approx: str | None = None
    date: str | None = None
    items: tuple[Value, ...] = ()
    placeholder: bool = False
    #: the cell it was read from (``line 19 col 5``, ``p.2 r7c4``); null for
    #: values not read from a cell (``parse_value``, numbered items)
    where: str | None = None
    #: an actual written as a bare figure, read in its target's unit and
    #: multiplier (``6.2`` beside ``≥5万元`` is 62000 元)
    unit_inherited: bool = False

    def at(self, where: str | None) -> Value:
        """This value, read from the cell at ``where``.

        >>> from jixiao_parser import parse_value
        >>> parse_value("≥95%").at("line 19 col 5").where
        'line 19 col 5'
        """
        if where == self.where:
            return self
        # a copy of the instance dict with one key changed: what attrs' own
        # __init__ writes for a frozen class, without reading every field again
        # (a copied dict set as a whole costs less than filling the new one)
        state = self.__dict__.copy()
        state["where"] = where
        located = _new_object(Value)
        _set_attribute(located, "__dict__", state)
        return located

    def in_unit(self, value: Decimal, unit: str) -> Value:
        """This value as ``value`` in ``unit``, the unit taken from its target
        (``unit_inherited``; see :func:`jixiao_parser.values.attainment.in_target_unit`).

        >>> from jixiao_parser import parse_value
        >>> v = parse_value("6.2").in_unit(Decimal("62000"), "元")
        >>> (v.raw, v.value, v.unit, v.unit_inherited)
        ('6.2', Decimal('62000'), '元', True)
        """
        state = self.__dict__.copy()  # as in ``at`` (inline there: a copy per cell)
        state["value"] = value
        state["unit"] = unit
        state["unit_inherited"] = True
        inherited = _new_object(Value)
        _set_attribute(inherited, "__dict__", state)
        return inherited


@pickled_by_fields
@attrs.frozen(slots=False)
class Source(_Record):
    """Where a report came from: ``path`` (None for in-memory input), ``format``,
    ``form_index`` (0-based) and ``pages`` (first, last) for paged formats.

    ``structure`` says how the table structure was obtained: ``"table"`` (cells
    as published), ``"recovered"`` (rebuilt from flattened text) or ``"ocr"``
    (read from page images); ``pdf_backend`` names the backend that read a PDF
    (None for other formats)."""

    path: str | None
    format: str
    form_index: int
    pages: tuple[int, int] | None = None
    structure: Structure = "table"
    pdf_backend: PdfBackend | None = None


@pickled_by_fields
@attrs.frozen(slots=False)
class Header(_Record):
    """The header block: well-known fields plus every label → value pair as read."""

    project_name: str | None = None
    project_code: str | None = None
    supervisor: str | None = None
    implementer: str | None = None
    budget_unit: str | None = None
    fields: dict[str, str | None] = attrs.field(factory=dict)
    #: where each of ``fields`` was read (the label's cell), by the same key
    where: dict[str, str] = attrs.field(factory=dict)


@pickled_by_fields
@attrs.frozen(slots=False)
class FundingLine(_Record):
    """One row of the funding matrix; money in yuan, ``execution_rate`` a ratio."""

    label: str
    role: FundingRole = attrs.field(converter=_funding_role)
    initial_budget: Decimal | None = None
    annual_budget: Decimal | None = None
    executed: Decimal | None = None
    weight: Decimal | None = None
    execution_rate: Decimal | None = None
    score: Decimal | None = None
    extra: dict[str, str] = attrs.field(factory=dict)
    #: the row it was read from (``line 7``, ``p.1 r5``)
    where: str | None = None


@pickled_by_fields
@attrs.frozen(slots=False)
class Funding(_Record):
    """The funding block: the money ``unit`` the form states and its lines."""

    unit: str | None = None
    lines: tuple[FundingLine, ...] = ()


@pickled_by_fields
@attrs.frozen(slots=False)
class GoalItem(_Record):
    """One goal of a form with repeated goal sub-tables (``年度绩效目标1(40分)``)."""

    label: str
    points: Decimal | None
    text: str | None
    #: the row it was read from (``line 12``, ``p.1 r9``)
    where: str | None = None


@pickled_by_fields
@attrs.frozen(slots=False)
class Goals(_Record):
    """Planned (预期目标) and actual (实际完成情况) goal texts, and the goal
    sub-tables of forms that repeat them (``items``)."""

    planned: str | None = None
    actual: str | None = None
    items: tuple[GoalItem, ...] = ()


@pickled_by_fields
@attrs.frozen(slots=False)
class Part(_Record):
    """One numbered item of a multi-item indicator row."""

    name: str | None
    target: Value | None
    actual: Value | None
    attained: bool | None = None


@pickled_by_fields
@attrs.frozen(slots=False)
class Indicator(_Record):
    """One row of the indicator table."""

    level1: str | None
    level1_points: Decimal | None
    level2: str | None
    name: str | None
    target: Value
    actual: Value
    weight: Decimal | None = None
    score: Decimal | None = None
    note: str | None = None
    parts: tuple[Part, ...] = ()
    attained: bool | None = None
    extra: dict[str, str] = attrs.field(factory=dict)
    where: str | None = None
    goal: str | None = None


@pickled_by_fields
@attrs.frozen(slots=False)
class Total(_Record):
    """The 总分 / 合计 row: total ``weight``, ``score`` and a grade word when printed."""

    weight: Decimal | None = None
    score: Decimal | None = None
    grade: str | None = None


@pickled_by_fields
@attrs.frozen(slots=False)
class Check(_Record):
    """A consistency check: ``ok`` with the ``expected`` and ``stated`` figures."""

    code: CheckCode = attrs.field(converter=_check_code)
    ok: bool
    message: str
    expected: Decimal | None = None
    stated: Decimal | None = None


@pickled_by_fields
@attrs.frozen(slots=False)
class Diagnostic(_Record):
    """Something the parser inferred or could not read, with its location.

    ``code`` must be registered in :data:`jixiao_parser.diagnostics.DIAGNOSTICS`
    with this ``severity``; anything else is a mistake in the parser and raises
    ``ValueError`` naming the code.

    >>> Diagnostic("funding_missing", "info", "no funding block found in this form")
    Traceback (most recent call last):
    ValueError: diagnostic 'funding_missing' is registered as warning, not info
    """

    code: DiagnosticCode = attrs.field(converter=_diagnostic_code)
    severity: Severity = attrs.field(converter=_severity)
    message: str
    where: str | None = None

    def __attrs_post_init__(self) -> None:
        entry = DIAGNOSTICS.get(self.code)
        if entry is None:
            msg = f"diagnostic {self.code!r} is not registered in jixiao_parser.diagnostics"
            raise ValueError(msg)
        if entry.severity != self.severity:
            msg = f"diagnostic {self.code!r} is registered as {entry.severity}, not {self.severity}"
            raise ValueError(msg)


@pickled_by_fields
@attrs.frozen(slots=False)
class Leftover(_Record):
    """A non-empty cell of the form that no field took, kept with its location."""

    text: str
    where: str


@pickled_by_fields
@attrs.frozen(slots=False)
class Report(_Record):
    """One parsed form. ``to_dict()`` / ``to_json()`` give the ``jixiao/1`` contract."""

    _leading_keys: ClassVar[Mapping[str, str]] = {"schema": SCHEMA_ID}

    kind: ReportKind = attrs.field(converter=_report_kind)
    title: str | None
    year: int | None
    source: Source
    header: Header
    funding: Funding
    goals: Goals
    indicators: tuple[Indicator, ...]
    total: Total
    footer: dict[str, str | None] = attrs.field(factory=dict, metadata={_WRAPPED_IN: "fields"})
    checks: tuple[Check, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    leftover: tuple[Leftover, ...] = ()

    def __repr__(self) -> str:
        """A one-line summary (``to_dict()`` or ``to_json()`` show everything).

        >>> from jixiao_parser import parse
        >>> parse("corpus/seeds/seed_003/003_83db39a3659af481.txt")
        <Report '项目支出绩效自评表' 2023 project='计生协会工作' indicators=10 failing_checks=0>
        """
        failing = sum(not c.ok for c in self.checks)
        return (
            f"<Report {self.title!r} {self.year} project={self.header.project_name!r}"
            f" indicators={len(self.indicators)} failing_checks={failing}>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data, keyed as in docs/schema.md: ``"schema"``
        first, then the fields in order, ``footer`` as ``{"fields": {…}}``.

        >>> from jixiao_parser import parse_text
        >>> d = parse_text("项目支出绩效自评表\\n项目名称\\t示例项目\\n")[0].to_dict()
        >>> d["schema"], d["header"]["project_name"]
        ('jixiao/1', '示例项目')
        """
        return _to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """The report ``data`` holds, as :meth:`to_dict` or ``json.loads`` of
        :meth:`to_json` gives it: ``Report.from_dict(r.to_dict()) == r``. Read a
        JSONL file back with ``[Report.from_dict(json.loads(line)) for line in f]``.

        ``"schema"`` must be ``"jixiao/1"`` when present; unknown keys, missing
        keys without a default and values of the wrong type raise (see
        :meth:`Value.from_dict <jixiao_parser.model.Value.from_dict>`).

        >>> from jixiao_parser import parse_text
        >>> report = parse_text("项目支出绩效自评表\\n项目名称\\t示例项目\\n")[0]
        >>> Report.from_dict(json.loads(report.to_json())) == report
        True
        >>> Report.from_dict({**report.to_dict(), "schema": "jixiao/2"})
        Traceback (most recent call last):
        ValueError: Report: schema must be 'jixiao/1', got 'jixiao/2'
        """
        report: Report = _from_dict(cls, data)
        return report

    def to_json(self, *, indent: int | None = 2) -> str:
        """``to_dict()`` as JSON text (UTF-8 characters kept, not escaped).

        >>> from jixiao_parser import parse_text
        >>> parse_text("项目支出绩效自评表\\n项目名称\\t示例\\n")[0].to_json(indent=None)[:21]
        '{"schema": "jixiao/1"'
        """
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
