"""`lc affiliates`: the list of Wikimedia affiliates lc report matches affiliation answers to."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import ApiUrlOption, ForceOption, JsonOption


class Action(StrEnum):
    SHOW = "show"
    UPDATE = "update"


def affiliates(
    ctx: typer.Context,
    action: Annotated[
        Action,
        typer.Argument(
            help="show: the list lc report uses; update: read the maintained list from "
            "Meta-Wiki into the clinics folder (or -o FILE).",
        ),
    ] = Action.SHOW,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The list to show or update [default: [report] affiliates, else the clinics "
            "folder's wikimedia-affiliates.tsv].",
            show_default=False,
        ),
    ] = None,
    api_url: ApiUrlOption = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", "-n", help="update: say what would change; write nothing."),
    ] = False,
    force: ForceOption = False,
    json_output: JsonOption = False,
) -> None:
    """The list of Wikimedia affiliates (chapters, thematic organizations, user groups) that
    lc report matches affiliation answers to, for its "affiliates engaged" figure.

    update reads Meta-Wiki's Module:Organizational_Informations (the Affiliations Committee's
    data) anonymously and writes the recognised affiliates, one a line, to a file you commit;
    aliases you added at the end of a line are kept. It replaces a list lc wrote before; a list
    of your own only with --force.
    """
    from letsconnect_cli.cli.output import message, print_json
    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.report import affiliate_list as lists

    context = app_context(ctx)
    config = context.config
    path = output or config.report.affiliates or lists.default_path(context.clinics_dir)
    if action is Action.SHOW:
        if dry_run or force or api_url:
            raise UsageError("--dry-run, --force and --api-url are for lc affiliates update")
        found = lists.read_list(path) if path.is_file() or output else None
        info: dict[str, object]
        if found is None:
            info = {"file": str(path), "affiliates": None, "complete": False, "source": None}
        else:
            info = {
                "file": str(path),
                "affiliates": len(found),
                "complete": found.complete,
                "source": found.origin,
                "revision": found.revision,
            }
        if json_output:
            print_json(info)
        elif found is None:
            message(
                context.err(),
                f"No affiliates list at {path}: run lc affiliates update to fetch the "
                "maintained list from Meta-Wiki.",
            )
        else:
            kind = "the maintained list" if found.complete else "a partial list (no share)"
            text = f"{path}: {len(found):,} affiliates, {kind}"
            if found.complete:
                text += f", from {found.origin} revision {found.revision}"
            context.out().print(text, markup=False, highlight=False)
        return
    plan = lists.update_plan(
        path,
        api_url or config.wiki.api_url,
        contact=config.organiser.email,
        force=force,
        timeout=config.wiki.timeout,
        max_retries=config.wiki.max_retries,
    )
    if not dry_run and plan.changed:
        from letsconnect_cli.files import write_text_atomic

        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, plan.text, force=True)
    summary = {
        "file": str(path),
        "affiliates": plan.count,
        "added": plan.added,
        "removed": plan.removed,
        "source": plan.source,
        "revision": plan.revision,
        "changed": plan.changed,
        "written": plan.changed and not dry_run,
    }
    if json_output:
        print_json(summary)
    verb = "Would write" if dry_run else "Wrote"
    if not plan.changed:
        text = f"{path}: no change ({plan.count:,} affiliates, revision {plan.revision})"
    else:
        text = (
            f"{verb} {path}: {plan.count:,} affiliates ({plan.added:,} new, {plan.removed:,} "
            f"gone) from {plan.source}, revision {plan.revision}. Commit it."
        )
    message(context.err(), text)
