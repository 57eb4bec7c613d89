"""Translated clinic text (issue 17): [translations.LANG] and the sharers' translations.LANG."""

from __future__ import annotations

import json
import shutil
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import invoke
from tests.messy.test_messy_exports import MESSY, SEED

CLINIC_FILE = f"clinics/{SEED}.toml"
JA_TITLE = "旅行奨学金のガイドライン、ベストプラクティス、学び"
JA_ROLE = "プログラム担当"


def add_text(project: Path, text: str) -> None:
    path = project / CLINIC_FILE
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def with_sharer_and_translation(project: Path, ja_title: bool = True) -> None:
    """The seed clinic with a sharer, a description, and (some) Japanese text."""
    path = project / CLINIC_FILE
    text = path.read_text(encoding="utf-8").replace(
        "[links]",
        'description = "How scholarships are given."\n\n'
        '[[sharers]]\nname = "Rina Sato"\nrole = "Program officer"\n'
        f'translations.ja.role = "{JA_ROLE}"\n\n[links]',
        1,
    )
    path.write_text(text, encoding="utf-8")
    if ja_title:
        add_text(project, f'\n[translations.ja]\ntitle = "{JA_TITLE}"\n')


def test_announce_uses_the_translation_and_names_what_fell_back(
    runner: CliRunner, project: Path
) -> None:
    with_sharer_and_translation(project)
    result = invoke(runner, "announce", SEED, "--lang", "ja", "--format", "text")
    assert result.exit_code == 0, result.output
    assert JA_TITLE in result.stdout and JA_ROLE in result.stdout
    assert "Guidelines, best practices" not in result.stdout
    assert "How scholarships are given." in result.stdout  # no translation: English stays
    assert f"note: {SEED} has no ja translation of description: left in English" in " ".join(
        result.stderr.split()
    )
    english = invoke(runner, "announce", SEED, "--format", "text")
    assert "Guidelines, best practices" in english.stdout and "has no" not in english.stderr


def test_all_langs_reports_fallbacks_per_language(runner: CliRunner, project: Path) -> None:
    with_sharer_and_translation(project)
    result = invoke(runner, "announce", SEED, "--all-langs", "-o", "out", "--format", "text")
    assert result.exit_code == 0, result.output
    assert JA_TITLE in (project / "out" / f"{SEED}.ja.txt").read_text(encoding="utf-8")
    notes = " ".join(result.stderr.split())
    assert "has no zh-Hant translation of title, description, sharers[1].role" in notes
    assert "has no en translation" not in notes


def test_translation_keys_match_written_forms() -> None:
    from letsconnect_cli.clinic.translations import find

    keys = {"zh-TW": "tw", "ja": "ja", "zh": "zh"}
    assert find(keys, "zh-Hant") == "tw"
    assert find(keys, "zh-Hans") == "zh"
    assert find(keys, "ja") == "ja"
    assert find({"en": 1}, "en-GB") == 1
    assert find({"zh": 1}, "zh-Hant") is None


def test_invitation_email_subject_and_calendar_summary(runner: CliRunner, project: Path) -> None:
    from tests.mail.conftest import set_clinic, upcoming

    set_clinic(
        project,
        start=upcoming(),
        status="confirmed",
        registration_url="https://meta.wikimedia.org/wiki/Event:Travel_scholarships_clinic",
    )
    with_sharer_and_translation(project)
    shutil.copytree(MESSY, project / "exports")
    args = ["invite", SEED, "--region", "ESEAP", "--registrations", "exports"]
    result = invoke(runner, *args, "--json", "--show-addresses")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["recipients"]
    summaries = {}
    for row in rows:
        message = message_from_bytes(Path(row["file"]).read_bytes(), policy=policy.default)
        calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        text = calendar.get_content()
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        unfolded = text.replace("\r\n ", "")
        summary = next(line for line in unfolded.splitlines() if line.startswith("SUMMARY:"))
        summaries[row["language"]] = (str(message["Subject"]), summary)
    subject, summary = summaries["ja"]
    assert JA_TITLE in subject and summary == f"SUMMARY:{JA_TITLE.replace(',', chr(92) + ',')}"
    assert "Guidelines" in summaries["en"][1]
    assert "Guidelines" in summaries["zh-Hant"][1]  # no zh-Hant title: the English stays


