"""`lc validate`: check clinic files and say, for each problem, where it is and how to fix it."""

from pathlib import Path
from typing import Annotated

import typer

from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import JsonOption


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
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Check every file afresh, without reading or writing the cache of unchanged "
            "files' results [default: the cache is on; cache = false in lc.toml or "
            "LC_CACHE=false turns it off].",
        ),
    ] = False,
) -> None:
    """Check clinic files: TOML syntax, every field, and the rules between fields.

    Prints each problem as FILE:LINE: FIELD: MESSAGE, then a summary. Exits 3 when any file
    has a problem, 4 when a file cannot be read at all (the others are checked all the same), 0
    when all are valid (warnings do not fail). Warns when a clinic starts
    outside the acceptable local hours ([slots] of lc.toml) for most of a target region.
    Results of files unchanged since an earlier run come from a cache in the user's cache
    folder ($XDG_CACHE_HOME/lc, by default ~/.cache/lc).
    """
    from letsconnect_cli.cli.output import line, print_json, wrap_to_terminal
    from letsconnect_cli.clinic.clinics import clinic_paths
    from letsconnect_cli.clinic.validation import validate_files
    from letsconnect_cli.errors import AlreadyReported, ExitCode, InputUnreadable
    from letsconnect_cli.escaping import escape_name

    context = app_context(ctx)
    files: list[Path] = []
    if not paths:
        files = clinic_paths(context.clinics_dir)
    for path in paths or []:
        if path.is_dir():
            files.extend(clinic_paths(path))
        elif path.exists() or path.is_symlink():  # a broken link is reported, as in a folder
            files.append(path)
        else:
            raise InputUnreadable(f"{path} does not exist")
    # The time check of [slots] (on unless `warn = false`): a warning per clinic whose start is
    # outside the acceptable local hours for more than half of a target region.
    settings = context.config.slots
    window = settings.window() if settings.warn else None
    cache = None
    if context.config.cache and not no_cache:
        from letsconnect_cli.clinic.validation_cache import open_cache

        cache = open_cache(window, files, context.env.env)
    results = validate_files(files, window, cache=cache)

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
            shown = escape_name(str(result.path))  # a name's line break never starts a line
            line(f"{mark:4} {shown}", fg=None if result.ok else "red", bold=True)
            for kind, problems in (("error", result.errors), ("warning", result.warnings)):
                for problem in problems:
                    where = f"{shown}:{problem.line}" if problem.line else shown
                    field = f" {escape_name(problem.field)}:" if problem.field else ""
                    colour = "red" if kind == "error" else "yellow"
                    text = f"     {where}:{field} {kind}: {problem.message}"
                    line(wrap_to_terminal(text, indent=7), fg=colour)
        broken = sum(1 for r in results if not r.ok)
        errors = sum(len(r.errors) for r in results)
        warnings = sum(len(r.warnings) for r in results)
        line(
            f"{len(results)} file(s) checked: {len(results) - broken} valid, {broken} with problems "
            f"({errors} error(s), {warnings} warning(s))"
        )
    broken = sum(1 for r in results if not r.ok)
    if any(r.unreadable for r in results):  # the others were checked all the same
        raise AlreadyReported(f"{broken} file(s) unreadable or invalid", ExitCode.INPUT)
    if broken:
        raise AlreadyReported(f"{broken} file(s) with problems", ExitCode.VALIDATION)
