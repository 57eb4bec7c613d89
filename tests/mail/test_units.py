"""The parts on their own: who is one person, which language, who gets what, the pace, the
server's refusals, masks, configuration and passwords."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from letsconnect_cli.cli.invite_mail_report import mask
from letsconnect_cli.config import load_config
from letsconnect_cli.errors import ConfigError, InputUnreadable, UsageError
from letsconnect_cli.ingest import IngestLog, ReadOptions, Record, read_records
from letsconnect_cli.ingest.cleaning import preferred_language
from letsconnect_cli.loopback import is_loopback
from letsconnect_cli.mail.deliver import Pace
from letsconnect_cli.mail.plan import plan
from letsconnect_cli.mail.recipients import Person, registrants, usable_address
from letsconnect_cli.mail.sendlog import SendLog, Sent
from letsconnect_cli.passwords import read_secret
from tests.conftest import DATA, SEED_CLINICS
from tests.mail.conftest import SEED_ID, SEED_UID


def _record(line: int, email: str | None, username: str | None = None, **values: object) -> Record:
    record = Record(
        "x.csv", line, "csv", registered=True, clinic=SEED_ID, email=email, username=username
    )
    for key, value in values.items():
        setattr(record, key, value)
    return record


# --- people ---------------------------------------------------------------------------------


def test_rows_sharing_an_email_or_a_username_are_one_person() -> None:
    rows = [
        _record(2, "a@example.org", "Ann", country="PH", timestamp="2023-03-02 10:00:00"),
        _record(3, "ann.work@example.org", "Ann", country="JP", timestamp="2023-03-03 10:00:00"),
        _record(4, "a@example.org", None, languages=("ja",), timestamp="2023-03-04 10:00:00"),
        _record(5, "b@example.org", "Bo", timestamp="2023-03-01 09:00:00"),
        _record(6, None, "Cy"),
        _record(7, "not-an-address@", "Di"),
        _record(8, None, None),
        Record(
            "x.csv", 9, "zoom-participants", registered=False, clinic=SEED_ID, email="z@example.org"
        ),
        _record(10, "other@example.org", clinic="another-clinic"),
    ]
    found = registrants(rows, SEED_ID)
    assert [p.address for p in found.people] == ["b@example.org", "a@example.org"]
    ann = found.people[1]
    assert ann.addresses == ["a@example.org", "ann.work@example.org"]
    assert ann.country == "JP"  # the latest row that gives one
    assert ann.interpretation == ("ja",)
    assert found.rows == 7  # registration rows of this clinic
    assert found.without_address == 2  # Cy (a username only) and the anonymous row
    assert found.bad_address == 1


@pytest.mark.parametrize(
    ("address", "usable"),
    [
        ("jose.iyer201@example.org", True),
        ("o'brien+lc@mail.example.co.uk", True),
        ("kim@@example", False),
        ("no-domain@localhost", False),
        (".dot@example.org", False),
        ("a..b@example.org", False),
        ("ünïcode@example.org", False),
        ("a@-bad.example.org", False),
        ("semi;colon@example.org", False),
    ],
)
def test_addresses_lc_can_send_to(address: str, usable: bool) -> None:
    assert usable_address(address) is usable


def test_masks_hide_the_address() -> None:
    assert mask("jose.iyer201@example.org") == "j***@e***.org"
    assert mask("x@mail.example.co.uk") == "x***@m***.uk"


# --- languages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("Japanese", "ja"),
        ("zh-Hant", "zh-Hant"),
        ("zh_TW", "zh-TW"),
        ("Chinese (Traditional)", "zh-Hant"),
        ("Indonesian; English", "id"),
        ("Filipino", "fil"),
        ("none", None),
        ("", None),
        ("Klingonese", None),
    ],
)
def test_preferred_language_values(value: str, tag: str | None) -> None:
    assert preferred_language(value) == tag


def test_a_preferred_language_column_is_read() -> None:
    from letsconnect_cli.clinic.clinics import load_clinics

    clinics = load_clinics(SEED_CLINICS)
    records = list(
        read_records(
            [str(DATA / "mail" / "registrations-preferred.csv")],
            clinics,
            ReadOptions(),
            IngestLog(),
        )
    )
    assert [r.preferred_language for r in records] == ["ja", "zh-Hant", "fr"]
    assert [r.languages for r in records] == [(), ("ja",), ("th",)]


def test_the_text_part_language() -> None:
    from letsconnect_cli.clinic.clinics import find_clinic
    from letsconnect_cli.mail.batch import language_for

    clinic = find_clinic(SEED_CLINICS, SEED_ID)
    person = Person("a@example.org", ["a@example.org"])
    assert language_for(person, clinic).tag == "en"  # the clinic's
    person.interpretation = ("und", "tl", "ja")
    assert language_for(person, clinic).tag == "fil"  # Tagalog is written as Filipino
    person.preferred_language = "fr"  # no labels in French: not chosen
    assert language_for(person, clinic).tag == "fil"
    person.preferred_language = "zh"
    assert language_for(person, clinic).tag == "zh-Hans"


# --- the plan ------------------------------------------------------------------------------


def _sent(log: SendLog, address: str, sequence: int, method: str = "REQUEST") -> Sent:
    return Sent(
        SEED_UID,
        SEED_ID,
        log.hash(address),
        sequence,
        method,
        "new",
        datetime(2030, 1, sequence + 1, tzinfo=UTC),
        f"<{sequence}.invite@example.org>",
    )


def _plan(log: SendLog, people: list[Person], sequence: int, cancelled: bool = False):
    from letsconnect_cli.mail.recipients import Registrants

    return plan(
        Registrants(people=people),
        clinic_id=SEED_ID,
        uid=SEED_UID,
        sequence=sequence,
        cancelled=cancelled,
        region_countries=frozenset({"PH", "JP"}),
        regions=("ESEAP",),
        log=log,
    )


def test_who_gets_what(tmp_path: Path) -> None:
    log = SendLog.open(tmp_path, create=True)
    old = Person("old@example.org", ["old@example.org", "new-address@example.org"], country="GB")
    same = Person("same@example.org", ["same@example.org"], country="PH")
    fresh = Person("fresh@example.org", ["fresh@example.org"], country="JP")
    away = Person("away@example.org", ["away@example.org"], country="BR")
    nowhere = Person("nowhere@example.org", ["nowhere@example.org"])
    for entry in (
        _sent(log, "old@example.org", 0),
        _sent(log, "same@example.org", 1),
        _sent(log, "gone@example.org", 0),
    ):
        log.append(entry)
    result = _plan(log, [old, same, fresh, away, nowhere], sequence=1)
    kinds = {d.address: d.kind for d in result.deliveries}
    # invited before, now outside the region: still updated, at the address invited
    assert kinds == {
        "old@example.org": "update",
        "same@example.org": "current",
        "fresh@example.org": "new",
        "nowhere@example.org": "new",  # no country known: a registrant of the clinic, invited
    }
    assert result.outside_region == 1 and result.no_country == 0 and result.unknown_country == 1
    assert result.unreachable == 1  # gone@ was invited, needs the update, is not in the export
    assert result.counts() == {"new": 2, "update": 1, "cancel": 0, "current": 1}
    assert result.by_country()["GB"]["update"] == 1
    cancelled = _plan(log, [old, same, fresh], sequence=2, cancelled=True)
    assert {d.address: d.kind for d in cancelled.deliveries} == {
        "old@example.org": "cancel",
        "same@example.org": "cancel",
    }
    assert cancelled.never_invited == 1 and cancelled.unreachable == 1
    assert {d.method for d in cancelled.to_send} == {"CANCEL"}


def test_a_cancellation_already_sent_is_not_sent_again(tmp_path: Path) -> None:
    log = SendLog.open(tmp_path, create=True)
    person = Person("p@example.org", ["p@example.org"], country="PH")
    log.append(_sent(log, "p@example.org", 0))
    log.append(_sent(log, "p@example.org", 1, "CANCEL"))
    assert _plan(log, [person], sequence=1, cancelled=True).deliveries[0].kind == "current"
    # brought back (scheduled again): a new REQUEST with a higher SEQUENCE
    assert _plan(log, [person], sequence=2).deliveries[0].kind == "update"


def test_a_ledger_behind_the_log_is_refused(tmp_path: Path) -> None:
    log = SendLog.open(tmp_path, create=True)
    log.append(_sent(log, "p@example.org", 3))
    with pytest.raises(UsageError, match=r"SEQUENCE 3 .* ledger .* at 1"):
        _plan(log, [], sequence=1)


# --- the pace ------------------------------------------------------------------------------


def test_the_pace_spaces_messages_evenly() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pace = Pace(30, clock=lambda: now[0], sleep=sleep)  # one every 2 seconds
    for _ in range(4):
        pace.wait()
        now[0] += 0.5  # sending takes half a second
    assert slept == [1.5, 1.5, 1.5]
    unlimited = Pace(0, clock=lambda: now[0], sleep=sleep)
    unlimited.wait()
    unlimited.wait()
    assert len(slept) == 3


# --- configuration and passwords --------------------------------------------------------------


def test_smtp_configuration(tmp_path: Path) -> None:
    (tmp_path / "lc.toml").write_text(
        '[smtp]\nhost = "smtp.example.org"\nsecurity = "TLS"\npassword_file = "secret/pw"\n'
        'state_dir = "state"\nrate_limit = 12\n'
    )
    config = load_config(cwd=tmp_path, environ={"LC_SMTP_PORT": "2465", "LC_SMTP_USERNAME": "me"})
    smtp = config.smtp
    assert (smtp.host, smtp.port, smtp.security, smtp.username) == (
        "smtp.example.org",
        2465,
        "tls",
        "me",
    )
    assert smtp.rate_limit == 12 and smtp.timeout == 30
    assert smtp.password_file is not None and smtp.password_file.parts[-2:] == ("secret", "pw")
    (tmp_path / "lc.toml").write_text('[smtp]\nsecurity = "ssl"\n')
    with pytest.raises(ConfigError, match="security"):
        load_config(cwd=tmp_path, environ={})
    (tmp_path / "lc.toml").write_text('[smtp]\npassword = "no"\n')
    with pytest.raises(ConfigError, match="password"):
        load_config(cwd=tmp_path, environ={})


def test_passwords_from_the_environment_or_a_file(tmp_path: Path) -> None:
    secret = read_secret(
        "LC_SMTP_PASSWORD", None, "[smtp] password_file", {"LC_SMTP_PASSWORD": "pw"}
    )
    assert secret is not None and secret.value == "pw" and "pw" not in repr(secret)
    assert read_secret("LC_SMTP_PASSWORD", None, "x", {}) is None
    path = tmp_path / "pw"
    path.write_text("from-file\n")
    path.chmod(0o644)
    secret = read_secret("LC_SMTP_PASSWORD", path, "[smtp] password_file", {})
    assert (
        secret is not None and secret.value == "from-file" and "chmod 600" in (secret.warning or "")
    )
    path.write_text("\n")
    with pytest.raises(UsageError, match="is empty"):
        read_secret("LC_SMTP_PASSWORD", path, "[smtp] password_file", {})
    with pytest.raises(InputUnreadable):
        read_secret("LC_SMTP_PASSWORD", tmp_path / "missing", "[smtp] password_file", {})


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("127.8.8.8", True),
        ("smtp.example.org", False),
        ("10.0.0.1", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
