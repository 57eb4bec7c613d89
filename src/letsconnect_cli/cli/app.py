"""The root `lc` command: global options, the command list, and the one place errors become exit codes.

Only Typer and lc's light modules are imported here; each command imports what it needs
(pydantic, Jinja2, httpx, ...) inside its body, so `lc --help` stays fast.
"""

import sys
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer
from typer.core import TyperGroup

from letsconnect_cli import __version__
from letsconnect_cli.cli.context import AppContext
from letsconnect_cli.errors import ExitCode, LcError

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 unexpected error; 2 usage error; 3 validation found problems; "
    "4 input unreadable or in an unrecognised format; 5 remote/HTTP failure."
)

CLINICS_DIR_HELP = (
    "Folder of clinic files [default: LC_CLINICS_DIR, else clinics_dir of lc.toml, else ./clinics]."
)


# Click's own exceptions (usage errors, --help, exits) pass through untouched. Typer re-exports
# BadParameter but not its base class; reach it through the class hierarchy, not a private module.
_CLICK_EXCEPTIONS: tuple[type[BaseException], ...] = (
    typer.Exit,
    typer.Abort,
    *(base for base in typer.BadParameter.__mro__ if base.__name__ == "ClickException"),
)


class LcGroup(TyperGroup):
    """Loads each command when it is needed, and maps lc's exceptions to messages and exit
    codes, for every command, in one place."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = load_command(cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from COMMANDS' summaries, without loading every command."""
        rows = [(name, spec.summary) for name, spec in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if args and name not in COMMANDS and name not in self.commands and not name.startswith("-"):
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS), n=3)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            ctx.fail(f"No such command {name!r}.{hint}")
        return super().resolve_command(ctx, args)

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
            help=CLINICS_DIR_HELP,
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


class CommandSpec(NamedTuple):
    module: str  # in letsconnect_cli.cli
    function: str
    summary: str  # the line `lc --help` shows


#: The commands, loaded only when one runs (or its own help is shown): `lc validate` imports and
#: builds `validate` alone, and `lc --help` lists them all from these summaries.
COMMANDS: dict[str, CommandSpec] = {
    "init": CommandSpec(
        "init_cmd", "init", "Start a folder of clinics: lc.toml, clinics/ and a .gitignore."
    ),
    "new-clinic": CommandSpec(
        "new_clinic", "new_clinic", "Create a clinic file (asks for what is missing)."
    ),
    "validate": CommandSpec(
        "validate", "validate", "Check clinic files: where each problem is, how to fix it."
    ),
    "list": CommandSpec("list_cmd", "list_clinics", "List the clinics by start, with filters."),
    "regions": CommandSpec(
        "regions_cmd", "regions", "The regions, their countries and time-zone groups."
    ),
    "invite": CommandSpec(
        "invite",
        "invite",
        "Calendar invites with local times; invitations by email.",
    ),
    "announce": CommandSpec(
        "announce_cmd", "announce", "A clinic's announcement in a format and language."
    ),
    "publish": CommandSpec(
        "publish_cmd", "publish", "Publish an announcement or the calendar page to the wiki."
    ),
    "report": CommandSpec(
        "report_cmd", "report", "Figures of registration, attendance and feedback exports."
    ),
    "slots": CommandSpec(
        "slots_cmd", "slots", "Which UTC start times suit a region's local hours."
    ),
}


def load_command(name: str) -> Any:
    """The click command of one of COMMANDS, built by Typer from its function."""
    import importlib

    spec = COMMANDS[name]
    module = importlib.import_module(f"letsconnect_cli.cli.{spec.module}")
    single = typer.Typer(
        rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False
    )
    function = getattr(module, spec.function)
    if name != "init":
        function = _with_clinics_dir(function)
    single.command(name, short_help=spec.summary)(function)
    return typer.main.get_command(single)


def _remember_clinics_dir(ctx: typer.Context, value: Path | None) -> None:
    if value is not None:
        context = ctx.find_object(AppContext)
        if context is None:  # a command run without the root (tests of one command)
            context = ctx.ensure_object(AppContext)
        context.clinics_dir_flag = value
        context.reset_config()


def _with_clinics_dir(function: Any) -> Any:
    """The command with --clinics-dir of its own, so that it works after the command's name
    (`lc new-clinic --clinics-dir DIR`) as well as before it; there it overrides the root's."""
    import functools
    import inspect

    annotation = Annotated[
        Path | None,
        typer.Option(
            "--clinics-dir",
            metavar="DIR",
            help=CLINICS_DIR_HELP,
            callback=_remember_clinics_dir,
            show_default=False,
        ),
    ]

    @functools.wraps(function)
    def command(*args: Any, clinics_dir_after: Path | None = None, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    signature = inspect.signature(function)
    extra = inspect.Parameter(
        "clinics_dir_after", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation
    )
    command.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), extra]
    )
    command.__annotations__ = {**function.__annotations__, "clinics_dir_after": annotation}
    return command


def main() -> None:
    """The console script: run the app and exit with its code.

    On the way out, every object is frozen (gc.freeze): the interpreter's last collection then
    skips the objects of Typer, pydantic's schemas and lc, all about to go anyway (some 50
    million instructions of `lc validate`). lc closes its files itself, never leaving that to
    the collector."""
    import gc

    try:
        app(prog_name="lc")
    finally:
        gc.freeze()
