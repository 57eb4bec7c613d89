"""`lc validate`: check clinic files and say, for each problem, where it is and how to fix it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import JsonOption


def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Clinic files or folders [default: every clinic file of the clinics folder]."),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Check clinic files: TOML syntax, every field, and the rules between fields.

    Prints each problem as FILE:LINE: FIELD: MESSAGE, then a summary. Exits 3 when any file
    has a problem, 0 when all are valid (warnings do not fail).
    """
    from letsconnect_cli.cli.output import print_json
    from letsconnect_cli.clinics import check_unique_uids, clinic_paths, read_clinic_file
    from letsconnect_cli.errors import ExitCode, InputUnreadable

    context = app_context(ctx)
    files: list[Path] = []
    for path in paths or [context.clinics_dir]:
        if path.is_dir():
            files.extend(clinic_paths(path))
        elif path.exists():
            files.append(path)
        else:
            raise InputUnreadable(f"{path} does not exist")
    results = [read_clinic_file(path) for path in files]
    check_unique_uids(results)

    if json_output:
        print_json(
            [
                {
                    "file": str(r.path),
                    "id": r.id,
                    "ok": r.ok,
                    "errors": [{"field": p.field, "line": p.line, "message": p.message} for p in r.errors],
                    "warnings": [
                        {"field": p.field, "line": p.line, "message": p.message} for p in r.warnings
                    ],
                }
                for r in results
            ]
        )
    else:
        out = context.out()
        for result in results:
            mark = "ok" if result.ok else "FAIL"
            out.print(f"{mark:4} {result.path}", markup=False, style=None if result.ok else "bold red")
            for kind, problems in (("error", result.errors), ("warning", result.warnings)):
                for problem in problems:
                    where = f"{result.path}:{problem.line}" if problem.line else str(result.path)
                    field = f" {problem.field}:" if problem.field else ""
                    out.print(
                        f"     {where}:{field} {kind}: {problem.message}",
                        markup=False,
                        style="red" if kind == "error" else "yellow",
                    )
        broken = sum(1 for r in results if not r.ok)
        errors = sum(len(r.errors) for r in results)
        warnings = sum(len(r.warnings) for r in results)
        out.print(
            f"{len(results)} file(s) checked: {len(results) - broken} valid, {broken} with problems "
            f"({errors} error(s), {warnings} warning(s))",
            markup=False,
        )
    if any(not r.ok for r in results):
        raise typer.Exit(int(ExitCode.VALIDATION))
