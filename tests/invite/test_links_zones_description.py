"""Links checked against RFC 3986 and written with punycode hosts; DESCRIPTION's local times
across a clock change; zone aliases (--zone Asia/Saigon) resolved before rows are added."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.clinic.values import check_url
from letsconnect_cli.invites.ics_event import uri
from letsconnect_cli.places.timezones import canonical_zone
from tests.conftest import invoke
from tests.invite.conftest import events_of, parse_both, unfolded, write_clinic


def _lc(runner: CliRunner, *args: str, code: int = 0):
    result = invoke(runner, *args)
    assert result.exit_code == code, result.stderr
    return result


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ("https://meta.wikimedia.org/wiki/Event:Clinic#frag%zz", "'%zz' is not a percent-encoded"),
        ("https://example.org/a#b#c", "a link has one #"),
        ("https://example.org:99999/", "is not a port number"),
        ("https://exa mple.org/", "contains spaces"),
        ("https://ex<am>ple.org/", "is not a host name"),
        ("https://[zz::1]/", "is not a valid link"),
        ("https://xn--a.example/", ""),  # a valid A-label is kept as it is
        ("https://a..b\u00e4.example/", "internationalised domain name"),
    ],
)
def test_links_are_checked_against_rfc_3986(link: str, problem: str) -> None:
    if not problem:
        assert check_url(link) == link
        return
    with pytest.raises(ValueError, match=problem):
        check_url(link)


def test_a_bad_link_fails_lc_validate(runner: CliRunner, empty_project: Path) -> None:
    write_clinic(
        empty_project / "clinics",
        "2031-05-08-x",
        title="X",
        status="scheduled",
        start=datetime(2031, 5, 8, 6, tzinfo=UTC),
        registration_url="https://meta.wikimedia.org/wiki/Event:X#frag%zz",
    )
    result = _lc(runner, "validate", code=3)
    output = result.stdout + result.stderr
    assert "registration_url" in output and "percent-encoded" in output


@pytest.mark.parametrize(
    ("link", "written"),
    [
        ("https://bücher.example/ä?q=1#x", "https://xn--bcher-kva.example/%C3%A4?q=1#x"),
        ("https://例え.テスト/パス", "https://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9"),
        ("https://FAß.de/", "https://xn--fa-hia.de/"),  # IDNA 2008: ß is not ss
        ("https://example.org/f?a=[2]|x", "https://example.org/f?a=%5B2%5D%7Cx"),
        ("https://[::1]:8080/a", "https://[::1]:8080/a"),
        ("https://zoom.us/j/8123?pwd=a;b,c", "https://zoom.us/j/8123?pwd=a;b,c"),
    ],
)
def test_links_are_written_as_uris(link: str, written: str) -> None:
    assert uri(check_url(link)) == written


def test_an_internationalised_host_reaches_the_calendar_in_punycode(
    runner: CliRunner, empty_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ORGANISER_EMAIL", "team@example.org")
    write_clinic(
        empty_project / "clinics",
        "2031-05-08-idn",
        title="IDN",
        status="confirmed",
        start=datetime(2031, 5, 8, 6, tzinfo=UTC),
        registration_url="https://bücher.example/anmeldung/é",
        meeting_url="https://例え.テスト/j/1",
    )
    _lc(runner, "invite", "2031-05-08-idn")
    data = (empty_project / "invites" / "2031-05-08-idn.ics").read_bytes()
    assert "URL:https://xn--bcher-kva.example/anmeldung/%C3%A9" in unfolded(data)
    (event,) = events_of(parse_both(data)[0])
    assert str(event["LOCATION"]) == "https://xn--r8jz45g.xn--zckzah/j/1"
    assert "%E4%BE%8B" not in data.decode()  # the host is never percent-encoded


def test_description_across_a_clock_change_shows_both_offsets(
    runner: CliRunner, empty_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sydney leaves daylight saving at 03:00 on Sunday 4 April 2027 (tz database 2024a and
    later): a session from 15:00 to 17:00 UTC is 02:00 (UTC+11) to 03:00 (UTC+10) there."""
    monkeypatch.setenv("LC_ORGANISER_EMAIL", "team@example.org")
    write_clinic(
        empty_project / "clinics",
        "2027-04-03-dst",
        title="DST",
        status="scheduled",
        start=datetime(2027, 4, 3, 15, tzinfo=UTC),
        regions=["ESEAP"],
    )
    _lc(runner, "invite", "2027-04-03-dst")
    (event,) = events_of(
        parse_both((empty_project / "invites" / "2027-04-03-dst.ics").read_bytes())[0]
    )
    text = str(event["DESCRIPTION"])
    assert "- Sun 4 Apr 02:00 (UTC+11:00)-03:00 (UTC+10:00): Sydney, " in text
    assert "- Sun 4 Apr 01:30 (UTC+10:30)-02:30 (UTC+09:30): Adelaide" in text
    assert "- Sun 4 Apr 03:00-05:00 (UTC+12:00): Auckland" in text  # changed an hour before
    assert "- Sun 4 Apr 01:00-03:00 (UTC+10:00): Brisbane" in text  # no DST: one offset
    note = [line for line in text.splitlines() if line.startswith("Note:")]
    assert len(note) == 1 and "Sydney (UTC+11:00 to UTC+10:00)" in note[0]
    assert "Brisbane" not in note[0]


def test_a_zone_alias_is_its_canonical_zone() -> None:
    assert canonical_zone("Asia/Saigon") == "Asia/Ho_Chi_Minh"
    assert canonical_zone("Asia/Calcutta") == "Asia/Kolkata"
    assert canonical_zone("Asia/Ho_Chi_Minh") == "Asia/Ho_Chi_Minh"
    assert canonical_zone("UTC") == "UTC"  # a link to no country's zone stays


@pytest.mark.parametrize("mode", [(), ("--all-zones",)])
def test_zone_saigon_adds_no_duplicate_row(
    runner: CliRunner, empty_project: Path, monkeypatch: pytest.MonkeyPatch, mode: tuple[str, ...]
) -> None:
    monkeypatch.setenv("LC_ORGANISER_EMAIL", "team@example.org")
    write_clinic(
        empty_project / "clinics",
        "2031-05-08-vn",
        title="VN",
        status="scheduled",
        start=datetime(2031, 5, 8, 6, tzinfo=UTC),
        regions=["ESEAP"],
    )
    plain = json.loads(_lc(runner, "invite", "2031-05-08-vn", "--json", *mode).stdout)[0]
    for alias in ("Asia/Saigon", "asia/saigon", "Asia/Ho_Chi_Minh"):
        args = ["invite", "2031-05-08-vn", "--json", "--zone", alias, *mode]
        item = json.loads(_lc(runner, *args).stdout)[0]
        assert item["local_times"] == plain["local_times"], alias
    zones = [z for row in plain["local_times"] for z in row["zones"]]
    assert zones.count("Asia/Ho_Chi_Minh") == 1 and "Asia/Saigon" not in zones
    # a zone outside the region still gets its row, under its canonical name
    args = ["invite", "2031-05-08-vn", "--json", "--zone", "US/Hawaii", *mode]
    rows = json.loads(_lc(runner, *args).stdout)[0]["local_times"]
    assert rows[-1]["zone"] == "Pacific/Honolulu" and len(rows) == len(plain["local_times"]) + 1
