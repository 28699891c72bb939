"""The shape of the package: no import cycles between storyline modules, and SQL only in the store."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "storyline"


def _modules() -> dict[str, tuple[Path, bool]]:
    """Module name -> (file, whether it is a package's `__init__`)."""
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if package else parts)] = (path, package)
    return out


def _imported(name: str, package: bool, node: ast.Import | ast.ImportFrom, modules: set[str]) -> list[str]:
    """The storyline modules an import statement needs (`from a import b` needs `a.b` when it is a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        here = name.split(".") if package else name.split(".")[:-1]
        here = here[: len(here) - node.level + 1]
        base = ".".join([*here, base] if base else here)
    submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
    # `from pkg import name` needs pkg's `__init__` to have defined `name`; `from pkg import module`
    # only needs pkg to exist (its module is imported on its own).
    return submodules if len(submodules) == len(node.names) else [base, *submodules]


def import_graph() -> dict[str, set[str]]:
    """Module -> the storyline modules it runs when imported or when its functions run (imports at
    module level, in functions and under TYPE_CHECKING alike). Importing `a.b.c` also runs the
    `__init__` of `a` and `a.b`, except those of the importer's own packages: they are already
    running (or done) whenever one of their modules is imported."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, package) in modules.items():
        own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1 + int(package))}
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _imported(name, package, node, set(modules)):
                parts = target.split(".")
                for i in range(1, len(parts) + 1):
                    step = ".".join(parts[:i])
                    named = i == len(parts)  # the module the statement names, not a parent run on the way
                    if step in modules and step != name and (named or step not in own):
                        edges.add(step)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as the list of modules around it (first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_graph_sees_the_imports_it_must() -> None:
    graph = import_graph()
    # Module level, relative-free absolute imports and the parent package run on the way.
    assert "storyline.store" in graph["storyline.group.persist"]
    assert "storyline.annotate" in graph["storyline.group.persist"]  # annotate.records runs annotate/__init__
    # Imports inside functions count as well (the CLI imports grouping lazily).
    assert "storyline.group" in graph["storyline.cli"]
    # A module's own package is not re-run: annotate.dates importing annotate.records is no edge to it.
    assert "storyline.annotate" not in graph["storyline.annotate.dates"]


def test_a_cycle_is_found_and_printed() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


# What SQL looks like in Python source: a cursor call, or a statement keyword in a string.
_SQL = re.compile(r"\.execute(?:many|script)?\(|\b(?:SELECT|INSERT|UPDATE|DELETE FROM|CREATE TABLE|PRAGMA)\s")


def test_only_the_store_speaks_sql() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.relative_to(SRC).parts[0] in ("store", "store.py"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _SQL.search(line) or "store.db" in line:
                offenders.append(f"{path.relative_to(SRC.parent)}:{number}: {line.strip()}")
    assert not offenders, "SQL outside storyline.store:\n" + "\n".join(offenders)


def test_the_sql_check_sees_sql() -> None:
    persist_before = 'rows = store.db.execute("SELECT article_id FROM story_articles")'
    assert _SQL.search(persist_before) and "store.db" in persist_before
    assert not _SQL.search("Select the stories whose update failed")
