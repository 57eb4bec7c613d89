"""The root `lc` command: global options, the command list, and the one place errors become exit codes.

Only Typer and lc's light modules are imported here; each command imports what it needs
(pydantic, Jinja2, httpx, ...) inside its body, so `lc --help` stays fast.
"""

from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup

from letsconnect_cli import __version__
from letsconnect_cli.cli.context import AppContext
from letsconnect_cli.cli.environment import Environment, activate, current
from letsconnect_cli.errors import AlreadyReported, ExitCode, LcError

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

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command with stdout and stderr showing control characters visibly: whatever a
        command, lc's messages or Click's write, no title or file name drives the terminal."""
        from letsconnect_cli.cli.output import terminal_safe_streams

        with terminal_safe_streams():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.BadParameter as error:
            error.message = plain_choice_message(error.message)
            raise
        except _CLICK_EXCEPTIONS:
            raise
        except LcError as error:
            _report(ctx, error)
            raise typer.Exit(int(error.exit_code)) from None
        except KeyboardInterrupt:
            current().err.write("lc: interrupted\n")
            raise typer.Exit(130) from None
        except Exception as error:
            app_context = ctx.find_object(AppContext)
            if app_context is not None and app_context.debug:
                raise
            current().err.write(
                f"lc: unexpected error: {type(error).__name__}: {error}\n"
                "This is a bug in lc. Run the command again with --debug for the traceback, "
                "and report it.\n"
            )
            raise typer.Exit(int(ExitCode.UNEXPECTED)) from None


def plain_choice_message(text: str) -> str:
    """A bad value's message as people read it: "'pdf' is not one of table, json, csv." rather
    than Typer's "Value error, 'pdf' is not one of 'table', 'json', 'csv'."."""
    import re

    text = text.removeprefix("Value error, ")
    found = re.fullmatch(r"(.*? is not one of )((?:'[^']*'(?:, )?)+)(\.?)", text, re.DOTALL)
    if found:
        choices = re.findall(r"'([^']*)'", found.group(2))
        text = found.group(1) + ", ".join(choices) + found.group(3)
    return text


def _metavar(param: Any) -> str:
    """What a value of `param` is called in usage and help: never a Python type."""
    choices = getattr(getattr(param, "type_descriptor", None), "choices", None)
    if choices:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in choices) + "]"
    longest = max(param.opts, key=len).lstrip("-") if param.opts else param.name
    return str(longest).replace("-", "_").upper()


class LcCommand(TyperCommand):
    """A command whose usage and help name values (CLINIC_ID..., PATH..., --to ADDRESS), never
    Python types (<list[str]>, {clinic_id}), and whose help ends with examples."""

    examples: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is None and not getattr(param, "is_flag", False):
                if param.param_type_name == "option":
                    param.metavar = _metavar(param)
                else:
                    param.metavar = str(param.name).upper()

    @staticmethod
    def _argument_name(param: Any) -> str:
        return str(param.metavar) + ("..." if param.nargs != 1 else "")

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = self._argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((self._argument_name(param), record[1]))
            else:
                options.append(record)
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        super().format_epilog(ctx, formatter)
        if self.examples:
            with formatter.section("Examples"):
                for example in self.examples:
                    formatter.write(f"{' ' * formatter.current_indent}{example}\n")


def _report(ctx: Any, error: LcError) -> None:
    if isinstance(error, AlreadyReported):  # the command has said it all
        return
    app_context = ctx.find_object(AppContext)
    if app_context is not None and app_context.debug:
        import traceback

        traceback.print_exception(error, file=current().err)
    current().err.write(f"lc: error: {error}\n")


