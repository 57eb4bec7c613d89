"""Issue 15: the hostile-input corpus through every command and output format.

For each input: no exit 1, no raw control character on stdout or stderr, no cell of an export in
any message, and every format (CSV, Markdown, HTML, wikitext) reads back, with an independent
parser, to the cells lc meant to write. The corpus and the parsers are in `corpus.py`.
"""

from __future__ import annotations

import html
import io
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.cli import app
from tests.hostile import corpus
from tests.hostile.corpus import (
    CELL_BREAKERS,
    HEADERLESS_CELLS,
    HEADERLESS_CSV,
    HOSTILE_FILE_NAMES,
    HOSTILE_KEYS,
    HOSTILE_TEXTS,
    csv_shown,
    leaked,
    one_line,
    raw_controls,
)

PREFIX = "Let's Connect Learning Clinic: "


@dataclass
class Project:
    root: Path
    ids: dict[str, str]  # clinic id -> the hostile text in its title, sharer, platform
    markers: list[str]  # pieces of the exports' personal cells

    def id_of(self, name: str) -> str:
        text = HOSTILE_TEXTS[name]
        return next(cid for cid, value in self.ids.items() if value == text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("hostile")
    ids = corpus.make_project(root)
    markers = corpus.write_exports(root / "exports", ids)
    return Project(root, ids, markers)


@pytest.fixture
def project(built: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(built.root)
    return built


def run(*args: str, markers: list[str] | None = None, check_stdout: bool = False):
    """Run lc; fail on exit 1, a raw control character, or a marker of an export cell."""
    result = CliRunner().invoke(app, list(args))
    where = f"lc {' '.join(args)[:120]!r}"
    assert result.exit_code != 1, f"EXIT1 {where}: {result.stderr[-600:]}"
    assert "unexpected error" not in result.stderr, f"EXIT1 {where}"
    assert not raw_controls(result.stdout), f"RAWCTRL stdout of {where}"
    assert not raw_controls(result.stderr, bidi=True), f"RAWCTRL stderr of {where}"
    if markers:
        assert not leaked(result.stderr, markers), f"LEAK in the messages of {where}"
        if check_stdout:
            assert not leaked(result.stdout, markers), f"LEAK on stdout of {where}"
    return result


# --- terminal commands over the whole corpus -----------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("list", "--json"),
        ("list", "--status", "confirmed"),
        ("validate",),
        ("validate", "--json"),
        ("invite", "--all", "--dry-run"),
        ("invite", "--all", "--dry-run", "--json"),
    ],
    ids=" ".join,
)
def test_clinic_commands_show_every_control_character_visibly(
    project: Project, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    if args[-1] == "--json":
        json.loads(result.stdout)  # C1 and bidi escaped as \\u, the document intact


def test_list_json_keeps_every_title(project: Project) -> None:
    """JSON escapes what a terminal must not get, and keeps the value itself."""
    result = run("list", "--json")
    titles = {item["title"] for item in json.loads(result.stdout)}
    expected = {text.strip() for text in HOSTILE_TEXTS.values()}
    assert titles == expected


def test_list_table_shows_escapes_visibly(project: Project) -> None:
    result = run("list", "--region", "ESEAP")
    assert "\\x1b]0;PWNED\\x07" in result.stdout
    assert "[bold red]styled[/]" in result.stdout  # Rich markup is text
    # A title's or a name's line break does not make a line of its own in the clinic's cell.
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert not any(line.startswith("second line") for line in lines)


@pytest.mark.parametrize("fmt", ["wikitext", "markdown", "text", "html", "email"])
@pytest.mark.parametrize("name", list(HOSTILE_TEXTS))
def test_announce(project: Project, name: str, fmt: str) -> None:
    text = HOSTILE_TEXTS[name]
    result = run("announce", project.id_of(name), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    title = PREFIX + one_line(text)
    if fmt == "html":
        tags, texts = corpus.parse_html(out)
        assert {"img", "script", "b"}.isdisjoint(tags)
        assert ("title", title) in texts
        assert ("h2", title) in texts
        items = [data for tag, data in texts if tag == "li"]
        assert " " + one_line("Zoom " + text) in items  # after <strong>Platform:</strong>
    elif fmt == "markdown":
        assert corpus.markdown_html_tokens(out) == []
        blocks = corpus.markdown_blocks(out)
        assert ("heading", title) in blocks
        assert ("list_item", "Platform: " + one_line("Zoom " + text)) in [
            (kind, shown.replace("Platform: ", "Platform: ", 1)) for kind, shown in blocks
        ] or any(shown.endswith(one_line("Zoom " + text)) for _, shown in blocks)
    elif fmt == "wikitext":
        templates, links = corpus.wikitext_nodes(out)
        assert templates == []
        assert len(links) == 1 and links[0].startswith("User:")  # the sharer's user page
        sharer = [line for line in out.splitlines() if "Sharer:" in line]
        assert len(sharer) == 1 and html.unescape(sharer[0]).endswith(
            "|" + one_line("Sharer " + text) + "]], Sharer"
        )
        assert f"== {PREFIX}" in out
        heading = next(line for line in out.splitlines() if line.startswith("== "))
        assert html.unescape(heading.strip("= ")) == title
        platform = next(line for line in out.splitlines() if "Platform:" in line)
        assert html.unescape(platform).endswith(one_line("Zoom " + text))
    elif fmt == "email":
        import email
        from email.policy import default

        message = email.message_from_string(out, policy=default)
        assert str(message["Subject"]).strip().startswith(title)
        body = message.get_body(("plain",))
        assert body is not None
        assert title in body.get_content()
    else:
        assert title in out


# --- lc report: every format, read back ----------------------------------------------------------


def _report(project: Project, fmt: str):
    return run(
        "report",
        "exports",
        "--format",
        fmt,
        "--min-count",
        "0",
        markers=project.markers,
        check_stdout=True,
    )


@pytest.mark.slow
def test_report_csv_reads_back_to_the_same_cells(project: Project) -> None:
    import pandas as pd

    result = _report(project, "csv")
    assert result.exit_code == 0, result.stderr
    rows = corpus.parse_csv(result.stdout)
    assert all(len(row) == 6 for row in rows)
    for row in rows:
        for cell in row:
            assert "\r" not in cell and "\n" not in cell
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # Every text cell is quoted: the raw lines start and end with quotes or numbers.
    for line in result.stdout.splitlines():
        assert line.startswith('"') and line.endswith('"'), line
    titles = {row[2] for row in rows if row[0] == "per_clinic"}
    assert titles == {csv_shown(text) for text in HOSTILE_TEXTS.values()}
    # A spreadsheet-grade reader sees the same table, row for row.
    frame = pd.read_csv(__import__("io").StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert [list(frame.columns), *frame.to_numpy().tolist()] == rows


def test_report_markdown_reads_back_to_the_same_cells(project: Project) -> None:
    result = _report(project, "markdown")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert corpus.markdown_html_tokens(out) == []
    assert "{{" not in out and "[[" not in out
    rows = corpus.markdown_table_cells(out)
    titles = {row[1] for row in rows if len(row) == 5 and row[0].startswith("2031-")}
    assert titles == {one_line(text) for text in HOSTILE_TEXTS.values()}


@pytest.mark.slow
def test_report_html_reads_back_to_the_same_cells(project: Project) -> None:
    result = _report(project, "html")
    assert result.exit_code == 0, result.stderr
    tags, texts = corpus.parse_html(result.stdout)
    assert {"img", "script", "b"}.isdisjoint(tags)
    cells = {" ".join(data.split()) for tag, data in texts if tag == "td"}
    assert {one_line(text) for text in HOSTILE_TEXTS.values()} <= cells


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_report_terminal_formats(project: Project, fmt: str) -> None:
    result = _report(project, fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        titles = {c["title"] for c in json.loads(result.stdout)["per_clinic"]}
        assert titles == {text.strip() for text in HOSTILE_TEXTS.values()}


def test_invite_registrations_quotes_no_cell(project: Project) -> None:
    for clinic in list(project.ids)[:4]:
        for extra in ((), ("--json",)):
            result = run(
                "invite",
                clinic,
                "--region",
                "ESEAP",
                "--registrations",
                "exports",
                "--dry-run",
                *extra,
                markers=project.markers,
            )
            assert result.exit_code == 0, result.stderr


# --- exports without a header, and other broken exports ------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        HEADERLESS_CSV,
        "Piiname Nohead;Piiuser Nohead;piimail@example.org;Nigeria\n",
        "\x1b]0;PiiTitle\x07,Piiother\n1,2\n",
        "Email,Country,Clinic\npiione@example.org,Nigeria\x1b[31m,Piiclinic\n",
    ],
    ids=["issue-15", "with-at", "escape-header", "escape-cell"],
)
@pytest.mark.parametrize("command", ["report", "invite"])
def test_broken_exports_are_refused_without_their_cells(
    project: Project, tmp_path: Path, content: str, command: str
) -> None:
    path = tmp_path / "x.csv"
    path.write_text(content, encoding="utf-8")
    markers = [
        *HEADERLESS_CELLS,
        "Piiuser",
        "piimail",
        "PiiTitle",
        "Piiother",
        "piione",
        "Piiclinic",
    ]
    if command == "report":
        result = run("report", str(path), markers=markers, check_stdout=True)
    else:
        args = ("invite", project.id_of("html"), "--region", "ESEAP", "--dry-run")
        result = run(*args, "--registrations", str(path), markers=markers)
    assert result.exit_code in (0, 4), result.stderr
    if result.exit_code == 4:
        assert "x.csv, line 1" in result.stderr


# --- clinic files: hostile keys and file names ---------------------------------------------------


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_a_hostile_key_is_shown_visibly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    corpus.make_project(tmp_path, {"plain": "A plain clinic"})
    path = next((tmp_path / "clinics").glob("*.toml"))
    path.write_text(f"{corpus.toml_string(key)} = 1\n" + path.read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 3
    assert "unknown" in result.stdout + result.stderr
    lines = (result.stdout + result.stderr).splitlines()
    assert not any(line.startswith("ok   fake") for line in lines)
    for args in (("list",), ("validate", "--json"), ("invite", "--all", "--dry-run")):
        run(*args)


@pytest.mark.parametrize("name", HOSTILE_FILE_NAMES)
def test_a_hostile_file_name_is_shown_visibly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    corpus.make_project(tmp_path, {"plain": "A plain clinic"})
    source = next((tmp_path / "clinics").glob("*.toml"))
    shutil.copy(source, tmp_path / "clinics" / name)
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 3
    shown = result.stdout + result.stderr
    assert "\\x1b" in shown or "\\x0d" in shown
    run("validate", str(tmp_path / "clinics" / name))
    run("list")  # (whether one bad file stops `lc list` is another part of issue 15)
    run("report", "--clinics-dir", "clinics", str(source))


# --- lc new-clinic refuses control characters ----------------------------------------------------


@pytest.mark.parametrize(
    "name", [n for n, t in HOSTILE_TEXTS.items() if raw_controls(t) or "\n" in t]
)
@pytest.mark.parametrize("flag", ["--title", "--platform", "--sharer", "--description"])
def test_new_clinic_refuses_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, flag: str
) -> None:
    text = HOSTILE_TEXTS[name]
    corpus.make_project(tmp_path, {})
    monkeypatch.chdir(tmp_path)
    args = ["new-clinic", "--no-input", "--start", "2031-05-01T06:00Z", "--region", "ESEAP"]
    if flag != "--title":
        args += ["--title", "A clinic"]
    result = run(*args, flag, text)
    multiline_ok = (
        flag == "--description"
        and not corpus.RAW_CONTROL.search(text.replace("\r\n", "\n"))
        and "\r" not in text
    )
    if multiline_ok:
        assert result.exit_code == 0, result.stderr
        return
    assert result.exit_code in (2, 3), result.stderr
    if result.exit_code == 3:
        assert "control character" in result.stderr
    assert list((tmp_path / "clinics").iterdir()) == []


# --- the calendar page of lc publish --index (rendered, no wiki) ---------------------------------


def _index(tmp_path: Path, texts: dict[str, str], *, field: str) -> str:
    from letsconnect_cli.announce.index_page import render_index
    from letsconnect_cli.clinic.clinics import load_clinics
    from letsconnect_cli.places.i18n import resolve_language

    folder = tmp_path / "clinics"
    folder.mkdir()
    for index, text in enumerate(texts.values()):
        cid = corpus.clinic_id(index)
        values = {"title": f"Clinic {index}", "sharer": f"Sharer {index}", "platform": "Zoom"}
        values[field] = text
        (folder / f"{cid}.toml").write_text(
            corpus.clinic_toml(
                values["title"],
                start=f"{cid[:10]}T06:00:00Z",
                sharer=values["sharer"],
                platform=values["platform"],
                uid=f"i{index}",
            ),
            encoding="utf-8",
        )
    return render_index(
        load_clinics(folder),
        resolve_language("en"),
        now=datetime(2031, 1, 1, tzinfo=UTC),
        page_of=lambda clinic: f"Learning Clinics/{clinic.id}",
    )


@pytest.mark.parametrize("field", ["title", "sharer"])
def test_index_table_cells_stay_in_their_cells(tmp_path: Path, field: str) -> None:
    texts = {**HOSTILE_TEXTS, **CELL_BREAKERS}
    page = _index(tmp_path, texts, field=field)
    assert not raw_controls(page)
    templates, links = corpus.wikitext_nodes(page)
    assert templates == []
    assert all(link.startswith("Learning Clinics/") for link in links)
    rows = corpus.wikitext_table_rows(page)
    body = [row for row in rows if not (row and row[0].startswith("Date"))]
    assert len(body) == len(texts)  # one row per clinic
    assert all(len(row) == 6 for row in body), [len(row) for row in body]
    column = 2 if field == "title" else 3
    shown = sorted(row[column] for row in body)
    assert shown == sorted(one_line(text) for text in texts.values())


# --- files lc writes -----------------------------------------------------------------------------


@pytest.mark.slow
def test_written_files_hold_no_raw_control_character(
    built: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Calendars, emailed invitations, announcements and reports written with -o/--out."""
    import icalendar

    shutil.copytree(built.root, tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    out = tmp_path / "out"
    assert run("invite", "--all", "--out", str(out / "ics")).exit_code == 0
    for clinic in list(built.ids)[:3]:
        args = ("invite", clinic, "--region", "ESEAP", "--registrations", "exports")
        result = run(*args, "--out", str(out / "mail" / clinic), markers=built.markers)
        assert result.exit_code == 0, result.stderr
    name = built.id_of("c1-csi")
    for fmt in ("wikitext", "markdown", "text", "html", "email"):
        run("announce", name, "--format", fmt, "-o", str(out / f"announce.{fmt}"))
    for fmt in ("table", "json", "csv", "markdown", "html"):
        run("report", "exports", "--format", fmt, "-o", str(out / f"report.{fmt}"))
    files = [path for path in out.rglob("*") if path.is_file() and path.name != ".gitignore"]
    assert len(files) > 30
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not raw_controls(text), path.name
        if path.suffix == ".ics":
            calendar = icalendar.Calendar.from_ical(text)
            for event in calendar.walk("VEVENT"):
                assert not raw_controls(str(event["SUMMARY"]))
                assert "\n" not in str(event["SUMMARY"])


# --- hostile arguments, and a colour terminal ----------------------------------------------------

ESCAPES = "\x1b]0;PWNED\x07\x9b2J\u202e"


@pytest.mark.parametrize(
    "args",
    [
        (ESCAPES,),
        ("list", "--status", ESCAPES),
        ("list", "--region", ESCAPES),
        ("announce", ESCAPES),
        ("announce", "2031-03-10-hostile-0", "--format", ESCAPES),
        ("validate", f"x{ESCAPES}.toml"),
        ("report", f"x{ESCAPES}.csv"),
        ("invite", ESCAPES),
        ("slots", "--region", ESCAPES),
        ("regions", ESCAPES),
        ("new-clinic", "--no-input", "--title", "T", "--start", ESCAPES),
    ],
    ids=lambda args: args[0] if args[0] != ESCAPES else "command",
)
def test_hostile_arguments_are_shown_visibly(project: Project, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code in (2, 3, 4), result.stderr
    assert "PWNED" in result.stdout + result.stderr


def test_a_colour_terminal_keeps_lc_colours_and_shows_escapes_visibly() -> None:
    from rich.text import Text

    from letsconnect_cli.cli.output import console

    buffer = io.StringIO()
    out = console(file=buffer, force_terminal=True, color_system="standard", width=80)
    out.print(Text("\x1b]0;PWNED\x07 [red]title[/red]", style="bold"))
    out.print("\x1b[2J plain \x9b1m")
    shown = buffer.getvalue()
    assert "\x1b[1m" in shown  # Rich's own bold
    # (Rich's Text drops BEL, BS, VT, FF and CR itself; ESC and C1 are lc's to show.)
    assert "\\x1b]0;PWNED [red]title[/red]" in shown
    assert "\\x1b[2J plain \\x9b1m" in shown
    assert not raw_controls(shown.replace("\x1b[1m", "").replace("\x1b[0m", ""))


def test_stdout_on_a_terminal_shows_bidi_controls_visibly(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from letsconnect_cli.cli.output import terminal_safe_streams

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, redirected = Terminal(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setattr(sys, "stderr", redirected)
    with terminal_safe_streams():
        sys.stdout.write("a\u202eb\x1b[31m\r\n")
        sys.stderr.write("c\u2066d\x07\r")
    assert terminal.getvalue() == "a\\u202eb\\x1b[31m\r\n"
    assert redirected.getvalue() == "c\\u2066d\\x07\\x0d"
    assert (sys.stdout, sys.stderr) == (terminal, redirected)


def test_new_clinic_asks_again_for_an_answer_with_a_control_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal each answer is checked where it is typed: a title with ESC is asked again."""
    from letsconnect_cli.cli import prompts

    monkeypatch.setattr(prompts, "stdin_is_interactive", lambda: True)
    corpus.make_project(tmp_path, {})
    monkeypatch.chdir(tmp_path)
    answers = ["Bad \x1b]0;PWNED\x07 title", "Good title", "", *[""] * 8]
    result = CliRunner().invoke(app, ["new-clinic"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "holds a control character (U+001B) at character 5" in result.stderr
    assert not raw_controls(result.stdout + result.stderr, bidi=True)
    assert [p.name for p in (tmp_path / "clinics").iterdir()] == ["proposed-good-title.toml"]


def test_a_flag_with_a_control_character_fails_before_any_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from letsconnect_cli.cli import prompts

    monkeypatch.setattr(prompts, "stdin_is_interactive", lambda: True)
    corpus.make_project(tmp_path, {})
    monkeypatch.chdir(tmp_path)
    result = run("new-clinic", "--platform", "Zoom\r\nBcc: x", "--sharer", "A\x07nn")
    assert result.exit_code == 3
    assert "--platform: holds a control character (U+000D)" in result.stderr
    assert "--sharer: name holds a control character (U+0007)" in result.stderr
    assert "Title" not in result.stderr


def test_invite_headings_show_control_characters_visibly(project: Project) -> None:
    """The heading of `lc invite` (and of its --registrations dry run) shows a title's ESC and
    BEL as `\\x1b` and `\\x07`, as `lc list` does, rather than dropping them."""
    clinic = project.id_of("osc-title-set")
    for extra in ((), ("--registrations", "exports")):
        result = run("invite", clinic, "--region", "ESEAP", "--dry-run", *extra)
        assert result.exit_code == 0, result.stderr
        assert "\\x1b]0;PWNED\\x07" in result.stdout, result.stdout[:300]
