"""One rule for an email address, one Organiser: checked when lc.toml is loaded, used by the
calendar's ORGANIZER, the invitations' From and the announcements' From alike."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from letsconnect_cli.cli import app

ADDRESSES = [
    ("team@example.org", True),
    ("o'brien+lc@mail.example.co.uk", True),
    ("no-domain@localhost", False),
    ("two words@example.org", False),
    ("ünïcode@example.org", False),
    ("semi;colon@example.org", False),
    ("paren(s)@example.org", False),
    ("a..b@example.org", False),
    ("kim@@example.org", False),
]


@pytest.mark.parametrize(("text", "usable"), ADDRESSES)
def test_announcements_invitations_and_the_configuration_accept_the_same_addresses(
    text: str, usable: bool
) -> None:
    from pydantic import ValidationError

    from letsconnect_cli.announce import email_message
    from letsconnect_cli.config import Organiser
    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.mail import messages

    def accepts(check: object) -> bool:
        try:
            check()  # type: ignore[operator]
        except (UsageError, ValidationError):
            return False
        return True

    verdicts = {
        "announce": accepts(
            lambda: email_message.email_message(
                body="Hello",
                subject="Clinic",
                sender=SimpleNamespace(name="Team", email="team@example.org"),  # type: ignore[arg-type]
                to=[text],
                language="en",
                identity="x",
                now=datetime(2027, 1, 1, tzinfo=UTC),
            )
        ),
        "mail": accepts(lambda: messages.address(text, "a recipient")),
        "config": accepts(lambda: Organiser("Team", text)),
    }
    assert verdicts == dict.fromkeys(verdicts, usable)


def test_one_organiser_type_for_calendar_mail_and_announcements() -> None:
    from letsconnect_cli.announce import render
    from letsconnect_cli.config import Config, Organiser
    from letsconnect_cli.invites import ics_event

    organiser = Config(organiser=Organiser("Team", "team@example.org")).organiser
    assert render.Organiser is Organiser
    assert ics_event.organizer_from(organiser) is organiser
    assert not hasattr(ics_event, "Organizer")


@pytest.mark.parametrize("email", ["team at example.org", "team@example.org, x@example.org"])
def test_a_bad_organiser_email_in_lc_toml_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, email: str
) -> None:
    (tmp_path / "clinics").mkdir()
    (tmp_path / "lc.toml").write_text(
        f'default_region = "ESEAP"\n\n[organiser]\nname = "Team"\nemail = "{email}"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["list"])
    assert result.exit_code == 2, result.output
    assert f"bad configuration in {tmp_path / 'lc.toml'}" in result.stderr
    assert "organiser.email (line 5)" in result.stderr
    assert "is not an email address" in result.stderr


def test_a_bad_organiser_email_in_the_environment_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "clinics").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LC_ORGANISER_EMAIL", "nobody")
    result = CliRunner().invoke(app, ["list"])
    assert result.exit_code == 2
    assert "bad configuration in the LC_* environment: organiser.email" in result.stderr


def test_a_mailto_organiser_is_the_address() -> None:
    from letsconnect_cli.config import Organiser

    assert Organiser(email="mailto:team@example.org").email == "team@example.org"
