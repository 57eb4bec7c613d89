"""`lc publish`: a clinic's announcement, or the calendar of upcoming clinics, onto a wiki page."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from letsconnect_cli.cli import completion
from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import JsonOption

if TYPE_CHECKING:
    from letsconnect_cli.cli.context import AppContext
    from letsconnect_cli.wiki.client import Credentials
    from letsconnect_cli.wiki.publish import PageEdit


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
    api_url: Annotated[
        str | None,
        typer.Option(
            "--api-url",
            metavar="URL",
            help="The wiki's api.php [default: [wiki] api_url, Meta-Wiki].",
        ),
    ] = None,
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
    from letsconnect_cli.cli.output import message, print_json
    from letsconnect_cli.clinic.values import check_url
    from letsconnect_cli.errors import RemoteError, UsageError
    from letsconnect_cli.wiki.client import MediaWiki, check_api_url
    from letsconnect_cli.wiki.publish import STATE_FILE, PublishState, diff_link, plan, record_for

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
    credentials = None if dry_run else _credentials(context, required=True)
    state = PublishState(context.clinics_dir / STATE_FILE)

    with MediaWiki(
        api,
        contact=config.organiser.email,
        timeout=config.wiki.timeout,
        max_retries=config.wiki.max_retries,
    ) as wiki:
        if credentials is not None:
            wiki.login(credentials)
        current = wiki.read_page(title)
        record = state.get(api, current.title)
        decision = plan(
            current,
            owned,
            record,
            section=section or config.wiki.marked_section,
            force=force,
            diff_url=diff_link(api, record.revid if record else None, current.revid),
        )
        if dry_run:
            _show_dry_run(context, decision, api, json_output)
            if decision.refusal:
                raise RemoteError(f"lc would refuse: {decision.refusal}", hint=decision.hint)
            return
        if decision.refusal:
            raise RemoteError(f"refused, nothing changed: {decision.refusal}", hint=decision.hint)
        revid = current.revid
        if decision.action == "nochange":
            message(
                context.err(), f"no change: {current.title} already says this (revision {revid})"
            )
            if record is None or record.revid != revid:
                state.put(record_for(api, current, what=what, lang=tag))
        else:
            default_summary = (
                "lc: calendar of upcoming Let's Connect Learning Clinics"
                if index
                else f"lc: Let's Connect Learning Clinic {what} ({tag})"
            )
            result = wiki.edit(current, decision.new_text, summary=summary or default_summary)
            saved = wiki.read_page(current.title)
            state.put(record_for(api, saved, what=what, lang=tag))
            revid = result.revid if result.revid is not None else saved.revid
            verb = "created" if decision.action == "create" else "updated"
            message(
                context.err(),
                f"{verb} {current.title}: revision {revid} "
                f"({_page_url(api, current.title, revid)})",
            )
            message(context.err(), f"recorded in {state.path} (commit it with the clinics)")
    if json_output:
        print_json(_as_json(decision, api, revid))


def _content(
    context: "AppContext",
    clinic_id: str | None,
    index: bool,
    page: str | None,
    lang: str | None,
    as_of: str | None,
) -> tuple[str, str, str, str]:
    """(page title, the text lc owns there, what it is, language tag)."""
    from letsconnect_cli.announce.render import announce
    from letsconnect_cli.cli.announce_cmd import organiser_of, regions_for
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
            now=_as_of(as_of),
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
        from letsconnect_cli.cli.output import message

        message(context.err(), f"warning: lc has no labels in {language.tag!r}: they stay English")
    main = resolve_language(clinic.language).tag
    title = page or page_title(
        pattern, clinic_id=clinic.id, start=clinic.start, lang=language.tag, main_lang=main
    )
    item = announce(
        clinic,
        "wikitext",
        language,
        regions=regions_for(clinic, None, config, context),
        organiser=organiser_of(config),
        user_dir=user_dir,
    )
    return check_title(title), item.text, clinic.id, language.tag


def _as_of(value: str | None) -> Any:
    from datetime import UTC, datetime

    from letsconnect_cli.errors import UsageError

    if value is None:
        return datetime.now(UTC)
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


def _credentials(
    context: "AppContext",
    *,
    required: bool,
    needed_by: str = "lc publish",
    grants: str = "grants: Edit existing pages; Create, edit, and move pages",
) -> "Credentials | None":
    """The bot password from LC_WIKI_PASSWORD or [wiki] password_file; never from a flag.
    (Also the organiser's login of `lc report --include-private`: `needed_by`, `grants`.)"""
    from letsconnect_cli.cli.output import message
    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.passwords import read_secret
    from letsconnect_cli.wiki.client import Credentials

    wiki = context.config.wiki
    username = wiki.username
    secret = read_secret("LC_WIKI_PASSWORD", wiki.password_file, "[wiki] password_file")
    if secret is not None and secret.warning:
        message(context.err(), f"warning: {secret.warning}", style="yellow")
    password = secret.value if secret is not None else None
    if username and password:
        return Credentials(username, password)
    if not required:
        return None
    missing = "LC_WIKI_USERNAME" if not username else "LC_WIKI_PASSWORD (or [wiki] password_file)"
    raise UsageError(
        f"{needed_by} needs a bot password: {missing} is not set",
        hint=f"Create one at Special:BotPasswords ({grants}), then export "
        "LC_WIKI_USERNAME=Name@App and LC_WIKI_PASSWORD, or name a file holding "
        "the password in [wiki] password_file. Passwords are never given as flags.",
    )


def _show_dry_run(context: "AppContext", decision: "PageEdit", api: str, json_output: bool) -> None:
    from letsconnect_cli.cli.output import message, print_json

    if json_output:
        print_json(_as_json(decision, api, decision.page.revid))
        return
    diff = decision.diff()
    if diff:
        import sys

        sys.stdout.write(diff)
    what = {"create": "would create", "update": "would update", "nochange": "no change to"}[
        decision.action
    ]
    message(
        context.err(),
        f"dry run: {what} {decision.page.title} ({decision.mode} mode); nothing changed",
    )


def _page_url(api: str, title: str, revid: int | None) -> str:
    from urllib.parse import quote

    index = api.rsplit("/", 1)[0] + "/index.php"
    url = f"{index}?title={quote(title.replace(' ', '_'), safe='/:')}"
    return url + (f"&oldid={revid}" if revid is not None else "")


def _as_json(decision: "PageEdit", api: str, revid: int | None) -> dict[str, Any]:
    return {
        "wiki": api,
        "page": decision.page.title,
        "action": decision.action,
        "mode": decision.mode,
        "refusal": decision.refusal,
        "revid": revid,
        "url": _page_url(api, decision.page.title, revid),
        "diff": decision.diff(),
    }
