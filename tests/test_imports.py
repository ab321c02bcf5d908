"""No import cycle between caseflow's modules — imports inside functions count too, so a deferred
import cannot hide one (issue 14 §5)."""

from __future__ import annotations

import ast
from pathlib import Path

import caseflow

SOURCE = Path(caseflow.__file__).parent


def _graph() -> dict[str, set[str]]:
    modules: dict[str, Path] = {}
    for path in SOURCE.rglob("*.py"):
        parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("caseflow"):
                # `from pkg import sub` imports the submodule; `from mod import name`, the module.
                targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                           for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("caseflow")]
            else:
                continue
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle() -> None:
    assert _cycles(_graph()) == []


def test_the_walker_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# Packages from the bottom up: each may import only from its own row and the rows below it.
LAYERS = [
    {"errors", "config"},
    {"db"},
    {"legal_time", "parties", "numbering", "catalog", "discretion", "violations"},
    {"workflow", "holidays"},
    {"org"},
    {"auth", "deadlines"},
    {"documents", "evidence", "publication"},
    {"cases"},
    {"casefile"},
    {"alerts"},
    {"demo", "web"},
    {"cli", "__main__"},
]
# The model registry Alembic and the fixtures need imports every package's models.
REGISTRY = "caseflow.db.models"


def _package(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def test_packages_import_only_downward() -> None:
    rank = {pkg: i for i, row in enumerate(LAYERS) for pkg in row}
    upward = []
    for module, targets in _graph().items():
        if module == REGISTRY or module == "caseflow":
            continue
        here = _package(module)
        assert here in rank, f"{here} is in no layer of tests/test_imports.py"
        upward += [f"{module} → {t}" for t in targets if rank[_package(t)] > rank[here]]
    assert upward == []
