"""The shape of lc's imports: no cycles, the core never imports the command line, the foundation
imports nothing of the domain; and every command module is named `cli/<command>_cmd.py`.

The graph is built from the source with `ast`, so it holds every import a module can make: at
the top, inside functions (lc defers heavy imports into the code that needs them), and under
`TYPE_CHECKING`; absolute and relative (`from . import x`) alike. A cycle hidden behind an import
inside a function is still a cycle: each of its modules needs the other to be understood, tested
or moved. docs/developers/architecture.md describes the packages and these rules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import letsconnect_cli

PACKAGE = "letsconnect_cli"
SOURCE = Path(letsconnect_cli.__file__).resolve().parent
#: Modules allowed to import the command line: the entry points.
ENTRY_POINTS = {"letsconnect_cli.__main__"}
#: The modules every package builds on; they import only each other.
FOUNDATION = {
    f"{PACKAGE}.{name}"
    for name in (
        "clock",
        "errors",
        "escaping",
        "files",
        "locking",
        "loopback",
        "masking",
        "passwords",
        "tomltext",
        "vocab",
    )
}


def module_files(root: Path = SOURCE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, for `__init__`)."""
    modules: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = [PACKAGE, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


@cache
def parsed(path: Path) -> ast.Module:
    """A module's syntax tree (each file parsed once per test session)."""
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    """The dotted names an import statement may load: `a.b` for `import a.b`; for `from a
    import b`, both `a.b` (if b is a module) and `a`."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    if node.level:  # relative: from . import x, from ..y import z
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join([*base, *([node.module] if node.module else [])])
    else:
        source = node.module or ""
    yield source
    for alias in node.names:
        yield f"{source}.{alias.name}"


def import_graph(root: Path = SOURCE) -> dict[str, set[str]]:
    """Each module of lc and the modules of lc it imports, wherever the import statement is."""
    modules = module_files(root)

    def known(name: str) -> str | None:
        """The deepest module of lc that `name` names (`letsconnect_cli.slots.Window` is the
        package `letsconnect_cli.slots`), or None outside lc."""
        while name:
            if name in modules:
                return name
            name = name.rpartition(".")[0]
        return None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        targets: set[str] = set()
        for node in ast.walk(parsed(path)):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            names = list(_imported(node, module, is_package))
            if isinstance(node, ast.ImportFrom):
                # `from a import b`: the module a.b if it is one, else the module a
                source, members = names[0], names[1:]
                found = [m for m in members if m in modules] or [source]
            else:
                found = names
            targets.update(t for t in map(known, found) if t is not None and t != module)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of modules (Tarjan), as a shortest cycle through its first
    module, a path that starts and ends there, followed by the group's other modules; an empty
    list when the graph has none."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    found = []
    for group in groups:
        cycle = _cycle_in(graph, group)
        found.append(cycle + sorted(group - set(cycle)))
    return found


def _cycle_in(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest cycle through the first module of `group` (breadth first, inside it)."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"no cycle in {sorted(group)}")  # pragma: no cover


def shown(found: list[str]) -> str:
    """`a -> b -> a`, and the other modules of the same tangle: `(with c, d)`."""
    short = [name.removeprefix(PACKAGE + ".") for name in found]
    end = short.index(short[0], 1) + 1
    others = f" (with {', '.join(short[end:])})" if short[end:] else ""
    return " -> ".join(short[:end]) + others


def is_cli(module: str) -> bool:
    return module == f"{PACKAGE}.cli" or module.startswith(f"{PACKAGE}.cli.")


def test_no_module_imports_itself_through_others() -> None:
    found = cycles(import_graph())
    assert found == [], "import cycles:\n" + "\n".join(shown(c) for c in found)


def test_the_core_never_imports_the_command_line() -> None:
    graph = import_graph()
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if not is_cli(module) and module not in ENTRY_POINTS
        for target in targets
        if is_cli(target)
    )
    assert wrong == [], "\n".join(wrong)


def test_the_core_never_imports_the_terminal_libraries() -> None:
    """Typer, Click and Rich belong to the command line: the core returns values and raises."""
    wrong = []
    for module, path in module_files().items():
        if is_cli(module) or module in ENTRY_POINTS:
            continue
        for node in ast.walk(parsed(path)):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            wrong += [
                f"{module} imports {name}"
                for name in names
                if name.split(".")[0] in ("typer", "click", "rich")
            ]
    assert wrong == [], "\n".join(wrong)


def test_the_foundation_imports_nothing_of_the_domain() -> None:
    graph = import_graph()
    assert set(graph) >= FOUNDATION, sorted(FOUNDATION - set(graph))
    wrong = sorted(
        f"{module} imports {target}"
        for module in FOUNDATION
        for target in graph[module]
        if target not in FOUNDATION
    )
    assert wrong == [], "\n".join(wrong)


def test_every_command_module_is_named_for_its_command() -> None:
    from letsconnect_cli.cli.app import COMMANDS

    modules = {name: spec.module for name, spec in COMMANDS.items()}
    assert modules == {name: name.replace("-", "_") + "_cmd" for name in COMMANDS}
    on_disk = {path.stem for path in (SOURCE / "cli").glob("*_cmd.py")}
    assert on_disk == set(modules.values())


def test_no_module_imports_a_command_module() -> None:
    """Commands are loaded by name (`cli/app.py`'s COMMANDS); what two of them share lives in
    cli/output, options, context or exports, or in the library."""
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        for target in targets
        if is_cli(target) and target.endswith("_cmd")
    )
    assert wrong == [], "\n".join(wrong)


# --- the graph itself, on small packages ----------------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / PACKAGE
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_imports_inside_functions_and_relative_ones_count(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "a.py": "def f():\n    from letsconnect_cli import b\n",
            "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import X\n",
            "c.py": "import letsconnect_cli.d.e\n",
            "d/__init__.py": "",
            "d/e.py": "def g():\n    from .. import a\n    from . import f\n",
            "d/f.py": "from letsconnect_cli.d import thing\n",
        },
    )
    graph = import_graph(root)
    assert graph["letsconnect_cli.a"] == {"letsconnect_cli.b"}
    assert graph["letsconnect_cli.b"] == {"letsconnect_cli.c"}
    assert graph["letsconnect_cli.c"] == {"letsconnect_cli.d.e"}
    assert graph["letsconnect_cli.d.e"] == {"letsconnect_cli.a", "letsconnect_cli.d.f"}
    assert graph["letsconnect_cli.d.f"] == {"letsconnect_cli.d"}
    assert [shown(c) for c in cycles(graph)] == ["a -> b -> c -> d.e -> a"]


def test_a_graph_without_cycles_has_none(tmp_path: Path) -> None:
    root = _package(tmp_path, {"a.py": "from letsconnect_cli import b\n", "b.py": "import os\n"})
    assert cycles(import_graph(root)) == []
