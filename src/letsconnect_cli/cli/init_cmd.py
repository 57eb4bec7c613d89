"""`lc init [DIR]`: start a folder of clinics (lc.toml, clinics/, .gitignore) in one command."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from letsconnect_cli.cli import completion
from letsconnect_cli.cli.options import ForceOption, JsonOption

if TYPE_CHECKING:
    from collections.abc import Callable

    from letsconnect_cli.clinic.folder import Settings


def init(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="The folder to start (made if missing) [default: the current one].",
            show_default=False,
        ),
    ] = Path(),
    organiser_name: Annotated[
        str | None,
        typer.Option("--organiser-name", metavar="NAME", help="[organiser] name: who sends."),
    ] = None,
    organiser_email: Annotated[
        str | None,
        typer.Option("--organiser-email", metavar="EMAIL", help="[organiser] email: the contact."),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            "-r",
            metavar="CODE",
            help="default_region: ESEAP, SSA, ... (or none).",
            autocompletion=completion.region_codes,
        ),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            metavar="ZONE",
            help="[ui] timezone: the zone you think in [default: asked; this computer's].",
            autocompletion=completion.time_zones,
        ),
    ] = None,
    force: ForceOption = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask: what no flag gives stays commented.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Start a folder of clinics: a commented lc.toml (organiser, default region and time zone,
    from the flags or asked on a terminal), an empty clinics/, and a .gitignore for lc's private
    and generated folders (.lc-mail/, invites/, announcements/; lines added to an existing one).

    Never replaces an lc.toml without --force; an existing clinics/ is kept as it is.
    Then: `lc new-clinic` in that folder.
    """
    from letsconnect_cli.cli import prompts
    from letsconnect_cli.cli.output import message, print_json, stderr
    from letsconnect_cli.clinic import folder as folder_lib

    folder_lib.check_target(folder, force=force)  # before any question
    given = folder_lib.Settings(
        organiser_name=_flag("--organiser-name", check_name, organiser_name),
        organiser_email=_flag("--organiser-email", check_email, organiser_email),
        default_region=_flag("--region", check_region, region),
        timezone=_flag("--tz", check_zone, tz),
    )
    flags = {"name": organiser_name, "email": organiser_email, "region": region, "tz": tz}
    if prompts.stdin_is_interactive() and not no_input:
        given = _ask(given, flags)
    outcome = folder_lib.init_folder(folder, given, force=force)
    if json_output:
        print_json(
            {
                "config": str(outcome.config[0]),
                "clinics_dir": str(outcome.clinics[0]),
                "gitignore": str(outcome.gitignore[0]),
            }
        )
        return
    err = stderr()
    for path, state in (outcome.config, outcome.clinics, outcome.gitignore):
        shown = f"{path}/" if path.is_dir() else str(path)
        message(err, f"{shown}: {state}")
    where = "" if folder == Path() else f"cd {folder} && "
    message(err, f"Next: {where}lc new-clinic (it asks for what a clinic needs)")


def _flag(flag: str, check: "Callable[[str], str | None]", value: str | None) -> str | None:
    from letsconnect_cli.errors import UsageError

    if value is None:
        return None
    try:
        return check(value)
    except ValueError as error:
        raise UsageError(f"{flag}: {error}") from None


def check_name(text: str) -> str | None:
    return " ".join(text.split()) or None


def check_email(text: str) -> str | None:
    """[organiser] email by the rule lc.toml is loaded with (`emails.email_problem`)."""
    from letsconnect_cli.emails import email_problem

    text = text.strip()
    if text and email_problem(text):
        raise ValueError(f"{text!r} is not an email address")
    return text or None


def check_region(text: str) -> str | None:
    from letsconnect_cli.clinic.values import check_region as region_code

    text = text.strip()
    if text in ("", "-"):
        return None
    return region_code(text)


def check_zone(text: str) -> str | None:
    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.places.timezones import resolve_zone

    text = text.strip()
    if text in ("", "-"):
        return None
    try:
        return resolve_zone(text).key
    except UsageError as error:
        raise ValueError(f"{error.message}. {error.hint}") from None


def _ask(given: "Settings", flags: dict[str, str | None]) -> "Settings":
    """Ask for what no flag gave, each answer checked where it is typed."""
    from dataclasses import replace

    from letsconnect_cli.cli import prompts
    from letsconnect_cli.cli.environment import current
    from letsconnect_cli.places.timezones import system_zone

    if flags["name"] is None:
        given = replace(
            given,
            organiser_name=prompts.ask(
                "Organiser's name, in invites and announcements (Enter to skip)", check_name
            ),
        )
    if flags["email"] is None:
        given = replace(
            given,
            organiser_email=prompts.ask(
                "Organiser's email, the contact (Enter to skip)", check_email
            ),
        )
    if flags["region"] is None:
        given = replace(
            given,
            default_region=prompts.ask(
                "Default region: CEE, ESEAP, LAC, MENA, NA, NWE, SA, SSA (Enter to skip)",
                check_region,
            ),
        )
    if flags["tz"] is None:
        here = system_zone(dict(current().env))
        given = replace(
            given,
            timezone=prompts.ask(
                "Your time zone, an IANA name such as Asia/Manila (- for none)",
                check_zone,
                default=here,
            ),
        )
    return given
