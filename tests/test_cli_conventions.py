"""A liaison's everyday loop (issue 13): clinic ids people can use, the CLI's conventions, and
past clinics as a real folder holds them."""

from __future__ import annotations

import json
import re
import shlex
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.cli import app
from letsconnect_cli.cli.app import COMMANDS, load_command, plain_choice_message
from letsconnect_cli.clinic.clinics import load_clinics, matching_ids, slugify
from tests.conftest import SEED_CLINICS, invoke

LONG_ID = "2027-04-04-wikimedia-commons-campaigns-in-the-pacific-wikis"
LONG_TITLE = (
    "Wikimedia Commons campaigns in the Pacific: wikis, photographs and the communities that "
    "keep them"
)


def add_clinic(project: Path, clinic_id: str, title: str, *, status: str = "scheduled") -> Path:
    date = clinic_id[:10]
    path = project / "clinics" / f"{clinic_id}.toml"
    path.write_text(
        f'title = "{title}"\nstatus = "{status}"\nstart = {date}T06:00:00Z\nregions = ["ESEAP"]\n',
        encoding="utf-8",
    )
    return path


# --- ids are never wrapped or cut -------------------------------------------------------------


def test_an_id_is_never_wrapped_or_cut_even_on_a_narrow_terminal(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_clinic(project, LONG_ID, LONG_TITLE)
    monkeypatch.setenv("COLUMNS", "50")
    result = invoke(runner, "list")
    assert result.exit_code == 0, result.output
    assert any(line.rstrip().endswith(LONG_ID) for line in result.stdout.splitlines())
    for clinic in load_clinics(project / "clinics"):
        assert clinic.id in result.stdout
    assert "Pacific:" in result.stdout  # the title wraps instead


def test_piped_output_is_not_wrapped_at_80_columns(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without COLUMNS and not on a terminal (a pipe), nothing is wrapped: grep finds rows."""
    add_clinic(project, LONG_ID, LONG_TITLE)
    monkeypatch.delenv("COLUMNS")
    result = invoke(runner, "list")
    lines = result.stdout.splitlines()
    assert next(line for line in lines if LONG_ID in line).split()[-1] == LONG_ID
    assert any(line.strip() == LONG_TITLE for line in lines)
    assert max(len(line) for line in lines) > 80
    table = invoke(runner, "invite", LONG_ID, "-n").stdout
    assert "local times for ESEAP" in table.splitlines()[1]  # the heading on one line


# --- a unique prefix or word of the id --------------------------------------------------------


def test_matching_ids_by_prefix_then_word_then_word_start() -> None:
    ids = [c.id for c in load_clinics(SEED_CLINICS)] + [LONG_ID]
    assert matching_ids(ids, "2023-04") == ["2023-04-02-travel-scholarships"]
    assert matching_ids(ids, "lexemes") == ["proposed-wiktionary-and-lexemes-on-wikidata"]
    assert matching_ids(ids, "wikimedia-commons") == [LONG_ID]
    assert matching_ids(ids, "lexeme") == ["proposed-wiktionary-and-lexemes-on-wikidata"]
    assert matching_ids(ids, "2023") == ids[:3]
    assert matching_ids(ids, "wikimedia") == [
        "2023-01-14-building-a-wikimedia-affiliate-group",
        "proposed-partnership-building-wikimedia-indonesia",
        LONG_ID,
    ]
    assert matching_ids(ids, "nothing") == matching_ids(ids, "") == matching_ids(ids, "-") == []


@pytest.mark.parametrize("given", ["2023-04-02", "travel", "travel-scholarships", "scholar"])
def test_commands_take_a_unique_prefix_or_word(
    runner: CliRunner, project: Path, given: str
) -> None:
    full = invoke(runner, "announce", "2023-04-02-travel-scholarships", "-F", "text")
    short = invoke(runner, "announce", given, "-F", "text")
    assert short.exit_code == 0, short.output
    assert short.stdout == full.stdout
    invited = invoke(runner, "invite", given, "--region", "ESEAP", "-n", "--json")
    assert invited.exit_code == 0, invited.output
    assert [i["id"] for i in json.loads(invited.stdout)] == ["2023-04-02-travel-scholarships"]


def test_several_matches_are_a_usage_error_that_lists_them(
    runner: CliRunner, project: Path
) -> None:
    result = invoke(runner, "announce", "2023")
    assert result.exit_code == 2
    assert "'2023' matches 3 clinics: 2023-01-14-building-a-wikimedia-affiliate-group, " in (
        result.stderr
    )
    assert "2023-04-02-travel-scholarships" in result.stderr
    assert "Give more of the id" in result.stderr
    result = invoke(runner, "invite", "wikimedia", "-n")
    assert result.exit_code == 2 and "matches 2 clinics" in result.stderr
    result = invoke(runner, "invite", "traval", "-n")
    assert result.exit_code == 2 and "no clinic 'traval'" in result.stderr


def test_the_clinic_option_of_slots_takes_a_prefix_too(
    runner: CliRunner, project: Path, tmp_path: Path
) -> None:
    exports = Path(__file__).parent / "data" / "exports" / "google-forms-registration.csv"
    args = ["slots", "-r", "ESEAP", "--date", "2027-04-04", "--registrations", str(exports)]
    full = invoke(runner, *args, "--clinic", "2023-04-02-travel-scholarships", "--json")
    short = invoke(runner, *args, "--clinic", "travel", "--json")
    assert full.exit_code == 0, full.output
    assert short.stdout == full.stdout
    ambiguous = invoke(runner, *args, "--clinic", "2023")
    assert ambiguous.exit_code == 2 and "matches 3 clinics" in ambiguous.stderr


# --- shell completion -------------------------------------------------------------------------


def complete(runner: CliRunner, words: str) -> list[str]:
    result = runner.invoke(
        app,
        [],
        env={
            "_LC_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        },
        prog_name="lc",
    )
    return result.stdout.split()


def test_completion_of_ids_regions_languages_and_zones(runner: CliRunner, project: Path) -> None:
    assert complete(runner, "lc announce 2023-0") == [
        "2023-01-14-building-a-wikimedia-affiliate-group",
        "2023-02-21-copyright-clinic-awareness-education",
        "2023-04-02-travel-scholarships",
    ]
    assert complete(runner, "lc invite proposed-w") == [
        "proposed-wiktionary-and-lexemes-on-wikidata"
    ]
    assert complete(runner, "lc publish 2023-04") == ["2023-04-02-travel-scholarships"]
    assert complete(runner, "lc list --region ES") == ["ESEAP"]
    assert complete(runner, "lc regions N") == ["NA", "NWE"]
    assert complete(runner, "lc announce travel --lang zh") == ["zh-Hans", "zh-Hant"]
    assert "Asia/Manila" in complete(runner, "lc list --tz Asia/Ma")
    assert complete(runner, "lc invite --zone Pacific/Hon") == ["Pacific/Honolulu"]
    assert complete(runner, "lc slots --clinic 2023-04") == ["2023-04-02-travel-scholarships"]


def test_completion_reads_the_clinics_dir_flag_and_fails_quietly(
    runner: CliRunner, project: Path
) -> None:
    (project / "clinics").rename(project / "elsewhere")
    assert complete(runner, "lc announce 2023-04") == []
    assert complete(runner, "lc --clinics-dir elsewhere announce 2023-04") == [
        "2023-04-02-travel-scholarships"
    ]
    assert complete(runner, "lc announce --clinics-dir elsewhere 2023-04") == [
        "2023-04-02-travel-scholarships"
    ]


def test_completion_of_the_values_new_clinic_init_and_list_take(
    runner: CliRunner, project: Path
) -> None:
    assert complete(runner, "lc new-clinic --tz Asia/Man") == ["Asia/Manila"]
    assert complete(runner, "lc new-clinic -i zh") == ["zh-Hans", "zh-Hant"]
    assert complete(runner, "lc new-clinic --language ja") == ["ja"]
    assert complete(runner, "lc new-clinic --translate zh-Hant") == ["zh-Hant"]
    assert complete(runner, "lc init --region ES") == ["ESEAP"]
    assert complete(runner, "lc init --tz Asia/Man") == ["Asia/Manila"]
    assert complete(runner, "lc list --lang zh") == ["zh-Hans", "zh-Hant"]


# --- slugs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Wiktionary and Lexemes on Wikidata and the Lexicographical Data",
            "wiktionary-and-lexemes-on-wikidata",
        ),
        (
            "Guidelines, best practices, and documented learnings",
            "guidelines-best-practices-and-documented",
        ),
        ("Partnerships with", "partnerships"),
        (
            "Campaigns in the Pacific: wikis, photographs and more",
            "campaigns-in-the-pacific-wikis-photographs",
        ),
        ("Working with the", "working"),
        ("The", "the"),
        ("Réseaux sociaux", "reseaux-sociaux"),
        ("x" * 60, "x" * 48),
        ("日本語", "clinic"),
    ],
)
def test_slugs_cut_at_a_word_and_never_end_on_a_small_word(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert len(slugify(title)) <= 48


# --- CLI conventions --------------------------------------------------------------------------


def test_lc_alone_prints_the_help_and_succeeds(runner: CliRunner) -> None:
    result = runner.invoke(app, [], prog_name="lc")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: lc [OPTIONS] COMMAND [ARGS]...")
    assert "Commands:" in result.stdout and "new-clinic" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_shows_no_python_types_and_ends_with_examples(runner: CliRunner, name: str) -> None:
    result = invoke(runner, name, "--help")
    assert result.exit_code == 0
    text = result.stdout
    assert not re.search(r"<(str|int|path|list\[[^]]*\]|float|bool)>", text, re.IGNORECASE), text
    assert "{" not in text.splitlines()[0]
    if "Arguments:" in text:
        arguments = text.split("Arguments:\n")[1].split("\n\n")[0]
        assert not re.search(r"^  [a-z_]+ ", arguments, re.MULTILINE), arguments
    tail = text.rstrip("\n").split("\nExamples:\n")
    assert len(tail) == 2, f"lc {name} --help has no Examples section at its end"
    examples = tail[1].splitlines()
    assert 2 <= len(examples) <= 3
    assert all(line.startswith(f"  lc {name}") for line in examples)


@pytest.mark.parametrize(
    ("name", "usage"),
    [
        ("announce", "Usage: lc announce [OPTIONS] CLINIC_ID"),
        ("invite", "Usage: lc invite [OPTIONS] [CLINIC_ID...]"),
        ("validate", "Usage: lc validate [OPTIONS] [PATH...]"),
        ("publish", "Usage: lc publish [OPTIONS] [CLINIC_ID]"),
        ("report", "Usage: lc report [OPTIONS] [SOURCE...]"),
    ],
)
def test_usage_line(runner: CliRunner, name: str, usage: str) -> None:
    assert invoke(runner, name, "--help").stdout.splitlines()[0] == usage


def test_option_values_are_named(runner: CliRunner) -> None:
    announce = invoke(runner, "announce", "--help").stdout
    assert "--to ADDRESS" in announce and "-o, --output PATH" in announce
    assert "-F, --format [wikitext|markdown|text|html|email]" in announce
    publish = invoke(runner, "publish", "--help").stdout
    assert "--page TITLE" in publish and "--api-url URL" in publish


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_example_parses(name: str) -> None:
    """The examples are real command lines: each one's arguments are accepted as they are."""
    command = load_command(name)
    for example in COMMANDS[name].examples:
        words = shlex.split(example.split(" | ")[0])
        assert words[:2] == ["lc", name]
        with command.make_context(name, words[2:], resilient_parsing=False) as ctx:
            assert ctx.params is not None


RUNNABLE = [
    example
    for spec in COMMANDS.values()
    for example in spec.examples
    if not example.startswith(("lc publish", "lc new-clinic")) and "|" not in example
]


@pytest.mark.parametrize("example", RUNNABLE)
def test_examples_run_on_the_example_data(runner: CliRunner, project: Path, example: str) -> None:
    import shutil

    from tests.conftest import ROOT

    shutil.copytree(ROOT / "examples" / "exports", project / "examples" / "exports")
    result = invoke(runner, *shlex.split(example)[1:])
    assert result.exit_code == 0, (example, result.output)


def test_a_bad_choice_names_the_choices_plainly(runner: CliRunner, project: Path) -> None:
    result = invoke(runner, "report", "--format", "pdf")
    assert result.exit_code == 2
    assert "'pdf' is not one of table, json, csv, markdown, html." in result.stderr
    assert "Value error" not in result.stderr
    result = invoke(runner, "announce", "travel", "-F", "pdf")
    assert "'pdf' is not one of wikitext, markdown, text, html, email." in result.stderr
    result = invoke(runner, "list", "--status", "later")
    assert "'later' is not one of proposed, scheduled, confirmed, done, cancelled." in (
        result.stderr
    )


def test_plain_choice_message_leaves_other_messages_alone() -> None:
    assert plain_choice_message("Value error, 'x' is not one of 'a', 'b'.") == (
        "'x' is not one of a, b."
    )
    assert plain_choice_message("something else") == "something else"


def report_args(project: Path) -> list[str]:
    import shutil

    from tests.conftest import ROOT

    shutil.copytree(ROOT / "examples" / "exports", project / "exports")
    return ["report", "exports"]


def test_report_json_is_format_json(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The time the report says it was made, fixed: two runs a second apart differed (a flaky test).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    args = report_args(project)
    assert (
        invoke(runner, *args, "--json").stdout == invoke(runner, *args, "--format", "json").stdout
    )
    both = invoke(runner, *args, "--json", "--format", "json")
    assert both.exit_code == 0
    clash = invoke(runner, *args, "--json", "--format", "csv")
    assert clash.exit_code == 2 and "exclude each other" in clash.stderr


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("report.html", "<!DOCTYPE html>"),
        ("report.json", "{"),
        ("report.csv", '"section",'),
        ("report.md", "# "),
        ("report.txt", ""),
    ],
)
def test_report_output_extension_picks_the_format(
    runner: CliRunner, project: Path, name: str, start: str
) -> None:
    args = report_args(project)
    result = invoke(runner, *args, "-o", name)
    assert result.exit_code == 0, result.output
    text = (project / name).read_text(encoding="utf-8")
    assert text.startswith(start)
    if name.endswith(".txt"):
        assert "<" not in text[:200] and not text.startswith("{")


@pytest.mark.parametrize(
    ("flags", "name"),
    [(["--format", "table"], "x.html"), (["--format", "csv"], "x.json"), (["--json"], "x.md")],
)
def test_report_refuses_a_format_that_disagrees_with_the_extension(
    runner: CliRunner, project: Path, flags: list[str], name: str
) -> None:
    args = report_args(project)
    result = invoke(runner, *args, *flags, "-o", name)
    assert result.exit_code == 2
    assert f"-o '{name}' names a" in result.stderr
    assert not (project / name).exists()


@pytest.mark.parametrize("name", ["report.pdf", "report.xlsx", "report.docx"])
def test_report_refuses_an_extension_it_cannot_write(
    runner: CliRunner, project: Path, name: str
) -> None:
    args = report_args(project)
    result = invoke(runner, *args, "-o", name)
    assert result.exit_code == 2
    assert f"-o {name!r}: lc writes no {name.rsplit('.', 1)[1]} file" in result.stderr
    assert ".html, .json, .csv, .md or .txt" in result.stderr
    assert not (project / name).exists()
    # Said outright, the text table goes where the user asks.
    forced = invoke(runner, *args, "--format", "table", "-o", name)
    assert forced.exit_code == 0, forced.output
    assert (project / name).read_text(encoding="utf-8").strip()


def test_report_without_extension_writes_the_table(runner: CliRunner, project: Path) -> None:
    result = invoke(runner, *report_args(project), "-o", "report")
    assert result.exit_code == 0, result.output
    assert not (project / "report").read_text(encoding="utf-8").startswith(("<", "{"))


def test_report_with_a_matching_format_and_extension(runner: CliRunner, project: Path) -> None:
    args = report_args(project)
    result = invoke(runner, *args, "--format", "html", "-o", "x.html")
    assert result.exit_code == 0 and (project / "x.html").read_text().startswith("<!DOCTYPE")


def test_validate_wraps_warnings_on_a_terminal_only(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "clinics" / "2023-04-02-travel-scholarships.toml"
    path.write_text(path.read_text("utf-8").replace('"done"', '"scheduled"'), "utf-8")
    piped = invoke(runner, "validate").stdout.splitlines()
    [warning] = [line for line in piped if "warning:" in line]
    assert len(warning) > 200  # piped: one line per problem, for grep
    from letsconnect_cli.cli import output

    monkeypatch.setattr(output, "terminal_width", lambda stream=None: 60)
    lines = invoke(runner, "validate").stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if ":13: status:" in line)
    end = next(i for i, line in enumerate(lines) if i > start and not line.startswith("  "))
    block = lines[start:end]
    assert len(block) >= 4 and all(len(line) <= 60 for line in block)
    assert block[0].startswith("     clinics/2023-04-02-travel-scholarships.toml:13: status:")
    assert all(line.startswith("       ") and line[7] != " " for line in block[1:])
    assert " ".join(line.strip() for line in block) == warning.strip()


def test_an_email_announcement_without_a_to_warns_how_to_set_one(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = invoke(runner, "announce", "travel", "-F", "email")
    assert result.exit_code == 0
    assert "warning: the email has no To address" in result.stderr
    assert "--to ADDRESS" in result.stderr and "[announce]" in result.stderr
    assert "To:" not in result.stdout.split("\n\n")[0]
    given = invoke(runner, "announce", "travel", "-F", "email", "--to", "list@example.org")
    assert "no To address" not in given.stderr
    monkeypatch.setenv("LC_ANNOUNCE_TO", "list@example.org")
    configured = invoke(runner, "announce", "travel", "-F", "email")
    assert "no To address" not in configured.stderr
    other = invoke(runner, "announce", "travel", "-F", "text")
    assert "no To address" not in other.stderr


# --- past clinics -----------------------------------------------------------------------------


def test_the_example_clinics_are_as_a_real_folder_holds_them() -> None:
    now = datetime.now(UTC)
    for clinic in load_clinics(SEED_CLINICS):
        if clinic.end is not None and clinic.end <= now:
            assert clinic.status.value == "done", clinic.id


@pytest.mark.parametrize("status", ["scheduled", "confirmed"])
def test_validate_says_to_mark_a_past_clinic_done(
    runner: CliRunner, project: Path, status: str
) -> None:
    path = project / "clinics" / "2023-02-21-copyright-clinic-awareness-education.toml"
    text = path.read_text("utf-8").replace('"done"', f'"{status}"')
    if status == "confirmed":
        text = text.replace(
            "# registration_url = ", 'registration_url = "https://example.org/r"\n# x = '
        )
    path.write_text(text, "utf-8")
    result = invoke(runner, "validate", "--json")
    assert result.exit_code == 0, result.output
    [item] = [i for i in json.loads(result.stdout) if i["id"] == path.stem]
    [warning] = item["warnings"]
    assert warning["field"] == "status" and warning["line"] == 13
    assert warning["message"] == (
        f"this clinic ended on 2023-02-21 at 17:00 UTC but its status is still '{status}': "
        'mark it done (status = "done"), or cancelled if it did not take place'
    )
    # Its start (15:00 UTC, night in ESEAP) is not warned about: the clinic is over.
    assert "outside" not in result.stdout


def test_validate_checks_the_hours_of_clinics_to_come(runner: CliRunner, project: Path) -> None:
    add_clinic(project, "2099-02-21-night-owls", "Night owls")
    path = project / "clinics" / "2099-02-21-night-owls.toml"
    path.write_text(path.read_text("utf-8").replace("T06:00", "T15:00"), "utf-8")
    result = invoke(runner, "validate", "--json")
    [item] = [i for i in json.loads(result.stdout) if i["id"] == path.stem]
    assert [w["field"] for w in item["warnings"]] == ["start"]
    assert "15:00-17:00 UTC is outside 08:00-21:00" in item["warnings"][0]["message"]
