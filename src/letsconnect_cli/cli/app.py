"""The root `lc` command: global options, the command list, and the one place errors become exit codes.

Only Typer and lc's light modules are imported here; each command imports what it needs
(pydantic, Jinja2, httpx, ...) inside its body, so `lc --help` stays fast.
"""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from letsconnect_cli import __version__
from letsconnect_cli.cli.context import AppContext
from letsconnect_cli.errors import ExitCode, LcError

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 unexpected error; 2 usage error; 3 validation found problems; "
    "4 input unreadable or in an unrecognised format; 5 remote/HTTP failure."
)

# Click's own exceptions (usage errors, --help, exits) pass through untouched. Typer re-exports
# BadParameter but not its base class; reach it through the class hierarchy, not a private module.
_CLICK_EXCEPTIONS: tuple[type[BaseException], ...] = (
    typer.Exit,
    typer.Abort,
    *(base for base in typer.BadParameter.__mro__ if base.__name__ == "ClickException"),
)


class LcGroup(TyperGroup):
    """Maps lc's exceptions to messages and exit codes, for every command, in one place."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except _CLICK_EXCEPTIONS:
            raise
        except LcError as error:
            _report(ctx, error)
            raise typer.Exit(int(error.exit_code)) from None
        except KeyboardInterrupt:
            sys.stderr.write("lc: interrupted\n")
            raise typer.Exit(130) from None
        except Exception as error:
            app_context = ctx.find_object(AppContext)
            if app_context is not None and app_context.debug:
                raise
            sys.stderr.write(
                f"lc: unexpected error: {type(error).__name__}: {error}\n"
                "This is a bug in lc. Run the command again with --debug for the traceback, "
                "and report it.\n"
            )
            raise typer.Exit(int(ExitCode.UNEXPECTED)) from None


def _report(ctx: Any, error: LcError) -> None:
    app_context = ctx.find_object(AppContext)
    if app_context is not None and app_context.debug:
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    sys.stderr.write(f"lc: error: {error}\n")


app = typer.Typer(
    name="lc",
    cls=LcGroup,
    help=(
        "lc: the Let's Connect operations toolkit. Learning Clinics from a folder of clinic "
        "files: check them, list them, and see their times across the Foundation's regions."
    ),
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"lc {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    clinics_dir: Annotated[
        Path | None,
        typer.Option(
            "--clinics-dir",
            metavar="DIR",
            help="Folder of clinic files [default: LC_CLINICS_DIR, else clinics_dir of lc.toml, "
            "else ./clinics].",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks (for reporting a bug in lc).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show lc's version."),
    ] = False,
) -> None:
    ctx.obj = AppContext(clinics_dir_flag=clinics_dir, debug=debug)


def _register() -> None:
    from letsconnect_cli.cli import invite as invite_cmd
    from letsconnect_cli.cli import list_cmd, new_clinic, regions_cmd, validate

    app.command("new-clinic")(new_clinic.new_clinic)
    app.command("validate")(validate.validate)
    app.command("list")(list_cmd.list_clinics)
    app.command("regions")(regions_cmd.regions)
    app.command("invite")(invite_cmd.invite)

    from letsconnect_cli.cli import announce_cmd, publish_cmd

    app.command("announce")(announce_cmd.announce)
    app.command("publish")(publish_cmd.publish)

    from letsconnect_cli.cli import report_cmd

    app.command("report")(report_cmd.report)

    from letsconnect_cli.cli import slots_cmd

    app.command("slots")(slots_cmd.slots)


_register()


def main() -> None:
    """The console script: run the app and exit with its code."""
    app(prog_name="lc")
