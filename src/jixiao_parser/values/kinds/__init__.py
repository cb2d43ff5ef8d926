"""Value kinds: one module per kind, walked in order from one registry.

A :class:`Kind` knows how to recognise a cell of its shape (a cheap
``may_match`` test, then ``parse``), how to judge attainment when a target of
its kind meets an actual (``attained``), and whether a cell of its kind looks
like a target to the indicator-row aligner (``target_like``). The
:class:`Registry` holds kinds in the order they are tried, in the spirit of
markdown-it-py's named rule chains: :func:`parse_value` walks it, attainment
dispatches on the target's kind, the aligner asks it, the value tables and
property tests enumerate it.

The default order: ``empty`` (with the placeholder words), ``compound``,
``deadline``, ``change``, ``duration``, ``range``, ``comparison``, and
``qualitative``, which takes whatever is left.

A new kind is one module with a ``KIND``, one entry in the list of
:func:`_kinds` and its name in :data:`~jixiao_parser.model.ValueKind` (the
static type of ``Value.kind``, which a test holds to the registry). To try a
kind first, ``REGISTRY.with_kind(kind, before="comparison")`` gives a registry
that reads and judges cells directly.

>>> from jixiao_parser.values.kinds import REGISTRY
>>> REGISTRY.names
('empty', 'compound', 'deadline', 'change', 'duration', 'range', 'comparison', 'qualitative')
>>> v = REGISTRY.parse("提高2个百分点")
>>> (v.kind, v.value, v.unit)
('change', Decimal('2'), '个百分点')
>>> REGISTRY.attained(REGISTRY.parse("≥95%"), REGISTRY.parse("96%"))
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import ModuleType

import attrs
import regex

from ...model import Value
from ..normalize import normalize_value_text

__all__ = [
    "KINDS",
    "REGISTRY",
    "Judge",
    "Kind",
    "Registry",
    "attained",
    "operator_only",
    "target_like",
]


def _always(_t: str) -> bool:
    return True


@attrs.frozen
class Judge:
    """What an attainment rule may use: whether the indicator is a cost one, and
    the registry (a compound target judges its items through it)."""

    registry: Registry
    cost: bool = False

    def attained(self, target: Value, actual: Value) -> bool | None:
        """Attainment of a nested pair (the items of a compound)."""
        return self.registry.attained(target, actual, cost=self.cost)


@attrs.frozen
class Kind:
    """One value kind.

    ``parse(raw, t)`` gets the cell as read (trimmed) and its normalised text
    (:func:`~jixiao_parser.values.normalize_value_text`) and returns a
    :class:`~jixiao_parser.model.Value`, or ``None`` when the text is not its
    shape; ``may_match(t)`` is a test that is necessary for ``parse`` to
    succeed, never sufficient, so that most texts skip the patterns.
    ``attained(target, actual, judge)`` judges a target of this kind.
    ``target_like`` says whether a cell of this kind fits a target column.
    ``fields`` names the :class:`Value` fields the kind fills; ``patterns`` are
    the regexes ``parse`` matches the text against (without its trailing
    punctuation): the property tests hold ``may_match`` to them.
    """

    name: str
    parse: Callable[[str, str], Value | None]
    attained: Callable[[Value, Value, Judge], bool | None]
    target_like: bool
    may_match: Callable[[str], bool] = _always
    fields: tuple[str, ...] = ()
    patterns: tuple[regex.Pattern[str], ...] = ()
    module: ModuleType | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Registry:
    """Kinds in the order :meth:`parse` tries them; the last one must take any text."""

    kinds: tuple[Kind, ...]
    _by_name: dict[str, Kind] = attrs.field(init=False, eq=False, repr=False)
    _judges: tuple[Judge, Judge] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_name = {k.name: k for k in self.kinds}
        if len(by_name) != len(self.kinds):
            msg = f"value kinds named twice: {[k.name for k in self.kinds]}"
            raise ValueError(msg)
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_judges", (Judge(self, cost=False), Judge(self, cost=True)))

    @property
    def names(self) -> tuple[str, ...]:
        """The kind names, in order (what ``Value.kind`` may hold)."""
        return tuple(k.name for k in self.kinds)

    def __getitem__(self, name: str) -> Kind:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def with_kind(self, kind: Kind, *, before: str | None = None) -> Registry:
        """A registry with ``kind`` added before the kind named ``before`` (or just
        before the last, catch-all kind)."""
        names = self.names
        at = names.index(before) if before is not None else len(names) - 1
        return Registry((*self.kinds[:at], kind, *self.kinds[at:]))

    def parse(self, text: str) -> Value:
        """One target or actual cell → the :class:`Value` of the first kind that
        takes it. Never raises (see :func:`jixiao_parser.parse_value`)."""
        raw = text.strip()
        t = normalize_value_text(raw)
        for kind in self.kinds:
            if not kind.may_match(t):
                continue
            try:
                value = kind.parse(raw, t)
            except TimeoutError:  # the regex module's guard against runaway matching
                continue
            if value is not None:
                return value
        return Value(raw=raw, kind="qualitative")  # pragma: no cover - the last kind takes all

    def attained(self, target: Value, actual: Value, *, cost: bool = False) -> bool | None:
        """Whether ``actual`` meets ``target``, by the rule of the target's kind."""
        kind = self._by_name.get(target.kind)
        if kind is None:
            return None
        return kind.attained(target, actual, self._judges[cost])

    def target_like(self, value: Value) -> bool:
        """Whether a cell read as ``value`` looks like a target (row alignment)."""
        kind = self._by_name.get(value.kind)
        return kind is not None and kind.target_like


def _kinds() -> tuple[Kind, ...]:
    from . import change, comparison, compound, deadline, duration, empty, qualitative, range

    modules: Iterable[ModuleType] = (
        empty, compound, deadline, change, duration, range, comparison, qualitative,
    )  # fmt: skip
    return tuple(attrs.evolve(m.KIND, module=m) for m in modules)


#: the kinds of :data:`REGISTRY`, in the order they are tried
KINDS: tuple[Kind, ...] = _kinds()
REGISTRY = Registry(KINDS)

from .comparison import operator_only  # noqa: E402 - the kinds need the classes above


def attained(target: Value, actual: Value, *, cost: bool = False) -> bool | None:
    """Whether ``actual`` meets ``target``: True, False, or None when it cannot be told.

    ``=`` targets mean "reach" (met at or above the figure; a target of 0 must
    be met exactly), except for a ``cost`` indicator, where they are a
    ceiling; percent and 百分比 figures compare as ratios; a bare actual takes
    the target's unit; deadlines compare dates; numbered targets are met when
    every part is; changes compare signed changes.

    >>> from jixiao_parser import parse_value as v
    >>> attained(v("≥95%"), v("96%")), attained(v("=1百分比"), v("1"))
    (True, True)
    >>> attained(v("≤90万元"), v("95万元")), attained(v("=380元"), v("372元"), cost=True)
    (False, True)
    >>> attained(v("3月30日前"), v("3月28日")), attained(v("效果显著"), v("达成预期指标"))
    (True, None)
    >>> attained(v("提高2个百分点"), v("提高2.5个百分点"))
    True
    """
    return REGISTRY.attained(target, actual, cost=cost)


def target_like(value: Value) -> bool:
    """Whether a cell read as ``value`` looks like a target (for the row aligner).

    >>> from jixiao_parser import parse_value as v
    >>> target_like(v("≥95%")), target_like(v("下降5%")), target_like(v("效果显著"))
    (True, True, False)
    """
    return REGISTRY.target_like(value)
