"""`lc announce`: a clinic's announcement in a format and language, from templates."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from letsconnect_cli.cli import completion
from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import ForceOption, JsonOption, RegionsOption

if TYPE_CHECKING:
    from letsconnect_cli.announce.render import Announcement
    from letsconnect_cli.cli.context import AppContext
    from letsconnect_cli.clinic.models import Clinic
    from letsconnect_cli.places.i18n import Language
    from letsconnect_cli.places.regions import Region


class Format(StrEnum):
    WIKITEXT = "wikitext"
    MARKDOWN = "markdown"
    TEXT = "text"
    HTML = "html"
    EMAIL = "email"


def announce(
    ctx: typer.Context,
    clinic_id: Annotated[
        str,
        typer.Argument(
            metavar="CLINIC_ID",
            help="The clinic's id (its file name without .toml), a unique prefix of it "
            "(2027-03-13) or a word only its id has (lexemes).",
            autocompletion=completion.clinic_ids,
        ),
    ],
    output_format: Annotated[
        Format,
        typer.Option(
            "--format", "-F", help="wikitext (Meta-Wiki), markdown, text (chat), html, email."
        ),
    ] = Format.WIKITEXT,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            "-l",
            metavar="LANG",
            help="Language, a BCP 47 tag (ja, zh-Hant, fil) [default: the clinic's].",
            autocompletion=completion.language_tags,
        ),
    ] = None,
    all_langs: Annotated[
        bool,
        typer.Option(
            "--all-langs",
            help="One file per language: the clinic's, then each interpretation language "
            "(zh as zh-Hans, and zh-Hant too when the regions include TW, HK or MO), into the "
            "-o folder [default: announcements/].",
        ),
    ] = False,
    region: RegionsOption = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            metavar="FILE",
            help="Render this Jinja2 template file instead of the format's own.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Write to this file (a folder with --all-langs).",
        ),
    ] = None,
    to: Annotated[
        list[str] | None,
        typer.Option(
            "--to",
            metavar="ADDRESS",
            help="Email: a To address, e.g. a mailing list; repeatable [default: [announce] to].",
        ),
    ] = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
) -> None:
    """Write a clinic's announcement: title, sharers, date, time in UTC and the region's main
    cities, duration, platform, languages, registration link and contact, in the reader's language.

    Templates: the packaged ones, overridden by name from templates/announce/<format>.j2 beside
    the clinics folder ([announce] templates_dir). All run in Jinja2's sandbox; a template error
    names the template and line (exit 3). Writes with -o are atomic and never overwrite without
    --force.
    """
    from letsconnect_cli.announce.render import EXTENSIONS
    from letsconnect_cli.announce.render import announce as render_announcement
    from letsconnect_cli.cli.output import message, print_json, warning
    from letsconnect_cli.clinic.clinics import find_clinic
    from letsconnect_cli.errors import FileExistsRefusal, UsageError
    from letsconnect_cli.files import write_text_atomic

    context = app_context(ctx)
    config = context.config
    if all_langs and lang:
        raise UsageError("--lang and --all-langs exclude each other; give one of them")
    if to and output_format is not Format.EMAIL:
        raise UsageError("--to is for --format email")
    clinic = find_clinic(context.clinics_dir, clinic_id)
    regions = _regions(context, clinic, region)
    languages = _languages(clinic, lang, all_langs, [r.code for r in regions])
    render_options: dict[str, Any] = {
        "regions": regions,
        "organiser": config.organiser,
        "user_dir": config.announce.templates_dir or context.clinics_dir.parent / "templates",
        "template_file": template,
        "to": to if to is not None else config.announce.to,
        "now": context.env.source_date_epoch() or context.now(),
    }
    results = [
        render_announcement(clinic, output_format.value, language, **render_options)
        for language in languages
    ]
    err = context.err()
    if output_format is Format.EMAIL and not render_options["to"]:
        warning(
            err,
            "the email has no To address: mail programs may refuse it. Give --to "
            'ADDRESS (e.g. a mailing list), or set to = ["ADDRESS"] under [announce] in lc.toml '
            "(or LC_ANNOUNCE_TO).",
        )
    for item in results:
        _note_language(context, item)

    if not all_langs:
        item = results[0]
        if output is not None:
            write_text_atomic(output, item.text, force=force)
            message(err, f"wrote {output}")
        if json_output:
            print_json(_as_json(item, output))
        elif output is None:
            context.env.out.write(item.text)
            context.env.out.flush()
        return

    folder = output or Path("announcements")
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"{folder} is not a folder",
            hint="--all-langs writes one file per language into -o FOLDER.",
        )
    paths = [
        folder / f"{clinic.id}.{item.language.tag}.{EXTENSIONS[output_format.value]}"
        for item in results
    ]
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise FileExistsRefusal(
            f"{len(existing)} of the files exist already: {', '.join(str(p) for p in existing)}",
            hint="Give --force to overwrite them.",
        )
    for item, path in zip(results, paths, strict=True):
        write_text_atomic(path, item.text, force=force)
        message(err, f"wrote {path}")
    if json_output:
        print_json(
            {
                "clinic": clinic.id,
                "format": output_format.value,
                "files": [
                    _as_json(item, path, text=False)
                    for item, path in zip(results, paths, strict=True)
                ],
            }
        )


def _forms_for_regions(forms: list[str], codes: list[str] | None) -> list[str]:
    """Chinese in Traditional characters only when the regions include Taiwan, Hong Kong or
    Macao (or when no region is given): zh-Hans alone elsewhere."""
    if "zh-Hant" not in forms or not codes:
        return forms
    from letsconnect_cli.ingest.language_names import TRADITIONAL_PLACES
    from letsconnect_cli.places.regions import region

    places = {country.code for code in codes for country in region(code).countries}
    return forms if places & TRADITIONAL_PLACES else [f for f in forms if f != "zh-Hant"]


def _languages(
    clinic: "Clinic", lang: str | None, all_langs: bool, codes: list[str] | None = None
) -> "list[Language]":
    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.places.i18n import resolve_language, written_forms

    if not all_langs:
        if lang is None:
            return [resolve_language(clinic.language)]
        try:
            return [resolve_language(lang)]
        except UsageError as error:  # say which option: the clinic's language is checked too
            raise UsageError(f"--lang: {error.message}", hint=error.hint) from None
    tags = [clinic.language, *clinic.interpretation]
    languages: dict[str, Language] = {}
    for tag in tags:
        for form in _forms_for_regions(written_forms(tag), codes):
            language = resolve_language(form)
            languages.setdefault(language.tag, language)
    return list(languages.values())


def _regions(context: "AppContext", clinic: "Clinic", codes: list[str] | None) -> "list[Region]":
    from letsconnect_cli.announce.render import regions_for
    from letsconnect_cli.cli.output import warning

    config = context.config
    regions, note = regions_for(clinic, codes, config.default_region, config.main_cities())
    if note:
        warning(context.err(), note)
    return regions


def _note_language(context: "AppContext", item: "Announcement") -> None:
    from letsconnect_cli.cli.output import note, warning

    language = item.language
    if not language.has_labels:
        warning(
            context.err(),
            f"lc has no labels in {language.tag!r} yet: labels in English, dates and names in "
            f"{language.tag} (catalogs: see the docs, Contributing, Translations)",
        )
    elif item.review_status not in (None, "reviewed"):
        note(context.err(), f"the {language.tag} labels are {item.review_status}")
    if item.fallbacks:
        where = [f"[translations.{language.tag}]"]
        if any(f.startswith("sharers") for f in item.fallbacks):
            where.append(f"translations.{language.tag}.role in [[sharers]]")
        note(
            context.err(),
            f"{item.clinic_id} has no {language.tag} translation of "
            f"{', '.join(item.fallbacks)}: left in English (add it under "
            f"{' and '.join(where)} in its file)",
            style="yellow",
        )


def _as_json(item: "Announcement", path: Path | None, *, text: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "clinic": item.clinic_id,
        "format": item.output_format,
        "lang": item.language.tag,
        "template": item.template,
        "review_status": item.review_status,
        "path": str(path) if path is not None else None,
    }
    if item.subject is not None:
        data["subject"] = item.subject
    if text:
        data["text"] = item.text
    return data
