"""`lc publish`: a clinic's announcement, or the calendar of upcoming clinics, onto a wiki page."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from letsconnect_cli.cli import completion
from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import ApiUrlOption, JsonOption

if TYPE_CHECKING:
    from letsconnect_cli.cli.context import AppContext
    from letsconnect_cli.wiki.publishing import PublishResult


def publish(
    ctx: typer.Context,
    clinic_id: Annotated[
        str | None,
        typer.Argument(
            metavar="CLINIC_ID",
            help="The clinic to publish: its id, a unique prefix or a word only its id has; "
            "omit with --index.",
            autocompletion=completion.clinic_ids,
        ),
    ] = None,
    index: Annotated[
        bool,
        typer.Option("--index", help="Publish the calendar page: the upcoming clinics as a table."),
    ] = False,
    page: Annotated[
        str | None,
        typer.Option(
            "--page",
            metavar="TITLE",
            help="The page title [default: [wiki] page_title, or index_page with --index].",
        ),
    ] = None,
    api_url: ApiUrlOption = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            "-l",
            metavar="LANG",
            help="Language of the page [default: the clinic's; en for --index].",
            autocompletion=completion.language_tags,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            "-n",
            help="Show the diff against the page as it is, read without logging in; change "
            "nothing.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            "-f",
            help="Publish even over someone else's edit of lc's text (kept in the page history).",
        ),
    ] = False,
    summary: Annotated[
        str | None, typer.Option("--summary", metavar="TEXT", help="The edit summary.")
    ] = None,
    section: Annotated[
        bool,
        typer.Option(
            "--section",
            help="Create a new page with lc's text between <!-- lc:begin --> and <!-- lc:end --> "
            "(pages that have the markers are always updated between them only).",
        ),
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATETIME",
            help="With --index: list clinics not over at this UTC date-time [default: now].",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Publish to a MediaWiki wiki (Meta-Wiki by default) with a bot password, never overwriting
    someone else's edit: lc refuses (exit 5) when the text it published was edited since, unless
    --force.

    Credentials: LC_WIKI_USERNAME (Name@App of Special:BotPasswords) and LC_WIKI_PASSWORD, or
    [wiki] username and password_file; never a flag, never printed.
    """
    from letsconnect_cli.cli.exports import wiki_credentials
    from letsconnect_cli.cli.output import message, print_json
    from letsconnect_cli.clinic.values import check_url
    from letsconnect_cli.errors import RemoteError, UsageError
    from letsconnect_cli.wiki.client import check_api_url
    from letsconnect_cli.wiki.publish import STATE_FILE
    from letsconnect_cli.wiki.publishing import Connection, Target, publish_page

    context = app_context(ctx)
    config = context.config
    if index == (clinic_id is not None):
        raise UsageError("give a clinic id, or --index for the calendar page (not both)")
    if as_of and not index:
        raise UsageError("--as-of is for --index")
    try:
        api = check_url(api_url or config.wiki.api_url)
    except ValueError as error:
        raise UsageError(f"--api-url: {error}") from None
    check_api_url(api)
    if not config.organiser.email:
        raise UsageError(
            "lc publish names a contact in its User-Agent, as Wikimedia's API policy asks",
            hint="Set [organiser] email in lc.toml, or LC_ORGANISER_EMAIL.",
        )
    title, owned, what, tag = _content(context, clinic_id, index, page, lang, as_of)
    # A dry run reads the page as anyone may: it never logs in, so no password leaves lc.
    credentials = None if dry_run else wiki_credentials(context, required=True)
    result = publish_page(
        Target(api, title, owned, what, tag),
        Connection(config.organiser.email, config.wiki.timeout, config.wiki.max_retries),
        context.clinics_dir / STATE_FILE,
        credentials=credentials,
        section=section or config.wiki.marked_section,
        force=force,
        dry_run=dry_run,
        summary=summary,
    )
    decision = result.decision
    err = context.err()
    if result.done == "dry-run":
        _show_dry_run(context, result, json_output)
        if decision.refusal:
            raise RemoteError(f"lc would refuse: {decision.refusal}", hint=decision.hint)
        return
    if result.done == "nochange":
        message(err, f"no change: {result.title} already says this (revision {result.revid})")
    else:
        message(err, f"{result.done} {result.title}: revision {result.revid} ({result.url})")
        message(err, f"recorded in {result.state_path} (commit it with the clinics)")
    if json_output:
        print_json(_as_json(result))


