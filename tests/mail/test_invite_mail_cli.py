"""`lc invite ... --registrations`: the dry run, .eml files (golden), languages, JSON, errors.

Golden files: tests/data/mail/golden/. Regenerate them, after checking the change is wanted, with
    LC_UPDATE_GOLDEN=1 pytest tests/mail/test_invite_mail_cli.py
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import DATA, Golden
from tests.mail.conftest import (
    FIRST_ESEAP,
    LATE_ESEAP,
    LATE_UNKNOWN_COUNTRY,
    SEED_ID,
    add_late_exports,
    check_invitation,
    invite_args,
    lc,
    set_clinic,
)

GOLDEN = DATA / "mail" / "golden"
#: A fixed send-log key, so that hashes, file names and Message-IDs are the same on every run.
KEY = "5f" * 32
GOLDEN_START = datetime(2099, 4, 5, 6, tzinfo=UTC)  # a Sunday, far enough ahead


def _fixed_key(project: Path) -> None:
    folder = project / ".lc-mail"
    folder.mkdir()
    (folder / "key").write_text(KEY + "\n")


def _emls(project: Path) -> dict[str, bytes]:
    folder = project / "invites" / SEED_ID / "mail"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.eml"))}


def test_dry_run_counts_by_country_and_writes_nothing(
    runner: CliRunner, mail_project: Path
) -> None:
    result = lc(runner, *invite_args("--dry-run"))
    out = result.stdout
    assert "FJ Fiji" in out and "PH Philippines" in out and "JP Japan" in out
    assert "not invited: 4 in other regions" in out
    assert "@" not in out  # no address, not even masked, without --show-addresses
    assert "dry run: nothing was sent or written" in result.stderr
    assert not (mail_project / ".lc-mail").exists()
    assert not (mail_project / "invites").exists()
    assert not (mail_project / "clinics" / ".lc-issued.toml").exists()
    shown = lc(runner, *invite_args("--dry-run", "--show-addresses")).stdout
    for address in FIRST_ESEAP:
        assert address in shown


def test_dry_run_json(runner: CliRunner, mail_project: Path) -> None:
    add_late_exports(mail_project)
    data = json.loads(lc(runner, *invite_args("--dry-run", "--json")).stdout)
    assert data["mode"] == "dry-run" and data["method"] == "REQUEST" and data["sequence"] == 0
    assert data["counts"] == {"new": 12, "update": 0, "cancel": 0, "current": 0}
    assert data["by_country"]["FJ"]["new"] == 3
    assert data["unknown_country"] == 1  # Noel gave no country: invited, and counted
    assert data["by_country"][""]["new"] == 1
    assert data["not_invited"] == {
        "outside_region": 5,  # GH RO EG TZ IN
        "no_country": 0,
        "without_address": 1,
        "without_address_meta_wiki": 0,
        "bad_address": 1,
        "never_invited": 0,
    }
    rows = data["recipients"]
    assert {row["outcome"] for row in rows} == {"would send"}
    assert all(row["address"].count("***") == 2 for row in rows)
    languages = {row["address"]: row["language"] for row in rows}
    assert languages["h***@e***.jp"] == "ja"  # preferred language
    assert languages["m***@e***.tw"] == "zh-Hant"  # preferred, over the interpretation asked
    assert languages["s***@e***.th"] == "th"  # French preferred, no labels: interpretation
    assert languages["a***@e***.net"] == "vi"
    shown = json.loads(lc(runner, *invite_args("--dry-run", "--json", "--show-addresses")).stdout)
    assert {row["address"] for row in shown["recipients"]} == (
        FIRST_ESEAP | LATE_ESEAP | LATE_UNKNOWN_COUNTRY
    )


def test_eml_files_match_the_golden_files(
    runner: CliRunner, mail_project: Path, monkeypatch: pytest.MonkeyPatch, golden: Golden
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1680000000")
    set_clinic(mail_project, start=GOLDEN_START)
    _fixed_key(mail_project)
    result = lc(runner, *invite_args())
    assert "nothing was sent" in result.stderr
    files = _emls(mail_project)
    assert len(files) == 6
    by_recipient = {}
    for name, data in files.items():
        assert "@" not in name and name.endswith("-request-0.eml")
        message = check_invitation(
            data, data.split(b"\r\nTo: ")[1].split(b"\r\n")[0].decode(), "REQUEST", 0
        )
        by_recipient[str(message["message"]["To"])] = (name, data, message)
    name, data, checked = by_recipient["ioana.fifita205@example.org"]
    assert checked["language"] == "ja"
    assert "このクリニックにご登録いただいたため" in checked["text"]
    golden(GOLDEN / "request-ja.eml", data)
    name, data, checked = by_recipient["jose.iyer201@example.org"]
    assert checked["language"] == "id"
    golden(GOLDEN / "request-id.eml", data)
    # the folder keeps git away from the addresses
    assert (mail_project / "invites" / SEED_ID / "mail" / ".gitignore").read_text().endswith("*\n")
    # the same run again writes the same bytes
    again = lc(runner, *invite_args())
    assert "(6 unchanged)" in again.stderr
    assert _emls(mail_project) == files


@pytest.mark.integration
def test_cancelled_eml_matches_the_golden_file(
    runner: CliRunner, mail_project: Path, monkeypatch: pytest.MonkeyPatch, golden: Golden
) -> None:
    """A cancellation goes to those a log says were invited: send first, then cancel."""
    from tests.mail.conftest import set_smtp
    from tests.mail.smtpserver import SmtpServer

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1680000000")
    set_clinic(mail_project, start=GOLDEN_START)
    _fixed_key(mail_project)
    with SmtpServer() as server:
        set_smtp(mail_project, host="127.0.0.1", port=server.port, security="none", rate_limit=0)
        lc(runner, *invite_args("--send"))
    set_clinic(mail_project, status="cancelled")
    lc(runner, *invite_args())
    files = _emls(mail_project)
    assert len(files) == 6 and all(name.endswith("-cancel-1.eml") for name in files)
    for data in files.values():
        recipient = data.split(b"\r\nTo: ")[1].split(b"\r\n")[0].decode()
        checked = check_invitation(data, recipient, "CANCEL", 1)
        if recipient == "lani.iyer202@example.org":
            assert checked["language"] == "en"
            assert "This clinic has been cancelled." in checked["text"]
            assert "because you were invited" in checked["text"]
            assert str(checked["message"]["Subject"]).startswith("Cancelled: ")
            golden(GOLDEN / "cancel-en.eml", data)


def test_an_eml_file_lc_did_not_write_is_kept_without_force(
    runner: CliRunner, mail_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1680000000")
    _fixed_key(mail_project)
    lc(runner, *invite_args())
    path = next((mail_project / "invites" / SEED_ID / "mail").glob("*.eml"))
    path.write_text("my own notes\n")
    result = lc(runner, *invite_args(), code=2)
    assert "was not written by lc" in result.stderr and "--force" in result.stderr
    assert path.read_text() == "my own notes\n"
    lc(runner, *invite_args("--force"))
    assert path.read_bytes().startswith(b"From: ")


def test_out_folder(runner: CliRunner, mail_project: Path) -> None:
    lc(runner, *invite_args("--out", "outbox", "--json"))
    assert len(list((mail_project / "outbox").glob("*.eml"))) == 6


def test_eml_files_are_not_recorded_as_sent(runner: CliRunner, mail_project: Path) -> None:
    lc(runner, *invite_args())
    assert not (mail_project / ".lc-mail" / "sent.jsonl").exists()
    data = json.loads(lc(runner, *invite_args("--dry-run", "--json")).stdout)
    assert data["counts"]["new"] == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["invite", SEED_ID, "--registrations", "exports"], "give --region"),
        (["invite", "--region", "ESEAP", "--registrations", "exports"], "exactly one CLINIC_ID"),
        (
            [
                "invite",
                SEED_ID,
                "2023-01-14-building-a-wikimedia-affiliate-group",
                "--region",
                "ESEAP",
                "--registrations",
                "exports",
            ],
            "exactly one CLINIC_ID",
        ),
        (invite_args("--send", "--dry-run"), "exclude each other"),
        (invite_args("--send", "--out", "x"), "--out is the folder of .eml files"),
        (["invite", SEED_ID, "--send"], "go with --registrations"),
        (["invite", SEED_ID, "--show-addresses"], "go with --registrations"),
        (
            ["invite", SEED_ID, "--region", "ESAEP", "--registrations", "exports"],
            "Did you mean 'ESEAP'",
        ),
        (
            ["invite", SEED_ID, "--region", "MEA", "--region", "SSA", "--registrations", "exports"],
            "one scheme",
        ),
    ],
)
def test_usage_errors(runner: CliRunner, mail_project: Path, args: list[str], message: str) -> None:
    result = lc(runner, *args, code=2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_clinic_that_started_or_has_no_date_is_refused(runner: CliRunner, project: Path) -> None:
    (project / "exports").mkdir()
    (project / "exports" / "r.csv").write_bytes(
        (DATA / "exports" / "google-forms-registration.csv").read_bytes()
    )
    result = lc(runner, *invite_args("--dry-run"), code=2)
    assert "started on 2023-04-02 06:00 UTC" in result.stderr
    args = ["invite", "proposed-wiktionary-and-lexemes-on-wikidata", "--region", "ESEAP"]
    result = lc(runner, *args, "--registrations", "exports", code=2)
    assert "no date yet" in result.stderr


def test_missing_or_unreadable_exports(runner: CliRunner, mail_project: Path) -> None:
    result = lc(
        runner, "invite", SEED_ID, "--region", "ESEAP", "--registrations", "nope.csv", code=4
    )
    assert "no such file or folder" in result.stderr
    (mail_project / "bad.csv").write_text("a,b\n1,2\n")
    result = lc(
        runner, "invite", SEED_ID, "--region", "ESEAP", "--registrations", "bad.csv", code=4
    )
    assert "unrecognised export" in result.stderr


def test_grant_committee_region(runner: CliRunner, mail_project: Path) -> None:
    data = json.loads(
        lc(
            runner,
            "invite",
            SEED_ID,
            "--region",
            "MEA",
            "--registrations",
            "exports",
            "--dry-run",
            "--json",
        ).stdout
    )
    assert data["regions"] == ["MEA"]
    assert set(data["by_country"]) == {"EG", "GH", "TZ"}
