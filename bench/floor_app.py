"""The floor for lc's start-up benchmarks: a minimal Typer app of two commands, configured as lc is.

Same Typer settings as `letsconnect_cli.cli.app` (custom group class aside): rich_markup_mode=None,
pretty exceptions off, completion on, -h/--help, an epilog. `hello` does the least a command can do.
"""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    name="floor",
    help="A minimal Typer app: the floor lc's start-up is measured against.",
    epilog="Exit codes: 0 ok.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False) -> None:
    """The root command."""


@app.command()
def hello(name: Annotated[str, typer.Option(help="Who to greet.")] = "world") -> None:
    """Print a greeting."""
    typer.echo(f"hello {name}")


@app.command()
def goodbye(json_output: Annotated[bool, typer.Option("--json", help="As JSON.")] = False) -> None:
    """Print a farewell."""
    typer.echo('{"bye": true}' if json_output else "goodbye")


if __name__ == "__main__":
    app(prog_name="floor")
