"""`lc validate`: check clinic files and say, for each problem, where it is and how to fix it."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import JsonOption

if TYPE_CHECKING:
    from letsconnect_cli.clinics import ClinicFile
    from letsconnect_cli.config import Config


def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Clinic files or folders [default: every clinic file of the clinics folder].",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Check clinic files: TOML syntax, every field, and the rules between fields.

    Prints each problem as FILE:LINE: FIELD: MESSAGE, then a summary. Exits 3 when any file
    has a problem, 0 when all are valid (warnings do not fail). Warns when a clinic starts
    outside the acceptable local hours ([slots] of lc.toml) for most of a target region.
    """
    from letsconnect_cli.cli.output import line, print_json
    from letsconnect_cli.clinics import check_unique_uids, clinic_paths, read_clinic_file
    from letsconnect_cli.errors import ExitCode, InputUnreadable

    context = app_context(ctx)
    files: list[Path] = []
    if not paths:
        files = clinic_paths(context.clinics_dir)
    for path in paths or []:
        if path.is_dir():
            files.extend(clinic_paths(path))
        elif path.exists():
            files.append(path)
        else:
            raise InputUnreadable(f"{path} does not exist")
    results = [read_clinic_file(path) for path in files]
    check_unique_uids(results)
    _check_times(context.config, results)

    if json_output:
        print_json(
            [
                {
                    "file": str(r.path),
                    "id": r.id,
                    "ok": r.ok,
                    "errors": [
                        {"field": p.field, "line": p.line, "message": p.message} for p in r.errors
                    ],
                    "warnings": [
                        {"field": p.field, "line": p.line, "message": p.message} for p in r.warnings
                    ],
                }
                for r in results
            ]
        )
    else:
        for result in results:
            mark = "ok" if result.ok else "FAIL"
            line(f"{mark:4} {result.path}", fg=None if result.ok else "red", bold=True)
            for kind, problems in (("error", result.errors), ("warning", result.warnings)):
                for problem in problems:
                    where = f"{result.path}:{problem.line}" if problem.line else str(result.path)
                    field = f" {problem.field}:" if problem.field else ""
                    colour = "red" if kind == "error" else "yellow"
                    line(f"     {where}:{field} {kind}: {problem.message}", fg=colour)
        broken = sum(1 for r in results if not r.ok)
        errors = sum(len(r.errors) for r in results)
        warnings = sum(len(r.warnings) for r in results)
        line(
            f"{len(results)} file(s) checked: {len(results) - broken} valid, {broken} with problems "
            f"({errors} error(s), {warnings} warning(s))"
        )
    if any(not r.ok for r in results):
        raise typer.Exit(int(ExitCode.VALIDATION))


def _check_times(config: "Config", results: "list[ClinicFile]") -> None:
    """The time check of [slots] (on unless `warn = false`): a warning per clinic whose start
    is outside the acceptable local hours for more than half of a target region."""
    if not config.slots.warn:
        return
    if not any(r.ok and r.clinic and r.clinic.start and r.clinic.regions for r in results):
        return
    from letsconnect_cli.slots.checks import add_time_warnings

    add_time_warnings(results, config.slots.window())
