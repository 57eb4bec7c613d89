"""The command line reads the environment, the standard streams, the terminal and the clock through
one injectable object (`cli.environment.Environment`), and writes messages one way."""

from __future__ import annotations

import ast
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.cli import app

CLI = Path(__file__).resolve().parent.parent / "src" / "letsconnect_cli" / "cli"
#: What only cli/environment.py may touch: (object, attribute) pairs, and attributes on anything.
_FORBIDDEN = {
    ("os", "environ"),
    ("os", "getenv"),
    ("sys", "stdout"),
    ("sys", "stderr"),
    ("sys", "stdin"),
    ("datetime", "now"),
    ("shutil", "get_terminal_size"),
}


def _uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and (node.value.id, node.attr) in _FORBIDDEN:
                found.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
            elif node.attr == "isatty":
                found.append(f"{path.name}:{node.lineno}: .isatty")
        elif isinstance(node, ast.ImportFrom) and node.module in {"os", "sys"}:
            for alias in node.names:
                if (node.module, alias.name) in _FORBIDDEN:
                    found.append(
                        f"{path.name}:{node.lineno}: from {node.module} import {alias.name}"
                    )
    return found


def test_only_the_environment_module_reads_variables_streams_terminal_and_clock() -> None:
    modules = sorted(p for p in CLI.glob("*.py") if p.name != "environment.py")
    assert len(modules) > 10
    assert [use for path in modules for use in _uses(path)] == []
    assert _uses(CLI / "environment.py")  # the scan does find them where they are


def test_a_command_runs_in_the_environment_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Variables, stdout and the clock of the Environment passed as the root object, not the
    process's: LC_CLINICS_DIR names the folder, the clock decides what is upcoming."""
    from letsconnect_cli.cli.context import AppContext
    from letsconnect_cli.cli.environment import Environment

    monkeypatch.chdir(tmp_path)  # no lc.toml here or above
    clinics = tmp_path / "elsewhere"
    clinics.mkdir()
    for day in ("2030-01-10", "2030-03-10"):
        (clinics / f"{day}-talk.toml").write_text(
            f'title = "Talk {day}"\ncategory = "technical"\nstatus = "scheduled"\n'
            f'start = {day}T06:00:00Z\nduration = "1h"\nlanguage = "en"\n',
            encoding="utf-8",
        )
    out = io.StringIO()
    env = Environment(
        environ={"LC_CLINICS_DIR": str(clinics), "NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path)},
        stdout=out,
        clock=lambda: datetime(2030, 2, 1, tzinfo=UTC),
    )
    result = CliRunner().invoke(app, ["list", "--upcoming", "--json"], obj=AppContext(env=env))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # the process's stdout got nothing
    assert [c["id"] for c in json.loads(out.getvalue())] == ["2030-03-10-talk"]

    # Its streams, as the process's, never pass a control character raw.
    raw = io.StringIO()
    Environment(stdout=raw).terminal_safe().out.write("title \x1b[2J\x07")
    assert raw.getvalue() == "title \\x1b[2J\\x07"


def test_source_date_epoch_is_read_one_way(tmp_path: Path) -> None:
    from letsconnect_cli import clock
    from letsconnect_cli.cli.environment import Environment
    from letsconnect_cli.errors import UsageError

    env = Environment(environ={"SOURCE_DATE_EPOCH": "1700000000"})
    assert env.stamp() == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    for value in ("yesterday", "1e9", "99999999999999999999"):
        try:
            clock.source_date_epoch({"SOURCE_DATE_EPOCH": value})
        except UsageError as error:
            assert "is not a time" in error.message
        else:
            raise AssertionError(value)


def test_warnings_and_notes_are_written_one_way() -> None:
    """No command builds "warning: ..." or "note: ..." itself: output.warning and output.note do,
    and messages go through output.message (report's own stderr writer is gone)."""
    built = []
    for path in sorted(CLI.glob("*.py")):
        if path.name == "output.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr | ast.Constant):
                continue
            first = node.values[0] if isinstance(node, ast.JoinedStr) and node.values else node
            text = first.value if isinstance(first, ast.Constant) else None
            if isinstance(text, str) and text.startswith(("warning: ", "note: ")):
                built.append(f"{path.name}:{node.lineno}")
    assert built == []


def test_no_command_module_imports_from_another() -> None:
    """Shared helpers live in cli/output, cli/exports or the library: a module of cli/ imports
    nothing from a command module (`*_cmd`) but its own (type-only imports aside)."""
    found = []
    for path in sorted(CLI.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
            for node in ast.walk(block)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and id(node) not in type_only:
                module = (node.module or "").rsplit(".", 1)[-1]
                if module.endswith("_cmd") and module != path.stem:
                    found.append(f"{path.name}:{node.lineno}: from {node.module}")
    assert found == []
