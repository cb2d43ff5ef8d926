"""The registry of diagnostic and check codes: the docs, the types and the source agree with it."""

from __future__ import annotations

import ast
import functools
import re
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from jixiao_parser import parse_text
from jixiao_parser.diagnostics import CHECKS, DIAGNOSTICS
from jixiao_parser.model import CheckCode, Diagnostic, DiagnosticCode
from jixiao_parser.sections.common import Sink

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "jixiao_parser"
DOC = ROOT / "docs" / "diagnostics.md"


# -- the doc -------------------------------------------------------------------


def _table(heading: str) -> list[list[str]]:
    """The rows of the first table under ``## heading`` in docs/diagnostics.md."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"## {heading}")
    rows: list[list[str]] = []
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break  # the table has ended
    header, rule, *body = rows
    assert set("".join(rule)) <= {"-", ":"}, f"{heading}: no header rule under {header}"
    return body


def test_the_doc_lists_every_diagnostic_code_with_its_severity_and_meaning() -> None:
    expected = [[f"`{code}`", e.severity, e.means] for code, e in DIAGNOSTICS.items()]
    assert _table("Diagnostics") == expected


def test_the_doc_lists_every_check_code_with_its_meaning() -> None:
    assert _table("Checks") == [[f"`{code}`", means] for code, means in CHECKS.items()]


# -- the types -----------------------------------------------------------------


def test_the_registry_holds_exactly_the_diagnostic_code_literal() -> None:
    assert sorted(DIAGNOSTICS) == sorted(typing.get_args(DiagnosticCode))


def test_the_registry_holds_exactly_the_check_code_literal() -> None:
    assert sorted(CHECKS) == sorted(typing.get_args(CheckCode))


# -- the source ----------------------------------------------------------------


def _calls(tree: ast.AST) -> Iterator[tuple[ast.Call, list[ast.AST]]]:
    """Every call in ``tree`` with the chain of nodes above it (innermost last)."""

    def walk(node: ast.AST, above: list[ast.AST]) -> Iterator[tuple[ast.Call, list[ast.AST]]]:
        if isinstance(node, ast.Call):
            yield node, above
        for child in ast.iter_child_nodes(node):
            yield from walk(child, [*above, node])

    yield from walk(tree, [])


def _loop_values(name: str, above: list[ast.AST]) -> list[str] | None:
    """The strings ``name`` takes in an enclosing ``for`` over a literal tuple or list
    (``for section, present in (("funding", …), ("indicators", …))``)."""
    for node in reversed(above):
        if not isinstance(node, ast.For) or not isinstance(node.iter, (ast.Tuple, ast.List)):
            continue
        targets = node.target.elts if isinstance(node.target, ast.Tuple) else [node.target]
        names = [t.id if isinstance(t, ast.Name) else None for t in targets]
        if name not in names:
            continue
        k = names.index(name)
        values = []
        for item in node.iter.elts:
            element = item.elts[k] if isinstance(node.target, ast.Tuple) else item
            if not (isinstance(element, ast.Constant) and isinstance(element.value, str)):
                return None
            values.append(element.value)
        return values
    return None


def _forwarded(arg: ast.AST, above: list[ast.AST]) -> bool:
    """Whether ``arg`` is a parameter of the enclosing function, passed on (``Sink.note``)."""
    function = next(
        (n for n in reversed(above) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))),
        None,
    )
    if function is None or not isinstance(arg, ast.Name):
        return False
    a = function.args
    return arg.id in {p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)}


def _codes(arg: ast.AST, above: list[ast.AST], where: str) -> list[str]:
    """The code(s) a first argument can be: a string, or an f-string whose names
    are loop variables over literal strings; none for a parameter passed on."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if _forwarded(arg, above):
        return []
    assert isinstance(arg, ast.JoinedStr), f"{where}: the code is neither a string nor an f-string"
    codes = [""]
    for part in arg.values:
        if isinstance(part, ast.Constant):
            codes = [c + str(part.value) for c in codes]
            continue
        assert isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Name), where
        values = _loop_values(part.value.id, above)
        assert values, f"{where}: cannot tell what {{{part.value.id}}} stands for in the code"
        codes = [c + v for c in codes for v in values]
    return codes


def _emitted() -> tuple[dict[str, list[tuple[str, str | None]]], dict[str, list[str]]]:
    """Diagnostic code → [(where, severity as written)] from every ``….note(…)``,
    ``diagnostic(…)`` and ``Diagnostic(…)`` call; check code → [where] from every
    ``Check(…)`` call; over every module under src/ but the registry itself."""
    notes: dict[str, list[tuple[str, str | None]]] = {}
    checks: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        if path.name in ("diagnostics.py", "model.py"):
            continue  # the registry and the classes, not places that emit
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call, above in _calls(tree):
            func = call.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name not in ("note", "diagnostic", "Diagnostic", "Check") or not call.args:
                continue
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            codes = _codes(call.args[0], above, where)
            if name == "Check":
                for code in codes:
                    checks.setdefault(code, []).append(where)
                continue
            severity = None
            if len(call.args) > 1 and isinstance(call.args[1], ast.Constant):
                severity = call.args[1].value
            for code in codes:
                notes.setdefault(code, []).append((where, severity))
    return notes, checks


