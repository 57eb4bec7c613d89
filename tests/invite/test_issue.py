"""`lc invite`'s work as a library call, without Typer: invites.issuing.issue."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from letsconnect_cli.config import Config, Organiser
from letsconnect_cli.errors import UsageError
from tests.conftest import copy_seed_clinics

STAMP = datetime(2023, 3, 1, tzinfo=UTC)


def _config(tmp_path: Path) -> Config:
    return Config(clinics_dir=tmp_path / "clinics", organiser=Organiser("Team", "team@example.org"))


def test_issue_writes_the_invites_and_the_feed_and_records_them(tmp_path: Path) -> None:
    from letsconnect_cli.invites import issuing

    clinics = copy_seed_clinics(tmp_path / "clinics")
    request = issuing.Request(clinic_ids=("2023-04-02-travel-scholarships",))
    result = issuing.issue(clinics, request, _config(tmp_path), dtstamp=STAMP, at=STAMP)

    assert result.plan is not None and result.broken is None
    [invite] = result.plan.invites
    assert invite.path == tmp_path / "invites" / "2023-04-02-travel-scholarships.ics"
    assert result.outcomes[invite.path] == "created"
    assert result.outcomes[result.plan.feed_path] == "created"
    assert invite.path.read_bytes() == invite.data
    assert result.ledger_written and result.ledger_path == clinics / ".lc-issued.toml"

    again = issuing.issue(clinics, request, _config(tmp_path), dtstamp=STAMP, at=STAMP)
    assert set(again.outcomes.values()) == {"unchanged"}
    assert not again.ledger_written


def test_issue_dry_run_writes_nothing(tmp_path: Path) -> None:
    from letsconnect_cli.invites import issuing

    clinics = copy_seed_clinics(tmp_path / "clinics")
    request = issuing.Request(every=True, dry_run=True, out_dir=tmp_path / "out")
    result = issuing.issue(clinics, request, _config(tmp_path), dtstamp=STAMP, at=STAMP)
    assert result.plan is not None and len(result.plan.invites) == 3
    assert result.outcomes == {} and not result.ledger_written
    assert not (tmp_path / "out").exists() and not (clinics / ".lc-issued.toml").exists()


def test_issue_with_nothing_to_invite_plans_nothing(tmp_path: Path) -> None:
    from letsconnect_cli.invites import issuing

    clinics = copy_seed_clinics(tmp_path / "clinics")
    later = datetime(2030, 1, 1, tzinfo=UTC)
    result = issuing.issue(clinics, issuing.Request(), _config(tmp_path), dtstamp=STAMP, at=later)
    assert result.nothing and result.outcomes == {}


def test_issue_needs_the_organisers_email(tmp_path: Path) -> None:
    from letsconnect_cli.invites import issuing

    clinics = copy_seed_clinics(tmp_path / "clinics")
    config = Config(clinics_dir=clinics)
    with pytest.raises(UsageError, match="organiser's email"):
        issuing.issue(clinics, issuing.Request(every=True), config, dtstamp=STAMP)
