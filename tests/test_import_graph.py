"""No import cycle in `extractor/` (issue 23): every module imports alone in a fresh interpreter, and the import graph,
read from the source (every `from .x import`, `import extractor.x`, also inside functions, where a cycle hides until
first use), has no circle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"


def modules(package: Path) -> dict[str, tuple[Path, bool]]:
    """Every module of the package under `package`: dotted name → (file, is a package `__init__`)."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return out


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The nodes under `if TYPE_CHECKING:` (never run, so no cycle at run time)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for child in node.body for n in ast.walk(child)}
    return skipped


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module → the package modules it imports, anywhere in its source. Importing `a.b.c` also runs the packages
    `a.b` and `a` (their `__init__`), except those the importer is itself inside (they are running already)."""
    mods = modules(package)
    root = package.name
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        skipped = _type_checking_only(tree)
        here = name.split(".") if is_package else name.split(".")[:-1]
        targets: list[str] = []
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base_parts = here[:len(here) - node.level + 1] + ([node.module] if node.module else [])
                    base = ".".join(base_parts)
                else:
                    base = node.module or ""
                if base != root and not base.startswith(root + "."):
                    continue
                for alias in node.names:  # `from . import chars`: the submodule; `from .x import f`: x itself
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in mods else base)
            elif isinstance(node, ast.Import):
                targets += [a.name for a in node.names if a.name == root or a.name.startswith(root + ".")]
        edges = set()
        for target in targets:
            parts = target.split(".")
            for k in range(1, len(parts) + 1):
                module = ".".join(parts[:k])
                if module in mods and name != module and not name.startswith(module + "."):
                    edges.add(module)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle (a → b → … → a) through each strongly connected group of modules (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1 or v in graph.get(v, ()):
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_circle(graph, group) for group in sorted(groups, key=min)]


def _circle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest path from the group's first module back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & group):
                if w == start:
                    return paths[v] + [start]
                if w not in paths:
                    paths[w] = paths[v] + [w]
                    nxt.append(w)
        frontier = nxt
    raise AssertionError("a strongly connected group without a circle")


def test_the_import_graph_of_extractor_has_no_cycle() -> None:
    graph = import_graph(PACKAGE)
    assert graph.get("extractor.normalise")  # the graph was read
    found = cycles(graph)
    assert not found, "import cycles: " + "; ".join(" -> ".join(c) for c in found)


def test_the_cycle_check_finds_a_cycle_hidden_in_a_function(tmp_path: Path) -> None:
    # The circle issue 23 removed, as it was: normalise imports layout at the top, layout imports the number lexicon
    # inside a function, the lexicon imports normalise.
    pkg = tmp_path / "extractor"
    (pkg / "numbers").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "normalise.py").write_text("from .layout import soft_breaks\n")
    (pkg / "layout.py").write_text("def words():\n    from .numbers.lexicon import lexicon\n    return lexicon()\n")
    (pkg / "numbers" / "__init__.py").write_text("from .lexicon import lexicon\n")
    (pkg / "numbers" / "lexicon.py").write_text("from ..normalise import normalise\n")
    (pkg / "typing_only.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                        "    from .normalise import x\n")
    found = cycles(import_graph(pkg))
    assert found == [["extractor.layout", "extractor.numbers.lexicon", "extractor.normalise", "extractor.layout"]]


@pytest.mark.parametrize("module", sorted(modules(PACKAGE)))
def test_every_module_imports_alone_in_a_fresh_interpreter(module: str) -> None:
    proc = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
