"""`lc report`: registration, attendance and feedback figures from the program's raw exports."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from letsconnect_cli.cli import completion
from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import ForceOption, MapCountryOption
from letsconnect_cli.vocab import Scheme

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from letsconnect_cli.config import Config
    from letsconnect_cli.ingest import IngestLog


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"


def report(
    ctx: typer.Context,
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="SOURCE",
            help="Export files, folders (every .csv and .json inside) or http(s) links; "
            "CLINIC-ID=SOURCE names the clinic of a source's rows "
            "[default: [report] examples of lc.toml].",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            help="Output format [default: table; with -o, the file's extension: .html, .json, "
            ".csv, .md].",
            show_default=False,
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="The same as --format json: one JSON document.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file instead of stdout; its extension gives the format when "
            "--format is not given, and must agree with it when it is.",
        ),
    ] = None,
    force: ForceOption = False,
    charts_dir: Annotated[
        Path | None,
        typer.Option(
            "--charts",
            metavar="DIR",
            help="Also write each chart (clinics over time, regions, world map, scores) to DIR as "
            "SVG, and as PNG where cairosvg is installed, for slides.",
        ),
    ] = None,
    scheme: Annotated[
        Scheme | None,
        typer.Option(
            "--scheme",
            help="Regions: the Foundation's 8 (wikimedia) or the 7 with MEA (grant-committee) "
            "[default: [report] scheme, else wikimedia].",
            show_default=False,
        ),
    ] = None,
    min_count: Annotated[
        int | None,
        typer.Option(
            "--min-count",
            min=0,
            metavar="K",
            help="Hide counts of fewer than K people; 0 shows all "
            "[default: [report] min_count, else 5].",
            show_default=False,
        ),
    ] = None,
    round_to: Annotated[
        int | None,
        typer.Option(
            "--round",
            min=1,
            metavar="N",
            help="Round every published count to a multiple of N (totals rounded on their own), "
            "for a report published beside others made from overlapping data.",
            show_default=False,
        ),
    ] = None,
    show_protected: Annotated[
        bool,
        typer.Option(
            "--show-protected",
            help="Show countries of the Foundation's protection list one by one "
            "(not for publication).",
        ),
    ] = False,
    clinic: Annotated[
        str | None,
        typer.Option(
            "--clinic",
            "-c",
            metavar="CLINIC_ID",
            autocompletion=completion.clinic_ids,
            help="Clinic id of rows that name none; report on this clinic only.",
        ),
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            "-m",
            metavar="HEADER=FIELD",
            help='Map a column to a field: "HEADER=FIELD" (fields: clinic, email, username, name, '
            "country, region, role, languages, rating, attended, ...; ignore drops a column). "
            "Repeatable.",
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="ENC",
            help="Read every source in this encoding instead of detecting it.",
        ),
    ] = None,
    include_private: Annotated[
        bool,
        typer.Option(
            "--include-private",
            help="Meta-Wiki event registration links: count the participants who registered "
            "privately too, logged in as an organiser of the event with the bot password of "
            "lc publish (LC_WIKI_USERNAME, LC_WIKI_PASSWORD).",
        ),
    ] = False,
    map_country: MapCountryOption = None,
) -> None:
    """Figures from Google Forms, Zoom and Meta-Wiki event registration exports: registrations,
    participants, regions, countries, roles, interpretation, attendance and satisfaction.

    No name, email or username appears in the output; counts of fewer than --min-count people are
    hidden; countries of the Foundation's protection list are counted together.
    """
    from letsconnect_cli.cli.exports import organiser_login, read_options
    from letsconnect_cli.clinic.clinics import load_clinics
    from letsconnect_cli.ingest import IngestLog
    from letsconnect_cli.report import make_report

    context = app_context(ctx)
    config = context.config
    settings = config.report
    output_format = report_format(output_format, json_output, output)
    source_list = list(sources or [])
    if not source_list:
        source_list = [_examples(config)]
    bar = _ProgressBar() if context.env.stderr_isatty else None
    login = organiser_login(context, "lc report") if include_private else None
    options = read_options(
        config,
        scheme=scheme,
        clinic=clinic,
        encoding=encoding,
        maps=maps,
        progress=bar,
        country_maps=map_country,
        login=login,
    )
    if output is not None and output.exists() and not force:
        from letsconnect_cli.errors import FileExistsRefusal

        raise FileExistsRefusal(f"{output} already exists", hint="Give --force to overwrite it.")
    if charts_dir is not None:
        _check_charts_dir(charts_dir, force)
    log = IngestLog()
    clinics = load_clinics(context.clinics_dir)
    try:
        figures = make_report(
            source_list,
            clinics,
            options,
            min_count=settings.min_count if min_count is None else min_count,
            show_protected=show_protected,
            round_to=round_to,
            log=log,
        )
    finally:
        if bar is not None:
            bar.close()
    from letsconnect_cli.report.header import stamp

    stamp(figures, example_data=_from_examples(config, source_list))
    _warn(log, figures)
    # Rich is imported only for the terminal table: the other formats are plain text.
    drawn = None
    if charts_dir is not None:
        from letsconnect_cli.report.charts import render_charts

        drawn = render_charts(figures)
        for path in _write_charts(drawn, charts_dir, force):
            _say(f"Wrote {path}")
    _emit(figures, output_format, output, force, context.out, drawn)


#: The format a file's extension asks for (`-o report.html`).
EXTENSION_FORMATS = {
    ".html": ReportFormat.HTML,
    ".htm": ReportFormat.HTML,
    ".json": ReportFormat.JSON,
    ".csv": ReportFormat.CSV,
    ".md": ReportFormat.MARKDOWN,
    ".markdown": ReportFormat.MARKDOWN,
    ".txt": ReportFormat.TABLE,
}


def report_format(
    given: ReportFormat | None, json_output: bool, output: Path | None
) -> ReportFormat:
    """The one format of a report: --json means --format json; without --format, -o's extension
    chooses (.txt or none: a text table; an extension lc does not write is refused); an extension
    that disagrees is refused."""
    from letsconnect_cli.errors import UsageError

    if json_output:
        if given not in (None, ReportFormat.JSON):
            raise UsageError(f"--json and --format {given} exclude each other; give one")
        given = ReportFormat.JSON
    suffix = output.suffix.lower() if output is not None else ""
    implied = EXTENSION_FORMATS.get(suffix)
    if given is None:
        if suffix and implied is None:
            # `-o report.pdf` would get a text table under a name that promises something else.
            assert output is not None
            kind = suffix[1:] if suffix[1:].isascii() and suffix[1:].isalnum() else repr(suffix)
            raise UsageError(
                f"-o {output.name!r}: lc writes no {kind} file",
                hint="Give -o a .html, .json, .csv, .md or .txt name, or --format table to "
                "write the text table under this name.",
            )
        return implied or ReportFormat.TABLE
    if implied is not None and implied is not given:
        assert output is not None
        asked = "--json" if json_output else f"--format {given}"
        raise UsageError(
            f"-o {output.name!r} names a {implied} file, but {asked} asks for {given}",
            hint=f"Give -o a .{_EXTENSION[given]} name, or --format {implied}, or leave "
            "--format out (the extension then chooses).",
        )
    return given


_EXTENSION = {
    ReportFormat.HTML: "html",
    ReportFormat.JSON: "json",
    ReportFormat.CSV: "csv",
    ReportFormat.MARKDOWN: "md",
    ReportFormat.TABLE: "txt",
}


def _say(text: str, *, warn: bool = False) -> None:
    """A message (or warning) on stderr, the one way (`output.message`, `output.warning`)."""
    from letsconnect_cli.cli.output import message, stderr, warning

    (warning if warn else message)(stderr(), text)


def _examples(config: "Config") -> str:
    from letsconnect_cli.errors import UsageError

    folder = config.report.examples
    if folder is None:
        raise UsageError(
            "no SOURCE given, and lc.toml names no example exports",
            hint="Give export files, folders or links: lc report exports/. "
            '(Or set [report] examples = "folder" in lc.toml.)',
        )
    from letsconnect_cli.cli.output import shown

    _say(f"No SOURCE given: reporting on the example exports in {shown(folder)} (synthetic data).")
    return shown(folder)


def _check_charts_dir(folder: Path, force: bool) -> None:
    """Refuse before reading anything: DIR is a file, or holds charts and no --force."""
    from letsconnect_cli.errors import FileExistsRefusal, UsageError
    from letsconnect_cli.report.charts import CHARTS

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--charts {folder}: not a folder")
    if force or not folder.is_dir():
        return
    for name in CHARTS:
        for suffix in (".svg", ".png"):
            if (folder / f"{name}{suffix}").exists():
                raise FileExistsRefusal(
                    f"{folder / (name + suffix)} already exists",
                    hint="Give --force to overwrite the charts.",
                )


def _write_charts(drawn: dict[str, str], folder: Path, force: bool) -> list[Path]:
    from letsconnect_cli.files import write_bytes_atomic, write_text_atomic
    from letsconnect_cli.report.charts import png_converter

    folder.mkdir(parents=True, exist_ok=True)
    to_png = png_converter()
    written = []
    for name, svg in drawn.items():
        path = folder / f"{name}.svg"
        write_text_atomic(path, svg, force=force)
        written.append(path)
        if to_png is not None:
            path = folder / f"{name}.png"
            write_bytes_atomic(path, to_png(svg), force=force)
            written.append(path)
    if to_png is None:
        _say("PNG charts need cairosvg (pip install cairosvg): SVG only")
    return written


def _from_examples(config: "Config", sources: list[str]) -> bool:
    """Every source is in the bundled example folder (synthetic data): the report says so."""
    folder = config.report.examples
    if folder is None or not sources:
        return False
    root = folder.resolve()
    for source in sources:
        path = Path(source.partition("=")[2] if "=" in source else source)
        if "://" in source or not path.resolve().is_relative_to(root):
            return False
    return True


def _warn(log: "IngestLog", figures: dict[str, Any]) -> None:
    for text in log.all_warnings():
        _say(text, warn=True)
    if log.unknown_country and log.first_unknown_country:
        file, line = log.first_unknown_country
        _say(
            f"{log.unknown_country} row(s) name a country lc does not know, in "
            f"{len(log.unknown_countries)} spelling(s) (first: {file}:{line}); each is listed "
            'under data quality: map it with [report.countries] or --map-country "SPELLING=CODE"',
            warn=True,
        )
    if log.country_guessed:
        _say(
            f"{log.country_guessed} row(s) name a country by a near miss lc accepted, in "
            f"{len(log.guessed_countries)} spelling(s); check them under data quality "
            "(country_guessed)",
            warn=True,
        )
    if log.unattributed:
        _say(
            f"{log.unattributed} row(s) could not be given a clinic and are left out "
            "(see data_quality in --format json)",
            warn=True,
        )
    if log.other_clinics:
        _say(f"{log.other_clinics} row(s) of other clinics left out (--clinic)", warn=True)
    if figures["show_protected"]:
        _say(
            "--show-protected: countries of the protection list are shown; do not publish this",
            warn=True,
        )


def _emit(
    figures: dict[str, Any],
    fmt: ReportFormat,
    output: Path | None,
    force: bool,
    out: "Callable[[], Console]",
    charts: dict[str, str] | None = None,
) -> None:
    if fmt is ReportFormat.TABLE:
        from letsconnect_cli.cli.report_view import render_table

        if output is None:
            render_table(figures, out())
            return
        from io import StringIO

        from letsconnect_cli.cli.output import console

        buffer = StringIO()
        render_table(figures, console(file=buffer, width=100, no_color=True))
        text = buffer.getvalue()
    elif fmt is ReportFormat.JSON:
        from letsconnect_cli.cli.output import json_text

        text = json_text(figures)
    elif fmt is ReportFormat.CSV:
        from letsconnect_cli.report.csv_out import render_csv

        text = render_csv(figures)
    elif fmt is ReportFormat.MARKDOWN:
        from letsconnect_cli.report.markdown import render_markdown

        text = render_markdown(figures)
    else:
        from letsconnect_cli.report.html import render_html

        text = render_html(figures, charts=charts)
    if output is None:
        from letsconnect_cli.cli.environment import current

        current().out.write(text)
        return
    from letsconnect_cli.files import write_text_atomic

    write_text_atomic(output, text, force=force)


class _ProgressBar:
    """Download progress on stderr (a terminal only): one Rich bar per URL, gone when done."""

    def __init__(self) -> None:
        from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

        from letsconnect_cli.cli.output import console

        self._progress = Progress(
            *Progress.get_default_columns(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=console(stderr=True),
            transient=True,
        )
        self._tasks: dict[str, Any] = {}

    def __call__(self, name: str, done: int, total: int | None) -> None:
        if not self._tasks:
            self._progress.start()
        if name not in self._tasks:
            self._tasks[name] = self._progress.add_task(name[-40:], total=total)
        self._progress.update(self._tasks[name], completed=done, total=total)

    def close(self) -> None:
        if self._tasks:
            self._progress.stop()
