"""The tree keeps the shape docs/architecture.md describes: no import cycle, engines only inside
store/, no module named after a speed trick, every module listed in the architecture page."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "igkg"
ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """igkg modules that ``name`` imports anywhere in its text (function-level imports too)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # "from . import api" names a module; "from .x import f" names x
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in known and m != name}


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    return {name: _imports(name, path, known) for name, path in mods.items()}


def test_no_import_cycle() -> None:
    """Package __init__ modules re-export their children, so an edge into a package is an edge
    into the module it re-exports; cycles are looked for among plain modules and packages alike."""
    graph = _graph()
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(n: str, stack: list[str]) -> bool:
        state[n] = 1
        for m in sorted(graph[n]):
            if m == n.rsplit(".", 1)[0] and n.startswith(m + "."):
                continue  # a module reading its own package's __init__ (shared names), not a cycle
            if state.get(m) == 1:
                cycle.extend([*stack[stack.index(m):], m] if m in stack else [n, m])
                return True
            if state.get(m) is None and visit(m, [*stack, m]):
                return True
        state[n] = 2
        return False

    for n in sorted(graph):
        if state.get(n) is None and visit(n, [n]):
            break
    assert not cycle, " -> ".join(cycle)


def test_engines_are_chosen_only_inside_the_store_package() -> None:
    engines = {"igkg.store.oxigraph", "igkg.store.oxigraph_compile", "igkg.store.memory"}
    for name, imported in _graph().items():
        if name.startswith("igkg.store"):
            continue
        assert not imported & engines, f"{name} imports {sorted(imported & engines)}"
        text = _modules()[name].read_text(encoding="utf-8")
        assert ".engine ==" not in text and "isinstance(store" not in text, name


@pytest.mark.parametrize("word", ["fast", "collector", "pickles", "sparqltext"])
def test_no_module_is_named_after_a_trick(word: str) -> None:
    assert not [n for n in _modules() if word in n.rsplit(".", 1)[-1]]


def test_every_module_is_on_the_architecture_page() -> None:
    page = ARCHITECTURE.read_text(encoding="utf-8")
    missing = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
               if p.name != "__init__.py" and f"`{p.name}`" not in page]
    assert not missing
