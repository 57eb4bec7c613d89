"""The send log: keyed hashes only, a private git-ignored folder, crash-torn lines, one run at a
time, and a key that cannot be swapped or lost silently."""

from __future__ import annotations

import hashlib
import hmac
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.errors import InputUnreadable, UsageError
from letsconnect_cli.mail.sendlog import SendLog, Sent
from tests.mail.conftest import FIRST_ESEAP, SEED_UID, invite_args, lc, set_smtp
from tests.mail.smtpserver import SmtpServer


def _entry(log: SendLog, address: str, sequence: int = 0) -> Sent:
    return Sent(
        uid=SEED_UID,
        clinic="c",
        recipient=log.hash(address),
        sequence=sequence,
        method="REQUEST",
        kind="new",
        time=datetime(2030, 1, 1, tzinfo=UTC),
        message_id="<x.invite@example.org>",
    )


def test_the_folder_is_private_and_ignored_by_git(tmp_path: Path) -> None:
    folder = tmp_path / ".lc-mail"
    log = SendLog.open(folder, create=True)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "key").stat().st_mode) == 0o600
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    log.append(_entry(log, "someone@example.org"))
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600


def test_recipients_are_keyed_hashes_of_the_lower_cased_address(tmp_path: Path) -> None:
    log = SendLog.open(tmp_path / "state", create=True)
    key = bytes.fromhex((tmp_path / "state" / "key").read_text().strip())
    expected = hmac.new(key, b"someone@example.org", hashlib.sha256).hexdigest()
    assert log.hash(" SomeOne@Example.org ") == expected
    assert log.hash("someone@example.org") != hashlib.sha256(b"someone@example.org").hexdigest()
    assert key.hex() not in repr(log)


@pytest.mark.integration
def test_a_sending_run_leaves_no_address_in_the_state_folder(
    runner: CliRunner, mail_project: Path
) -> None:
    with SmtpServer() as server:
        set_smtp(mail_project, host="127.0.0.1", port=server.port, security="none", rate_limit=0)
        lc(runner, *invite_args("--send"))
    folder = mail_project / ".lc-mail"
    text = "".join(p.read_text() for p in folder.iterdir() if p.is_file()).lower()
    for address in FIRST_ESEAP:
        assert address not in text
        assert address.split("@")[0] not in text
    lines = [json.loads(line) for line in (folder / "sent.jsonl").read_text().splitlines()]
    assert len(lines) == 6
    assert set(lines[0]) == {
        "format",
        "key",
        "uid",
        "clinic",
        "recipient",
        "sequence",
        "method",
        "kind",
        "time",
        "message_id",
    }
    assert {line["sequence"] for line in lines} == {0} and {line["method"] for line in lines} == {
        "REQUEST"
    }
    # nothing about these people is in the clinics folder (which is committed)
    clinics = "".join(p.read_text() for p in (mail_project / "clinics").iterdir()).lower()
    assert not any(address in clinics for address in FIRST_ESEAP)


def test_a_line_torn_by_a_crash_is_ignored_then_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    log = SendLog.open(folder, create=True)
    log.append(_entry(log, "a@example.org"))
    with log.path.open("a") as handle:
        handle.write('{"format":1,"key":"')  # the process died here
    again = SendLog.open(folder, create=True)
    assert again.torn == 1 and len(again.entries) == 1
    again.append(_entry(again, "b@example.org"))
    third = SendLog.open(folder, create=True)
    assert third.torn == 0 and len(third.entries) == 2


def test_a_damaged_line_in_the_middle_is_an_error_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    log = SendLog.open(folder, create=True)
    log.append(_entry(log, "a@example.org"))
    text = log.path.read_text()
    log.path.write_text("not json\n" + text)
    with pytest.raises(InputUnreadable, match="line 1"):
        SendLog.open(folder, create=True)


def test_a_lost_or_replaced_key_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    log = SendLog.open(folder, create=True)
    log.append(_entry(log, "a@example.org"))
    key = folder / "key"
    original = key.read_text()
    key.write_text("ab" * 32 + "\n")
    with pytest.raises(InputUnreadable, match="another key"):
        SendLog.open(folder, create=True)
    key.unlink()
    with pytest.raises(InputUnreadable, match=r"key .* is missing"):
        SendLog.open(folder, create=False)
    key.write_text(original)
    assert len(SendLog.open(folder, create=True).entries) == 1


def test_a_dry_run_creates_nothing(tmp_path: Path) -> None:
    log = SendLog.open(tmp_path / "state", create=False)
    assert not (tmp_path / "state").exists() and not log.stored
    with pytest.raises(RuntimeError):
        log.append(_entry(log, "a@example.org"))


def test_one_sending_run_at_a_time(tmp_path: Path) -> None:
    first = SendLog.open(tmp_path / "state", create=True)
    second = SendLog.open(tmp_path / "state", create=True)
    with first.lock(), pytest.raises(UsageError, match="another lc run"), second.lock():
        pass
    with second.lock():
        pass
