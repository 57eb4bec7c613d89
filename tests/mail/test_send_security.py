"""The connection to the mail server: STARTTLS and TLS with a certificate made for the test,
certificates lc must not trust, logins, passwords that never show, plain SMTP kept to loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.mail.conftest import FIRST_ESEAP, check_invitation, invite_args, lc, set_smtp
from tests.mail.smtpserver import SmtpServer, self_signed_certificate

USER, PASSWORD = "liaison@example.org", "s3cret-Pa55-word"


@pytest.fixture
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


def _no_secret_in(result: object) -> None:
    text = getattr(result, "stdout", "") + getattr(result, "stderr", "")
    assert PASSWORD not in text


@pytest.mark.integration
def test_starttls_with_a_login(
    runner: CliRunner,
    mail_project: Path,
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LC_SMTP_PASSWORD", PASSWORD)
    with SmtpServer(certificate=certificate, login=(USER, PASSWORD)) as server:
        set_smtp(
            mail_project,
            host="127.0.0.1",
            port=server.port,
            security="starttls",
            username=USER,
            ca_file=str(certificate[0]),
            rate_limit=0,
        )
        result = lc(runner, *invite_args("--send"))
        _no_secret_in(result)
        assert server.logins == [(USER, True)]
        assert {m.rcpt_tos[0] for m in server.messages} == FIRST_ESEAP
        for captured in server.messages:
            check_invitation(captured.data, captured.rcpt_tos[0], "REQUEST", 0)


# aiosmtpd counts only STARTTLS as TLS and warns about AUTH on a line that is in fact TLS
@pytest.mark.integration
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_tls_from_the_start_with_the_password_from_a_file(
    runner: CliRunner, mail_project: Path, certificate: tuple[Path, Path]
) -> None:
    secret = mail_project / "smtp-password"
    secret.write_text(PASSWORD + "\n")
    secret.chmod(0o600)
    with SmtpServer(certificate=certificate, implicit_tls=True, login=(USER, PASSWORD)) as server:
        set_smtp(
            mail_project,
            host="localhost",
            port=server.port,
            security="tls",
            username=USER,
            password_file="smtp-password",
            ca_file=str(certificate[0]),
            rate_limit=0,
        )
        result = lc(runner, *invite_args("--send"))
        _no_secret_in(result)
        assert len(server.messages) == 6


@pytest.mark.integration
def test_a_wrong_password_is_a_clear_error_without_the_password(
    runner: CliRunner,
    mail_project: Path,
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrong = "not-the-Pa55word"
    monkeypatch.setenv("LC_SMTP_PASSWORD", wrong)
    with SmtpServer(certificate=certificate, login=(USER, PASSWORD)) as server:
        set_smtp(
            mail_project,
            host="127.0.0.1",
            port=server.port,
            username=USER,
            ca_file=str(certificate[0]),
        )
        result = lc(runner, *invite_args("--send"), code=5)
        assert "refused the login" in result.stderr and USER in result.stderr
        assert "535" in result.stderr
        assert wrong not in result.stdout + result.stderr
        assert server.messages == []
    assert not (mail_project / ".lc-mail" / "sent.jsonl").exists()


@pytest.mark.integration
def test_a_certificate_lc_does_not_trust_stops_before_sending(
    runner: CliRunner, mail_project: Path, certificate: tuple[Path, Path]
) -> None:
    with SmtpServer(certificate=certificate) as server:
        set_smtp(mail_project, host="127.0.0.1", port=server.port, security="starttls")
        result = lc(runner, *invite_args("--send"), code=5)
        assert "certificate lc does not trust" in result.stderr
        assert "ca_file" in result.stderr
        assert server.messages == []


@pytest.mark.integration
def test_starttls_required_but_not_offered(runner: CliRunner, mail_project: Path) -> None:
    with SmtpServer() as server:  # plain SMTP, no STARTTLS
        set_smtp(mail_project, host="127.0.0.1", port=server.port, security="starttls")
        result = lc(runner, *invite_args("--send"), code=5)
        assert "does not offer STARTTLS" in result.stderr
        assert server.messages == []


def test_plain_smtp_only_to_this_computer(runner: CliRunner, mail_project: Path) -> None:
    set_smtp(mail_project, host="smtp.example.org", security="none")
    result = lc(runner, *invite_args("--send"), code=2)
    assert "clear text" in result.stderr


def test_a_username_without_a_password(runner: CliRunner, mail_project: Path) -> None:
    set_smtp(mail_project, host="smtp.example.org", username=USER)
    result = lc(runner, *invite_args("--send"), code=2)
    assert "LC_SMTP_PASSWORD" in result.stderr and "never given as flags" in result.stderr


def test_no_server_configured(runner: CliRunner, mail_project: Path) -> None:
    result = lc(runner, *invite_args("--send"), code=2)
    assert "[smtp] host is not set" in result.stderr


def test_nobody_listening(runner: CliRunner, mail_project: Path) -> None:
    from tests.mail.smtpserver import free_port

    set_smtp(mail_project, host="127.0.0.1", port=free_port(), security="none", timeout=5)
    result = lc(runner, *invite_args("--send"), code=5)
    assert "connection refused" in result.stderr
