"""The core's import graph, read from the source with ``ast``: no cycles between app's modules
(function-level imports count too: they hide a cycle, they do not end it), no new cycle between
its rooms (the packages under ``app/``), no loose module at its root but the shared data model,
and no Qt or ``widgets`` import anywhere under ``app/``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
QT_ROOTS = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6", "widgets")


def _modules() -> dict[str, tuple[Path, bool]]:
    mods: dict[str, tuple[Path, bool]] = {}
    for path in sorted(APP.rglob("*.py")):
        parts = list(path.relative_to(APP.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        mods[".".join(parts)] = (path, is_package)
    return mods


def _absolute(module: str | None, here: str, is_package: bool, level: int) -> str:
    if not level:
        return module or ""
    base = here.split(".") if is_package else here.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _imports(path: Path, here: str, is_package: bool) -> list[tuple[str, list[str], int]]:
    """(imported module, names imported from it, line) for every import statement."""
    found: list[tuple[str, list[str], int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, here, is_package, node.level)
            found.append((base, [a.name for a in node.names], node.lineno))
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the app modules it imports (``from pkg import mod`` counts as ``pkg.mod``)."""
    mods = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in mods.items():
        deps: set[str] = set()
        for module, names, _line in _imports(path, name, is_package):
            if module != "app" and not module.startswith("app."):
                continue
            for sub in names or [""]:
                full = f"{module}.{sub}" if sub else module
                deps.add(full if full in mods else module)
        graph[name] = {d for d in deps if d in mods and d != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                comp: list[str] = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def test_cycle_finder_finds_a_planted_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_graph_sees_function_level_and_relative_imports() -> None:
    graph = import_graph()
    assert "app.cli.commands" in graph and "app.packet.draw" in graph
    assert "app.manifest.source" in graph["app.cli.commands"]
    assert "app.packet.ink" in graph["app.packet.form"]


def test_app_has_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert found == [], "import cycles in app/: " + "; ".join(" ↔ ".join(c) for c in found)


def room_of(module: str) -> str:
    """``app.rules.findings`` -> ``app.rules``; ``app.model`` stays ``app.model``."""
    return ".".join(module.split(".")[:2])


def room_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Room -> the other rooms its modules import."""
    rooms: dict[str, set[str]] = {}
    for module, deps in graph.items():
        rooms.setdefault(room_of(module), set()).update(
            room_of(d) for d in deps if room_of(d) != room_of(module)
        )
    return rooms


# The guide's own commands (``guide test`` runs its cases through the real rules and the value
# parser: app/guide/cases.py, function-level imports) make the one cycle between rooms. No other.
KNOWN_ROOM_CYCLES = [["app.entry", "app.guide", "app.rules"]]

# The one module at app's root: the project data every room shares.
ROOT_MODULES = {"app", "app.model"}


def test_rooms_import_each_other_one_way_only() -> None:
    found = cycles(room_graph(import_graph()))
    assert found == KNOWN_ROOM_CYCLES, "cycles between app's rooms: " + "; ".join(
        " ↔ ".join(c) for c in found
    )


def test_room_graph_sees_a_cycle_of_rooms() -> None:
    graph = {"app.a.x": {"app.b.y"}, "app.b.y": set(), "app.b.z": {"app.a.w"}, "app.a.w": set()}
    assert cycles(room_graph(graph)) == [["app.a", "app.b"]]


def test_apps_root_holds_rooms_and_the_shared_model_only() -> None:
    loose = {m for m in _modules() if "." not in m.removeprefix("app.")} - ROOT_MODULES
    rooms = {m for m, (_path, is_package) in _modules().items() if is_package and m.count(".") == 1}
    assert sorted(loose - rooms) == []


@pytest.mark.parametrize("name", sorted(_modules()))
def test_app_never_imports_qt_or_widgets(name: str) -> None:
    path, is_package = _modules()[name]
    bad = [
        f"{path.name}:{line} imports {module}"
        for module, _names, line in _imports(path, name, is_package)
        if module.split(".")[0] in QT_ROOTS
    ]
    assert bad == []