app = typer.Typer(
    name="lc",
    cls=LcGroup,
    help=(
        "lc: the Let's Connect operations toolkit. Learning Clinics from a folder of clinic "
        "files: check them, list them, and see their times across the Foundation's regions."
    ),
    epilog=EXIT_CODES_HELP,
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        current().out.write(f"lc {__version__}\n")
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
    # A caller (a test) may pass the environment as the root object: AppContext(env=...).
    env = ctx.obj.env if isinstance(ctx.obj, AppContext) else Environment()
    ctx.obj = AppContext(clinics_dir_flag=clinics_dir, debug=debug, env=env)
    ctx.call_on_close(activate(env))
    if ctx.invoked_subcommand is None:
        # `lc` alone: the help, on stdout, and success (clig.dev).
        env.out.write(ctx.get_help() + "\n")
        raise typer.Exit(0)


class CommandSpec(NamedTuple):
    module: str  # in letsconnect_cli.cli: `<command>_cmd` (new-clinic: new_clinic_cmd)
    function: str
    summary: str  # the line `lc --help` shows
    examples: tuple[str, ...] = ()  # the end of the command's --help: real command lines


#: The commands, loaded only when one runs (or its own help is shown): `lc validate` imports and
#: builds `validate` alone, and `lc --help` lists them all from these summaries.
COMMANDS: dict[str, CommandSpec] = {
    "init": CommandSpec(
        "init_cmd",
        "init",
        "Start a folder of clinics: lc.toml, clinics/ and a .gitignore.",
        (
            "lc init my-clinics",
            "lc init eseap-clinics --region ESEAP --tz Asia/Manila",
            'lc init ana-clinics --no-input --organiser-name "Ana Reyes" --organiser-email ana@example.org',
        ),
    ),
    "new-clinic": CommandSpec(
        "new_clinic_cmd",
        "new_clinic",
        "Create a clinic file (asks for what is missing).",
        (
            "lc new-clinic",
            'lc new-clinic -t "Wikidata for librarians" --start 2027-04-04T06:00Z -r ESEAP',
            'lc new-clinic -t "Lexemes on Wikidata" --start "2027-03-13 14:00" --tz Asia/Manila',
        ),
    ),
    "validate": CommandSpec(
        "validate_cmd",
        "validate",
        "Check clinic files: where each problem is, how to fix it.",
        (
            "lc validate",
            "lc validate clinics/2023-04-02-travel-scholarships.toml",
            "lc validate --json | jq '.[] | select(.ok | not)'",
        ),
    ),
    "list": CommandSpec(
        "list_cmd",
        "list_clinics",
        "List the clinics by start, with filters.",
        (
            "lc list --upcoming",
            "lc list --tz Asia/Manila --region ESEAP",
            "lc list --status proposed --json",
        ),
    ),
    "regions": CommandSpec(
        "regions_cmd",
        "regions",
        "The regions, their countries and time-zone groups.",
        ("lc regions", "lc regions ESEAP", "lc regions ESEAP --at 2027-04-04T06:00Z"),
    ),
    "invite": CommandSpec(
        "invite_cmd",
        "invite",
        "Calendar invites with local times; invitations by email.",
        (
            "lc invite",
            "lc invite 2023-04-02-travel-scholarships --region ESEAP --zone Pacific/Honolulu",
            "lc invite travel --region ESEAP --all-zones --dry-run",
        ),
    ),
    "announce": CommandSpec(
        "announce_cmd",
        "announce",
        "A clinic's announcement in a format and language.",
        (
            "lc announce 2023-04-02-travel-scholarships",
            "lc announce travel --format text --lang ja",
            "lc announce travel -F email --to eseap@lists.example.org -o travel.eml",
        ),
    ),
    "publish": CommandSpec(
        "publish_cmd",
        "publish",
        "Publish an announcement or the calendar page to the wiki.",
        (
            'lc publish travel --page "Let\'s Connect/Learning Clinics/Travel" --dry-run',
            "lc publish 2023-04-02-travel-scholarships --lang ja",
            "lc publish --index --dry-run",
        ),
    ),
    "report": CommandSpec(
        "report_cmd",
        "report",
        "Figures of registration, attendance and feedback exports.",
        (
            "lc report",
            "lc report examples/exports --json",
            "lc report examples/exports -o report.html",
        ),
    ),
    "slots": CommandSpec(
        "slots_cmd",
        "slots",
        "Which UTC start times suit a region's local hours.",
        (
            "lc slots --region ESEAP",
            "lc slots --region ESEAP --region SA --week 2027-W14 --duration 90m",
            "lc slots -r ESEAP --registrations examples/exports --clinic travel",
        ),
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
    single.command(name, short_help=spec.summary, cls=LcCommand)(function)
    command = typer.main.get_command(single)
    assert isinstance(command, LcCommand)
    command.examples = spec.examples
    return command


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
