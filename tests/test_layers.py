"""Imports run one way: readers → document → segment → recover → sections (STYLE.md).

Each module's imports are read with ``ast`` (also those inside functions) and
resolved to modules of the package; one test per rule and module, so that a
failure names the module and what it imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "jixiao_parser"
PACKAGE = "jixiao_parser"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def imports_of(module: str, source: str, known: set[str]) -> set[str]:
    """The package modules ``source`` (the text of ``module``) imports.

    ``from .. import vocab`` names the module ``jixiao_parser.vocab``; a name that
    is no module (``from .document import Cell``) names the module it comes from.
    """
    is_package = module in known and MODULES.get(module, Path()).name == "__init__.py"
    here = module.split(".") if is_package else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(
                    here[: len(here) - node.level + 1] + ([node.module] if node.module else [])
                )
            else:
                base = node.module or ""
            for alias in node.names:
                name = f"{base}.{alias.name}"
                found.add(name if name in known else base)
    return {m for m in found if m == PACKAGE or m.startswith(PACKAGE + ".")}


def _imports(module: str) -> set[str]:
    source = MODULES[module].read_text(encoding="utf-8")
    return imports_of(module, source, set(MODULES))


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _modules_in(package: str) -> list[str]:
    return [m for m in MODULES if _within(m, f"{PACKAGE}.{package}")]


# layer → the packages and modules it must not import
RULES = {
    "readers": ("segment", "sections", "vocab", "values", "checks", "api"),
    "segment": ("readers", "sections", "values", "checks", "api", "recover"),
    "recover": ("readers", "sections", "checks", "api"),
    "sections": ("checks", "api", "readers"),
}
# known breaks of a rule, each waiting for a change on its way (none now)
KNOWN: dict[tuple[str, str], str] = {}


def _cases() -> list[object]:
    cases = []
    for layer, bans in RULES.items():
        for module in _modules_in(layer):
            for banned in bans:
                reason = KNOWN.get((module, banned))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                name = f"{module.removeprefix(PACKAGE + '.')}-{banned}"
                cases.append(pytest.param(module, banned, id=name, marks=marks))
    return cases


@pytest.mark.parametrize(
    ("module", "banned"),
    _cases(),
)
def test_layer_does_not_import(module: str, banned: str) -> None:
    wrong = sorted(m for m in _imports(module) if _within(m, f"{PACKAGE}.{banned}"))
    assert not wrong, f"{module} imports {wrong}"


@pytest.mark.parametrize("module", [f"{PACKAGE}.document", f"{PACKAGE}.figures"])
def test_base_modules_import_only_errors(module: str) -> None:
    # (and the reader of the package's data files, which imports nothing of ours)
    allowed = (f"{PACKAGE}.errors", f"{PACKAGE}._data")
    wrong = sorted(m for m in _imports(module) if not any(_within(m, a) for a in allowed))
    assert not wrong, f"{module} imports {wrong}"


def test_every_layer_has_modules() -> None:
    # a renamed package would leave its rules checking nothing
    for layer in RULES:
        assert _modules_in(layer), layer


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("jixiao_parser.readers.pdf", "from .. import vocab", {"jixiao_parser.vocab"}),
        (
            "jixiao_parser.readers.pdf",
            "from ..segment.stitch import x",
            {"jixiao_parser.segment.stitch"},
        ),
        ("jixiao_parser.readers", "from .text import clean_cell", {"jixiao_parser.readers.text"}),
        (
            "jixiao_parser.sections.blocks",
            "def f():\n    from ..checks import attained",
            {"jixiao_parser.checks"},
        ),
        ("jixiao_parser.document", "import jixiao_parser.vocab", {"jixiao_parser.vocab"}),
        ("jixiao_parser.document", "import regex\nfrom attrs import frozen", set()),
    ],
)
def test_imports_are_resolved(module: str, source: str, expected: set[str]) -> None:
    assert imports_of(module, source, set(MODULES)) == expected


def test_the_data_reader_imports_nothing_of_the_package() -> None:
    assert not [m for m in _imports(f"{PACKAGE}._data") if _within(m, PACKAGE)]