def _content(
    context: "AppContext",
    clinic_id: str | None,
    index: bool,
    page: str | None,
    lang: str | None,
    as_of: str | None,
) -> tuple[str, str, str, str]:
    """(page title, the text lc owns there, what it is, language tag)."""
    from letsconnect_cli.announce.render import announce, regions_for
    from letsconnect_cli.cli.output import warning
    from letsconnect_cli.clinic.clinics import find_clinic, load_clinics
    from letsconnect_cli.places.i18n import resolve_language
    from letsconnect_cli.wiki.publish import check_title, page_title

    config = context.config
    pattern = config.wiki.page_title
    user_dir = config.announce.templates_dir or context.clinics_dir.parent / "templates"
    if index:
        from letsconnect_cli.announce.index_page import render_index

        language = resolve_language(lang or "en")
        clinics = load_clinics(context.clinics_dir)
        text = render_index(
            clinics,
            language,
            now=_as_of(context, as_of),
            page_of=lambda c: page_title(
                pattern, clinic_id=c.id, start=c.start, lang=c.language, main_lang=c.language
            ),
            user_dir=user_dir,
        )
        return check_title(page or config.wiki.index_page), text, "index", language.tag
    assert clinic_id is not None
    clinic = find_clinic(context.clinics_dir, clinic_id)
    language = resolve_language(lang or clinic.language)
    if not language.has_labels:
        warning(context.err(), f"lc has no labels in {language.tag!r}: they stay English")
    main = resolve_language(clinic.language).tag
    title = page or page_title(
        pattern, clinic_id=clinic.id, start=clinic.start, lang=language.tag, main_lang=main
    )
    regions, note = regions_for(clinic, None, config.default_region, config.main_cities())
    if note:
        warning(context.err(), note)
    item = announce(
        clinic,
        "wikitext",
        language,
        regions=regions,
        organiser=config.organiser,
        user_dir=user_dir,
    )
    return check_title(title), item.text, clinic.id, language.tag


def _as_of(context: "AppContext", value: str | None) -> Any:
    from datetime import UTC, datetime

    from letsconnect_cli.errors import UsageError

    if value is None:
        return context.now()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--as-of {value!r} is not a date or date-time, e.g. 2023-03-20 or 2023-03-20T06:00Z"
        ) from None
    from letsconnect_cli.places.timezones import year_problem

    problem = year_problem(moment.year)
    if problem:
        raise UsageError(f"--as-of {value!r} is {problem}")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _show_dry_run(context: "AppContext", result: "PublishResult", json_output: bool) -> None:
    from letsconnect_cli.cli.output import message, print_json

    decision = result.decision
    if json_output:
        print_json(_as_json(result))
        return
    diff = decision.diff()
    if diff:
        context.env.out.write(diff)
    what = {"create": "would create", "update": "would update", "nochange": "no change to"}[
        decision.action
    ]
    message(
        context.err(),
        f"dry run: {what} {decision.page.title} ({decision.mode} mode); nothing changed",
    )


def _as_json(result: "PublishResult") -> dict[str, Any]:
    decision = result.decision
    return {
        "wiki": result.api,
        "page": decision.page.title,
        "action": decision.action,
        "mode": decision.mode,
        "refusal": decision.refusal,
        "revid": result.revid,
        "url": result.url,
        "diff": decision.diff(),
    }