def test_a_translated_title_is_a_change_of_the_event() -> None:
    from letsconnect_cli.clinic.clinics import read_clinic_file
    from letsconnect_cli.invites.ics_event import event_content
    from tests.conftest import SEED_CLINICS

    clinic = read_clinic_file(SEED_CLINICS / f"{SEED}.toml").clinic
    assert clinic is not None
    before = event_content(clinic, uid=clinic.uid).fingerprint
    empty = clinic.model_copy(update={"translations": {}})
    assert event_content(empty, uid=clinic.uid).fingerprint == before
    from letsconnect_cli.clinic.models import TextTranslation

    changed = clinic.model_copy(update={"translations": {"ja": TextTranslation(title="題")}})
    assert event_content(changed, uid=clinic.uid).fingerprint != before


def test_validate_warns_about_untranslated_titles_of_confirmed_clinics(
    runner: CliRunner, project: Path
) -> None:
    from tests.mail.conftest import set_clinic

    set_clinic(project, status="confirmed", registration_url="https://example.org/register")
    result = invoke(runner, "validate", CLINIC_FILE, "--json")
    assert result.exit_code == 0
    (report,) = json.loads(result.stdout)
    (warning,) = [w for w in report["warnings"] if w["field"] == "translations"]
    assert "interpreted into ja, zh but has no title in them" in warning["message"]
    assert warning["line"] == 22
    add_text(project, '\n[translations.ja]\ntitle = "題"\n')
    (report,) = json.loads(invoke(runner, "validate", CLINIC_FILE, "--json").stdout)
    (warning,) = [w for w in report["warnings"] if w["field"] == "translations"]
    assert "interpreted into zh but" in warning["message"]
    set_clinic(project, status="scheduled")
    (report,) = json.loads(invoke(runner, "validate", CLINIC_FILE, "--json").stdout)
    assert not [w for w in report["warnings"] if w["field"] == "translations"]


def test_validate_rejects_unknown_language_keys(runner: CliRunner, project: Path) -> None:
    add_text(project, '\n[translations.japanese]\ntitle = "題"\n')
    result = invoke(runner, "validate", CLINIC_FILE)
    assert result.exit_code == 3
    assert "'japanese'" in result.stdout and "not a BCP 47 language tag" in result.stdout


def test_new_clinic_translate_writes_fields_to_fill(runner: CliRunner, empty_project: Path) -> None:
    result = invoke(
        runner,
        "new-clinic",
        "--title",
        "Lexemes",
        "--status",
        "proposed",
        "--sharer",
        "Rina Sato||Program officer",
        "--translate",
        "ja",
        "--no-input",
        "--json",
    )
    assert result.exit_code == 0, result.output
    path = Path(json.loads(result.stdout)["path"])
    text = path.read_text(encoding="utf-8")
    assert "[translations.ja]\n# title = " in text
    assert '# translations.ja.role = "the role in ja"' in text
    from letsconnect_cli.clinic.clinics import read_clinic_file

    clinic = read_clinic_file(path).clinic
    assert clinic is not None and set(clinic.translations) == {"ja"}
    bad = invoke(runner, "new-clinic", "--title", "X", "--status", "proposed", "--translate", "xx")
    assert bad.exit_code == 2


def test_new_clinic_translate_asks_on_a_terminal(
    runner: CliRunner, empty_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from letsconnect_cli.cli import prompts

    monkeypatch.setattr(prompts, "stdin_is_interactive", lambda: True)
    # status, duration, category, regions, language, interpretation, registration, description
    answers = "\n" * 8 + "\n".join([JA_TITLE, JA_ROLE]) + "\n"
    result = invoke(
        runner,
        "new-clinic",
        "--title",
        "Lexemes",
        "--start",
        "2027-06-21T06:00Z",
        "--sharer",
        "Rina Sato||Program officer",
        "--translate",
        "ja",
        "--json",
        input=answers,
    )
    assert result.exit_code == 0, result.output
    path = Path(json.loads(result.stdout[result.stdout.index("{") :])["path"])
    from letsconnect_cli.clinic.clinics import read_clinic_file

    clinic = read_clinic_file(path).clinic
    assert clinic is not None
    assert clinic.translations["ja"].title == JA_TITLE
    assert clinic.sharers[0].translations["ja"].role == JA_ROLE


def test_list_lang_shows_translated_titles(runner: CliRunner, project: Path) -> None:
    add_text(project, f'\n[translations.ja]\ntitle = "{JA_TITLE}"\n')
    result = invoke(runner, "list", "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert JA_TITLE[:8] in result.stdout
    assert "*" in result.stdout and "have no ja translation" in result.stderr
    data = json.loads(invoke(runner, "list", "--lang", "ja", "--json").stdout)
    titles = {c["id"]: c["title_translated"] for c in data}
    assert titles[SEED] == JA_TITLE
    assert titles["2023-01-14-building-a-wikimedia-affiliate-group"] is None
    assert all(c["title"] for c in data)
