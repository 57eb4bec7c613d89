"""How commands read the program's exports: one place that turns `[report]` settings and flags
into the readers' options (used by `lc report`, `lc slots` and `lc invite --registrations`); and
the wiki's bot password (`lc publish`, and `--include-private` of the readers)."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from letsconnect_cli.cli.context import AppContext
    from letsconnect_cli.config import Config
    from letsconnect_cli.ingest import ReadOptions
    from letsconnect_cli.ingest.remote import WikiLogin
    from letsconnect_cli.vocab import Scheme
    from letsconnect_cli.wiki.client import Credentials


def read_options(
    config: "Config",
    *,
    scheme: "Scheme | None" = None,
    clinic: str | None = None,
    encoding: str | None = None,
    maps: list[str] | None = None,
    progress: Any = None,
    country_maps: list[str] | None = None,
    login: "WikiLogin | None" = None,
) -> "ReadOptions":
    """The readers' options: `[report]` of lc.toml (column map, clinic names, country spellings,
    download limits), then the command's flags (--scheme, --clinic, --encoding, --map,
    --map-country) over them; with `login` (--include-private), CampaignEvents links ask for
    private participants, logged in."""
    from letsconnect_cli.ingest import FetchOptions, ReadOptions
    from letsconnect_cli.ingest.fields import check_column_map, parse_maps
    from letsconnect_cli.ingest.textio import check_encoding

    settings = config.report
    columns = check_column_map(settings.columns, "[report.columns] in lc.toml")
    columns.update(parse_maps(maps or []))
    countries = dict(settings.countries)
    if country_maps:
        from letsconnect_cli.ingest.countries import parse_map_countries

        countries.update(parse_map_countries(country_maps))
    return ReadOptions(
        scheme=scheme or settings.scheme,
        encoding=check_encoding(encoding) if encoding else None,
        columns=columns,
        clinic=_clinic_id(config.clinics_dir, clinic),
        clinic_names=settings.clinic_names,
        countries=countries,
        fetch=FetchOptions(
            timeout=settings.timeout,
            max_bytes=settings.max_download_mb * 1024 * 1024,
            progress=progress,
            include_private=login is not None,
            login=login,
        ),
    )


def organiser_login(context: "AppContext", command: str) -> "WikiLogin":
    """--include-private: the organiser's bot password (as `lc publish` logs in), required."""
    from letsconnect_cli.ingest.remote import WikiLogin

    credentials = wiki_credentials(
        context,
        required=True,
        needed_by=f"{command} --include-private",
        grants="of an account that organises the event",
    )
    assert credentials is not None
    config = context.config
    login = WikiLogin(credentials, max_retries=config.wiki.max_retries)
    if config.organiser.email:
        login.contact = config.organiser.email
    return login


def _clinic_id(folder: Path, clinic: str | None) -> str | None:
    """--clinic as an id of the clinics folder when it names one of them (a unique prefix or
    word); as given otherwise (exports may name clinics that have no file here)."""
    from letsconnect_cli.clinic.clinics import clinic_paths, resolve_clinic_id
    from letsconnect_cli.errors import InputUnreadable

    if clinic is None or not folder.is_dir():
        return clinic
    try:
        ids = [p.stem for p in clinic_paths(folder)]
    except InputUnreadable:
        return clinic
    if clinic in ids:
        return clinic
    from letsconnect_cli.clinic.clinics import matching_ids

    if not matching_ids(ids, clinic):
        return clinic
    return resolve_clinic_id(folder, clinic)  # one match, or a UsageError listing them


def wiki_credentials(
    context: "AppContext",
    *,
    required: bool,
    needed_by: str = "lc publish",
    grants: str = "grants: Edit existing pages; Create, edit, and move pages",
) -> "Credentials | None":
    """The bot password of [wiki] (`wiki.publishing.bot_password`), its file's warning shown."""
    from letsconnect_cli.cli.output import warning
    from letsconnect_cli.wiki.publishing import bot_password

    wiki = context.config.wiki
    found = bot_password(
        wiki.username,
        wiki.password_file,
        context.env.env,
        required=required,
        needed_by=needed_by,
        grants=grants,
    )
    if found.warning:
        warning(context.err(), found.warning)
    return found.credentials
