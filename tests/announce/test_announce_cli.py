"""`lc announce` as a user runs it: templates (user overrides, --template, the sandbox, errors with
template and line), output files (-o, --force, --all-langs), languages, regions, --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import invoke

CLINIC = "2023-04-02-travel-scholarships"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_stdout_holds_the_announcement_and_stderr_the_notes(runner, project):
    result = invoke(runner, "announce", CLINIC, "--lang", "ja", "--format", "text")
    assert result.exit_code == 0
    assert result.stdout.startswith("Let's Connect ラーニング・クリニック: Guidelines")
    notes = result.stderr.splitlines()
    assert notes[0] == "note: the ja labels are awaiting review by native speakers"
    # The clinic's own text has no Japanese translation: the English stays, and lc says so.
    assert notes[1].startswith(f"note: {CLINIC} has no ja translation of title: left in English")
    assert len(notes) == 2


def test_the_default_is_wikitext_in_the_clinics_language(runner, project):
    result = invoke(runner, "announce", CLINIC)
    assert result.exit_code == 0 and result.stdout.startswith('<div lang="en" dir="ltr">\n== ')
    assert result.stderr == ""


def test_json_is_one_document(runner, project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1679270400")
    result = invoke(
        runner,
        "announce",
        CLINIC,
        "--format",
        "email",
        "--lang",
        "zh-TW",
        "--to",
        "list@example.org",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["clinic"] == CLINIC and data["format"] == "email" and data["lang"] == "zh-Hant"
    assert data["template"] == "package:announce/email.j2" and data["path"] is None
    assert data["review_status"] == "awaiting review by native speakers"
    assert data["subject"].startswith("Let's Connect 學習診所: Guidelines")
    assert (
        "To: list@example.org\r\n" in data["text"]
        and "Date: Mon, 20 Mar 2023 00:00:00 +0000\r\n" in data["text"]
    )


def test_a_users_template_overrides_the_packaged_one_by_name(runner, project):
    write(
        project / "templates" / "announce" / "text.j2",
        "{{ _('Date:') }} {{ when.date }} | {{ clinic.title }}\n",
    )
    result = invoke(runner, "announce", CLINIC, "-F", "text", "--lang", "ko", "--json")
    data = json.loads(result.stdout)
    assert (
        data["text"]
        == "날짜: 2023년 4월 2일 (일) | Guidelines, best practices, and documented learnings "
        "related to travel scholarships\n"
    )
    assert Path(data["template"]).resolve() == project / "templates" / "announce" / "text.j2"
    # The email body includes text.j2 by name: the override applies there too.
    result = invoke(runner, "announce", CLINIC, "-F", "email")
    assert result.exit_code == 0 and "| Guidelines" in result.stdout


def test_the_templates_folder_can_be_configured(runner, project):
    write(project / "my-templates" / "announce" / "markdown.j2", "# {{ clinic.title }}\n")
    with (project / "lc.toml").open("a") as config:
        config.write('\n[announce]\ntemplates_dir = "my-templates"\n')
    result = invoke(runner, "announce", CLINIC, "-F", "markdown")
    assert (
        result.stdout
        == "# Guidelines, best practices, and documented learnings related to travel scholarships\n"
    )


def test_a_template_file_can_include_the_packaged_ones(runner, project):
    custom = write(
        project / "short.j2",
        "{{ clinic.title }}\n{{ when.line }}\n---\n{% include 'announce/text.j2' %}",
    )
    result = invoke(runner, "announce", CLINIC, "--template", str(custom), "-F", "markdown")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("Sunday, 2 April 2023, 06:00") and lines[2] == "---"


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__[1].__subclasses__()",
        "clinic.__class__",
        "cycler.__init__.__globals__.os",
        "_.__globals__",
        "lipsum.__globals__['os'].popen('id').read()",
    ],
)
def test_the_sandbox_refuses_python_internals(runner, project, expression):
    evil = write(project / "evil.j2", f"line one\n{{{{ {expression} }}}}\n")
    result = invoke(runner, "announce", CLINIC, "--template", str(evil))
    assert result.exit_code == 3
    assert f"{evil}:2:" in result.stderr
    assert "unsafe" in result.stderr or "undefined" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_an_unknown_variable_names_the_template_and_line(runner, project):
    override = write(
        project / "templates" / "announce" / "wikitext.j2",
        "{{ clinic.title }}\n\n{{ clinic.speaker }}\n",
    )
    result = invoke(runner, "announce", CLINIC)
    assert result.exit_code == 3
    shown = override.relative_to(project)  # paths are shown relative to the working folder
    assert (
        f"lc: error: template {shown} failed\n"
        f"  {shown}:3: 'dict object' has no attribute 'speaker'" in result.stderr
    )


def test_an_unknown_variable_in_an_included_template_names_that_template(runner, project):
    write(project / "templates" / "announce" / "part.j2", "ok\n{{ nothing_here }}\n")
    custom = write(project / "main.j2", "{% include 'announce/part.j2' %}\n")
    result = invoke(runner, "announce", CLINIC, "--template", str(custom))
    assert result.exit_code == 3 and "part.j2:2: 'nothing_here' is undefined" in result.stderr


def test_a_syntax_error_names_the_line(runner, project):
    broken = write(project / "broken.j2", "fine\n{% for x in %}\n")
    result = invoke(runner, "announce", CLINIC, "--template", str(broken))
    assert result.exit_code == 3 and f"{broken}:2:" in result.stderr


def test_a_syntax_error_in_an_included_template_names_that_template(runner, project):
    write(project / "templates" / "announce" / "part.j2", "ok\n\n{% if %}\n")
    custom = write(project / "main.j2", "{% include 'announce/part.j2' %}\n")
    result = invoke(runner, "announce", CLINIC, "--template", str(custom))
    assert result.exit_code == 3, result.stderr
    assert "template " in result.stderr and "part.j2 has a syntax error" in result.stderr
    assert "part.j2:3:" in result.stderr and "Traceback" not in result.stderr


def test_an_include_of_a_missing_template_says_how_to_name_one(runner, project):
    custom = write(project / "main.j2", "{{ clinic.title }}\n{% include 'announce/nope.j2' %}\n")
    result = invoke(runner, "announce", CLINIC, "--template", str(custom))
    assert result.exit_code == 4, result.stderr
    assert "template announce/nope.j2 not found" in result.stderr
    assert "include or extend packaged ones by name" in result.stderr and result.stdout == ""


def test_a_missing_template_file_is_exit_4(runner, project):
    result = invoke(runner, "announce", CLINIC, "--template", "nope.j2")
    assert result.exit_code == 4 and "template nope.j2 does not exist" in result.stderr


def test_output_file_is_written_once_then_needs_force(runner, project):
    result = invoke(runner, "announce", CLINIC, "-F", "html", "-o", "out/clinic.html")
    assert result.exit_code == 0 and result.stdout == ""
    first = (project / "out" / "clinic.html").read_text()
    assert first.startswith("<!DOCTYPE html>")
    result = invoke(runner, "announce", CLINIC, "-F", "text", "-o", "out/clinic.html")
    assert (
        result.exit_code == 2 and "already exists" in result.stderr and "--force" in result.stderr
    )
    assert (project / "out" / "clinic.html").read_text() == first
    assert (
        invoke(
            runner, "announce", CLINIC, "-F", "text", "-o", "out/clinic.html", "--force"
        ).exit_code
        == 0
    )
    assert (
        (project / "out" / "clinic.html").read_text().startswith("Let's Connect Learning Clinic:")
    )
    assert [p.name for p in (project / "out").iterdir()] == [
        "clinic.html"
    ]  # no temporary files left


def test_all_langs_writes_one_file_per_language(runner, project):
    result = invoke(
        runner, "announce", CLINIC, "--all-langs", "-F", "markdown", "-o", "ann", "--json"
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [f["lang"] for f in data["files"]] == ["en", "ja", "zh-Hans", "zh-Hant"]
    names = sorted(p.name for p in (project / "ann").iterdir())
    assert names == [f"{CLINIC}.{lang}.md" for lang in ("en", "ja", "zh-Hans", "zh-Hant")]
    assert "简体" not in (project / "ann" / f"{CLINIC}.zh-Hans.md").read_text()
    assert "学习诊所" in (project / "ann" / f"{CLINIC}.zh-Hans.md").read_text()
    assert "學習診所" in (project / "ann" / f"{CLINIC}.zh-Hant.md").read_text()
    again = invoke(runner, "announce", CLINIC, "--all-langs", "-F", "markdown", "-o", "ann")
    assert again.exit_code == 2 and "4 of the files exist already" in again.stderr


def test_all_langs_defaults_to_the_announcements_folder(runner, project):
    assert invoke(runner, "announce", CLINIC, "--all-langs", "-F", "email").exit_code == 0
    assert len(list((project / "announcements").glob(f"{CLINIC}.*.eml"))) == 4


def test_a_language_without_catalog_warns_and_uses_english_labels(runner, project):
    result = invoke(runner, "announce", CLINIC, "--lang", "fr", "-F", "text")
    assert result.exit_code == 0
    assert "Duration: 2\u00a0heures" in result.stdout and "dimanche 2 avril 2023" in result.stdout
    assert "lc has no labels in 'fr' yet" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--lang", "xx"], 2, "lc: error: --lang: 'xx' is not an ISO 639 language code"),
        (["--lang", "xx-TW"], 2, "--lang: 'xx-TW': 'xx' is not an ISO 639"),
        (["--lang", "ja", "--all-langs"], 2, "exclude each other"),
        (["--to", "a@example.org"], 2, "--to is for --format email"),
        (["--region", "XYZ"], 2, "unknown region 'XYZ'"),
    ],
)
def test_bad_options_are_usage_errors(runner, project, args, code, message):
    result = invoke(runner, "announce", CLINIC, *args)
    assert result.exit_code == code and message in result.stderr


def test_a_proposed_clinic_has_nothing_to_announce(runner, project):
    result = invoke(runner, "announce", "proposed-wiktionary-and-lexemes-on-wikidata")
    assert result.exit_code == 2 and "has no date yet" in result.stderr


def test_an_unknown_clinic_suggests_close_ids(runner, project):
    result = invoke(runner, "announce", "2023-04-02-travle")
    assert result.exit_code == 2 and "Did you mean 2023-04-02-travel-scholarships" in result.stderr


def test_email_needs_a_from_address(runner, project):
    (project / "lc.toml").write_text('clinics_dir = "clinics"\n')
    result = invoke(runner, "announce", CLINIC, "-F", "email")
    assert result.exit_code == 2 and "[organiser] email" in result.stderr


def test_another_region_gives_its_main_cities(runner, project):
    result = invoke(runner, "announce", CLINIC, "-F", "text", "--region", "LAC")
    line = result.stdout.splitlines()[1]
    # Mexico City has kept UTC-06:00 all year since 2022: midnight, still Sunday.
    assert line.endswith(
        "UTC · 00:00 Mexico City · 01:00 Bogotá · 03:00 São Paulo · 03:00 Buenos Aires"
    )


def test_main_cities_come_from_the_configuration(runner, project):
    with (project / "lc.toml").open("a") as config:
        config.write('\n[regions.ESEAP]\nmain_cities = ["Pacific/Auckland", "Asia/Seoul"]\n')
    line = invoke(runner, "announce", CLINIC, "-F", "text").stdout.splitlines()[1]
    assert line.endswith(
        "UTC · 18:00 Auckland (clocks go back 1 hour at 03:00 on Sun, 2 Apr) · 15:00 Seoul"
    )


def test_a_clinic_without_region_shows_utc_only(runner, project):
    path = project / "clinics" / f"{CLINIC}.toml"
    path.write_text(path.read_text().replace('regions = ["ESEAP"]', "regions = []"))
    (project / "lc.toml").write_text('[organiser]\nemail = "team@example.org"\n')
    result = invoke(runner, "announce", CLINIC, "-F", "text")
    assert result.stdout.splitlines()[1] == "Sunday, 2 April 2023, 06:00\u2009\u2013\u200908:00 UTC"
    assert "times in UTC only" in result.stderr


def test_a_city_on_another_day_shows_its_weekday(runner, project):
    with (project / "lc.toml").open("a") as config:
        config.write(
            '\n[regions.ESEAP]\nmain_cities = ["Pacific/Honolulu", "Pacific/Kiritimati"]\n'
        )
    line = invoke(runner, "announce", CLINIC, "-F", "text").stdout.splitlines()[1]
    assert line.endswith("UTC · Sat 20:00 Honolulu · 20:00 Kiritimati")
