"""Sending invitations to a real SMTP server on loopback (aiosmtpd): the first run, reruns,
a server that stops taking messages, refused recipients, a reschedule, a cancellation."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.mail.conftest import (
    FIRST_ESEAP,
    LATE_ESEAP,
    LATE_UNKNOWN_COUNTRY,
    add_late_exports,
    check_invitation,
    invite_args,
    lc,
    set_clinic,
    set_smtp,
    upcoming,
)
from tests.mail.smtpserver import Behaviour, SmtpServer

#: Every test here runs a real SMTP server on loopback (tests/mail/smtpserver.py).
pytestmark = pytest.mark.integration


def _use(project: Path, server: SmtpServer, **extra: object) -> None:
    set_smtp(project, host="127.0.0.1", port=server.port, security="none", rate_limit=0, **extra)


def _recipients(server: SmtpServer) -> Counter[str]:
    counts: Counter[str] = Counter()
    for captured in server.messages:
        assert len(captured.rcpt_tos) == 1
        counts[captured.rcpt_tos[0]] += 1
    return counts


def test_first_run_invites_each_registrant_of_the_region_once(
    runner: CliRunner, mail_project: Path
) -> None:
    with SmtpServer() as server:
        _use(mail_project, server)
        result = lc(runner, *invite_args("--send", "--json"))
        assert _recipients(server) == Counter(FIRST_ESEAP)
        for captured in server.messages:
            (recipient,) = captured.rcpt_tos
            assert captured.mail_from == "letsconnectteam@wikimedia.org"
            check_invitation(captured.data, recipient, "REQUEST", 0)
        data = json.loads(result.stdout)
        assert data["counts"] == {"new": 6, "update": 0, "cancel": 0, "current": 0}
        assert data["sent"] == 6 and data["not_sent"] == 0
        assert all("***" in row["address"] for row in data["recipients"])
        for address in FIRST_ESEAP:
            assert address not in result.stdout + result.stderr
        # a second run sends nothing: everyone is up to date
        again = lc(runner, *invite_args("--send", "--json"))
        assert len(server.messages) == 6
        assert json.loads(again.stdout)["counts"]["current"] == 6


def test_a_server_that_stops_after_n_messages_then_a_second_run(
    runner: CliRunner, mail_project: Path
) -> None:
    behaviour = Behaviour(refuse_after=2)
    with SmtpServer(behaviour=behaviour) as server:
        _use(mail_project, server)
        result = lc(runner, *invite_args("--send"), code=5)
        assert len(server.messages) == 2
        assert "4 of 6 message(s) were not sent" in result.stderr
        assert "421" in result.stdout
        behaviour.refuse_after = None
        lc(runner, *invite_args("--send"))
        assert _recipients(server) == Counter(FIRST_ESEAP)  # each exactly once


def test_refused_recipients_are_reported_and_the_run_goes_on(
    runner: CliRunner, mail_project: Path
) -> None:
    behaviour = Behaviour(
        refuse={"ravi.mwangi203@example.org"}, defer={"siti.haddad209@example.org"}
    )
    with SmtpServer(behaviour=behaviour) as server:
        _use(mail_project, server)
        result = lc(runner, *invite_args("--send", "--json"), code=5)
        assert _recipients(server) == Counter(
            FIRST_ESEAP - {"ravi.mwangi203@example.org", "siti.haddad209@example.org"}
        )
        rows = {row["outcome"] for row in json.loads(result.stdout)["recipients"]}
        assert rows == {"sent", "refused", "deferred"}
        assert "ravi.mwangi203" not in result.stdout  # the server's reply is masked
        behaviour.refuse.clear()
        behaviour.defer.clear()
        lc(runner, *invite_args("--send"))
        assert _recipients(server) == Counter(FIRST_ESEAP)


def test_reschedule_sends_updates_to_those_invited_and_first_invites_to_new_registrants(
    runner: CliRunner, mail_project: Path
) -> None:
    with SmtpServer() as server:
        _use(mail_project, server)
        lc(runner, *invite_args("--send"))
        set_clinic(mail_project, start=upcoming(52))
        add_late_exports(mail_project)
        dry = json.loads(lc(runner, *invite_args("--dry-run", "--json")).stdout)
        assert dry["counts"] == {"new": 6, "update": 6, "cancel": 0, "current": 0}
        assert dry["unknown_country"] == 1
        assert len(server.messages) == 6
        lc(runner, *invite_args("--send"))
        later = server.messages[6:]
        assert Counter(m.rcpt_tos[0] for m in later) == Counter(
            FIRST_ESEAP | LATE_ESEAP | LATE_UNKNOWN_COUNTRY
        )
        for captured in later:
            (recipient,) = captured.rcpt_tos
            # updates and first invitations alike carry the current SEQUENCE
            checked = check_invitation(captured.data, recipient, "REQUEST", 1)
            assert checked["event"].decoded("DTSTART") == upcoming(52)
            subject = str(checked["message"]["Subject"])
            if recipient == "lani.iyer202@example.org":  # English: no language asked for
                assert subject.startswith("Updated invitation: ")
                assert "This invitation has been updated" in checked["text"]
            if recipient == "mele.taufa301@example.org":  # asked for Japanese interpretation
                assert subject.startswith("招待: ") and checked["language"] == "ja"
        # the .ics files of `lc invite` carry the same SEQUENCE
        lc(runner, "invite", "2023-04-02-travel-scholarships")
        ics = (mail_project / "invites" / "2023-04-02-travel-scholarships.ics").read_bytes()
        assert b"\r\nSEQUENCE:1\r\n" in ics


def test_cancel_goes_to_everyone_invited_and_only_to_them(
    runner: CliRunner, mail_project: Path
) -> None:
    with SmtpServer() as server:
        _use(mail_project, server)
        lc(runner, *invite_args("--send"))
        set_clinic(mail_project, status="cancelled")
        add_late_exports(mail_project)
        (mail_project / "exports" / "registrations.csv").write_text(
            "\n".join(
                line
                for line in (mail_project / "exports" / "registrations.csv")
                .read_text()
                .splitlines()
                if "ana.popescu210" not in line
            )
            + "\n"
        )
        result = json.loads(lc(runner, *invite_args("--send", "--json")).stdout)
        assert result["counts"]["cancel"] == 5
        assert result["unreachable"] == 1  # Ana was invited, and is no longer in the exports
        assert result["not_invited"]["never_invited"] >= 5
        cancels = server.messages[6:]
        assert Counter(m.rcpt_tos[0] for m in cancels) == Counter(
            FIRST_ESEAP - {"ana.popescu210@example.org"}
        )
        for captured in cancels:
            check_invitation(captured.data, captured.rcpt_tos[0], "CANCEL", 1)
        lc(runner, *invite_args("--send"))
        assert len(server.messages) == 11  # nothing twice


def test_a_refused_sender_stops_the_run_at_once(runner: CliRunner, mail_project: Path) -> None:
    with SmtpServer(behaviour=Behaviour(refuse_sender=True)) as server:
        _use(mail_project, server)
        result = lc(runner, *invite_args("--send", "--json"), code=5)
        rows = json.loads(result.stdout)["recipients"]
        assert [row["outcome"] for row in rows] == ["failed"] + ["not sent"] * 5
        assert "refuses the sender letsconnectteam@wikimedia.org" in rows[1]["detail"]
        assert server.messages == []


def test_too_many_failures_in_a_row_stop_the_run(runner: CliRunner, mail_project: Path) -> None:
    add_late_exports(mail_project)
    with SmtpServer(behaviour=Behaviour(reject_data=True)) as server:
        _use(mail_project, server)
        result = lc(runner, *invite_args("--send", "--json"), code=5)
        outcomes = [row["outcome"] for row in json.loads(result.stdout)["recipients"]]
        assert outcomes[:5] == ["failed"] * 5 and set(outcomes[5:]) == {"not sent"}
        assert "0 of 12 message(s) were sent" not in result.stderr
        assert "12 of 12 message(s) were not sent" in result.stderr


def test_a_second_sending_run_waits_for_none_and_is_refused(
    runner: CliRunner, mail_project: Path
) -> None:
    from letsconnect_cli.mail.sendlog import SendLog

    with SmtpServer() as server:
        _use(mail_project, server)
        other = SendLog.open(mail_project / ".lc-mail", create=True)
        with other.lock():  # another run is sending
            result = lc(runner, *invite_args("--send"), code=2)
        assert "another lc run is sending" in result.stderr
        assert server.messages == []
        lc(runner, *invite_args("--send"))
        assert len(server.messages) == 6


def test_a_progress_bar_on_a_terminal_only(
    runner: CliRunner, mail_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    from letsconnect_cli.cli.context import AppContext

    with SmtpServer() as server:
        _use(mail_project, server)
        plain = lc(runner, *invite_args("--send"))
        assert "━" not in plain.stderr  # not a terminal: no bar
        add_late_exports(mail_project)
        screen = io.StringIO()
        monkeypatch.setenv("TERM", "xterm")  # (TERM=dumb would mean no bar either)
        terminal = Console(file=screen, force_terminal=True, width=80)
        monkeypatch.setattr(AppContext, "err", staticmethod(lambda: terminal))
        lc(runner, *invite_args("--send"))
        assert "6/6" in screen.getvalue() and "━" in screen.getvalue()