@functools.cache
def emitted() -> tuple[dict[str, list[tuple[str, str | None]]], dict[str, list[str]]]:
    return _emitted()


def test_the_scan_finds_the_calls_it_looks_for() -> None:
    # the scan must see literal codes, f-string codes and check codes, or the
    # tests below could pass on nothing
    notes, checks = emitted()
    assert "level2_inferred" in notes
    assert {"funding_missing", "indicators_missing"} <= set(notes)
    assert "weights_total" in checks


def test_every_diagnostic_code_in_the_source_is_registered_with_its_severity() -> None:
    for code, sites in sorted(emitted()[0].items()):
        assert code in DIAGNOSTICS, f"{code} ({sites[0][0]}) is not in DIAGNOSTICS"
        for where, severity in sites:
            registered = DIAGNOSTICS[code].severity
            assert severity in (None, registered), (
                f"{where}: {code} is {registered}, not {severity}"
            )


def test_every_registered_diagnostic_code_is_emitted_somewhere() -> None:
    assert sorted(set(DIAGNOSTICS) - set(emitted()[0])) == []


def test_every_check_code_in_the_source_is_registered() -> None:
    unknown = {code: sites for code, sites in emitted()[1].items() if code not in CHECKS}
    assert unknown == {}


def test_every_registered_check_code_is_emitted_somewhere() -> None:
    assert sorted(set(CHECKS) - set(emitted()[1])) == []


def test_the_f_string_code_resolves_from_its_loop() -> None:
    tree = ast.parse(
        'for section, present in (("funding", 1), ("indicators", 2)):\n'
        '    sink.note(f"{section}_missing", "warning", "…")\n'
    )
    ((call, above),) = list(_calls(tree))
    assert _codes(call.args[0], above, "here") == ["funding_missing", "indicators_missing"]


def test_a_forwarded_code_is_not_a_code() -> None:
    tree = ast.parse("def note(self, code):\n    self.append(Diagnostic(code))\n")
    ((_outer, _), (call, above)) = list(_calls(tree))
    assert _codes(call.args[0], above, "here") == []


def test_an_f_string_code_from_anywhere_else_is_refused() -> None:
    tree = ast.parse('def f(section):\n    sink.note(f"{section}_missing", "warning", "…")\n')
    ((call, above),) = list(_calls(tree))
    with pytest.raises(AssertionError, match="cannot tell"):
        _codes(call.args[0], above, "here")


# -- at run time ---------------------------------------------------------------


def test_sink_note_records_a_registered_code() -> None:
    sink = Sink()
    sink.note("header_value_missing", "info", "header label '项目名称' has no value", "line 2")
    assert sink.diagnostics == [
        Diagnostic("header_value_missing", "info", "header label '项目名称' has no value", "line 2")
    ]


def test_sink_note_refuses_an_unregistered_code() -> None:
    with pytest.raises(ValueError, match="'no_such_code' is not registered"):
        Sink().note("no_such_code", "info", "…")


def test_sink_note_refuses_a_severity_other_than_the_registered_one() -> None:
    with pytest.raises(ValueError, match="'funding_missing' is registered as warning, not info"):
        Sink().note("funding_missing", "info", "no funding block found in this form")


def test_a_diagnostic_refuses_an_unknown_code_or_severity() -> None:
    with pytest.raises(ValueError, match="'no_such_code' is not registered"):
        Diagnostic("no_such_code", "info", "…")
    with pytest.raises(ValueError, match="'level2_missing' is registered as info, not fatal"):
        Diagnostic("level2_missing", "fatal", "…")


def test_a_diagnostic_of_every_registered_code_and_severity_can_be_made() -> None:
    for code, entry in DIAGNOSTICS.items():
        assert Diagnostic(code, entry.severity, "…").severity == entry.severity


def test_a_form_without_funding_or_indicators_reports_both_as_registered() -> None:
    (report,) = parse_text("项目支出绩效自评表\n项目名称\t示例项目\n")
    got = [(d.code, d.severity) for d in report.diagnostics]
    assert got == [("funding_missing", "warning"), ("indicators_missing", "warning")]


def test_severity_words_are_the_documented_ones() -> None:
    doc = DOC.read_text(encoding="utf-8")
    section = doc[doc.index("## Severities") : doc.index("## Diagnostics")]
    assert re.findall(r"^- `(\w+)`", section, re.MULTILINE) == ["info", "warning", "error"]
