"""The command line as a whole: exit codes, --version, --debug, help texts, the README's Quick start.

The command reference and the JSON page of the docs are checked in tests/docs/test_reference.py."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from scripts import build_docs
from typer.testing import CliRunner

from letsconnect_cli import __version__
from letsconnect_cli.cli import app
from letsconnect_cli.cli.app import COMMANDS
from letsconnect_cli.errors import ExitCode, InputUnreadable, RemoteError
from tests.conftest import ROOT, invoke


def test_version(runner: CliRunner) -> None:
    result = invoke(runner, "--version")
    assert (result.exit_code, result.stdout) == (0, f"lc {__version__}\n")


def test_no_arguments_shows_help_and_exit_codes(runner: CliRunner) -> None:
    result = invoke(runner)
    assert "Usage: lc" in result.output
    assert "Exit codes: 0 ok; 1 unexpected error; 2 usage error" in " ".join(result.output.split())


def test_every_command_has_help(runner: CliRunner) -> None:
    names = build_docs.command_names()
    assert {"new-clinic", "validate", "list", "regions"} <= set(names)
    for name in names:
        result = invoke(runner, name, "--help")
        assert result.exit_code == 0
        function = command_function(name)
        assert function.__doc__, f"lc {name} has no help text"


def test_command_signatures_are_not_strings() -> None:
    """Typer evaluates string annotations at every start (see letsconnect_cli.cli's docstring)."""
    assert app.registered_callback is not None and app.registered_callback.callback is not None
    functions = [app.registered_callback.callback, *map(command_function, COMMANDS)]
    for function in functions:
        annotations = function.__annotations__
        strings = [name for name, value in annotations.items() if isinstance(value, str)]
        assert strings == [], f"{function.__module__}: string annotations {strings}"


def command_function(name: str) -> Callable[..., object]:
    spec = COMMANDS[name]
    function: Callable[..., object] = getattr(
        importlib.import_module(f"letsconnect_cli.cli.{spec.module}"), spec.function
    )
    return function


@pytest.mark.slow
def test_a_command_is_loaded_only_when_it_runs() -> None:
    code = (
        "import sys\n"
        "from letsconnect_cli.cli import app\n"
        "for args in (['--help'], ['regions', '--json']):\n"
        "    try:\n"
        "        app(args, prog_name='lc')\n"
        "    except SystemExit:\n"
        "        pass\n"
        "    loaded = sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('letsconnect_cli.cli.'))\n"
        "    print('LOADED:' + ','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = [line for line in result.stdout.splitlines() if line.startswith("LOADED:")]
    # output: every command runs with stdout and stderr that show control characters visibly
    assert loaded == [
        "LOADED:app,context,environment,output",
        "LOADED:app,completion,context,environment,options,output,regions_cmd",
    ]


def test_a_mistyped_command_is_a_usage_error_with_a_suggestion(runner: CliRunner) -> None:
    result = invoke(runner, "valdate")
    assert result.exit_code == 2
    assert "No such command 'valdate'. Did you mean 'validate'?" in result.stderr


def test_readme_quick_start_has_exactly_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "pip install -e ." in commands[0] and "lc " in commands[0]
    assert '".[test]"' in commands[1] and commands[1].endswith("pytest")


def test_usage_error_is_exit_2(runner: CliRunner) -> None:
    result = invoke(runner, "list", "--no-such-flag")
    assert result.exit_code == ExitCode.USAGE


@pytest.mark.parametrize(
    ("error", "code"), [(InputUnreadable("cannot read x"), 4), (RemoteError("wiki unreachable"), 5)]
)
def test_errors_map_to_exit_codes_without_traceback(
    runner: CliRunner,
    empty_project: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    code: int,
) -> None:
    def fail(directory: Path) -> list[Path]:
        raise error

    monkeypatch.setattr("letsconnect_cli.clinic.clinics.clinic_paths", fail)
    result = invoke(runner, "validate")
    assert result.exit_code == code
    assert result.stderr == f"lc: error: {error}\n"


def test_unexpected_error_is_exit_1_and_debug_shows_the_traceback(
    runner: CliRunner, empty_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(directory: Path) -> list[Path]:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("letsconnect_cli.clinic.clinics.clinic_paths", crash)
    result = invoke(runner, "validate")
    assert result.exit_code == 1
    assert "lc: unexpected error: ZeroDivisionError: boom" in result.stderr
    assert "--debug" in result.stderr and "Traceback" not in result.stderr
    debug = invoke(runner, "--debug", "validate")
    assert isinstance(debug.exception, ZeroDivisionError)


def test_debug_shows_traceback_for_user_errors_too(runner: CliRunner, empty_project: Path) -> None:
    result = invoke(runner, "--debug", "validate", "missing.toml")
    assert result.exit_code == 4
    assert (
        "Traceback" in result.stderr and "lc: error: missing.toml does not exist" in result.stderr
    )


def test_python_dash_m_and_console_script(project: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    module = subprocess.run(
        [sys.executable, "-m", "letsconnect_cli", "validate"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert module.returncode == 0, module.stderr
    assert module.stdout.splitlines()[-1].startswith("5 file(s) checked: 5 valid")
    broken = project / "clinics" / "2023-08-01-broken.toml"
    broken.write_text("title = \n")
    module = subprocess.run(
        [sys.executable, "-m", "letsconnect_cli", "validate"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert module.returncode == 3
    assert "Traceback" not in module.stderr + module.stdout


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys\n"
        "from letsconnect_cli.cli import app\n"
        "try:\n"
        "    app(['--help'], prog_name='lc')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('pydantic', 'jinja2', 'httpx', 'ics', 'babel', 'pycountry') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "HEAVY:"
