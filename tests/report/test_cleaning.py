"""Cleaning: emails, usernames, countries to ISO codes, regions, roles, languages, ratings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from letsconnect_cli.clinic.clinics import load_clinics
from letsconnect_cli.ingest import (
    IngestLog,
    clean_email,
    clean_username,
    country_code,
    parse_timestamp,
    read_records,
)
from letsconnect_cli.ingest.cleaning import (
    Cleaner,
    language_codes,
    parse_rating,
    region_code,
    role_key,
)
from letsconnect_cli.vocab import Scheme
from tests.conftest import SEED_CLINICS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" CHINEDU.SILVA204@EXAMPLE.ORG ", "chinedu.silva204@example.org"),
        ("mailto:Ana@Example.org", "ana@example.org"),
        ("n/a", None),
        ("", None),
    ],
)
def test_emails(raw: str, expected: str | None) -> None:
    assert clean_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jose_Iyer", "Jose Iyer"),
        ("ravi Mwangi", "Ravi Mwangi"),
        ("User:siti_Haddad", "Siti Haddad"),
        ("  two   spaces__here ", "Two spaces here"),
        ("ß-user", "ß-user"),  # MediaWiki leaves ß, which has no one-letter capital
        ("éa", "Éa"),
        ("-", None),
    ],
)
def test_usernames_as_mediawiki_writes_them(raw: str, expected: str | None) -> None:
    assert clean_username(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Philippines", "PH"),
        ("the Philippines", "PH"),
        ("PH", "PH"),
        ("phl", "PH"),
        ("Namibia", "NA"),
        ("NA", "NA"),  # Namibia's code, never a missing value
        ("NO", "NO"),  # Norway's, never "no"
        ("no", ""),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Taiwan", "TW"),
        ("Tanzania, United Republic of", "TZ"),
        ("United Republic of Tanzania", "TZ"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("Côte d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Türkiye", "TR"),
        ("Kosovo", "XK"),
        ("USA", "US"),
        ("United Kingdom", "GB"),
        ("Hong Kong SAR", "HK"),
        ("Congo (Kinshasa)", "CD"),
        ("Nigeria ", "NG"),
        ("Mars", None),
        ("--", ""),
        ("N/A", ""),
        ("", ""),
    ],
)
def test_countries_to_iso_codes(raw: str, expected: str | None) -> None:
    assert country_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ESEAP", "ESEAP"),
        ("East, Southeast Asia, & Pacific", "ESEAP"),
        ("east southeast asia and pacific", "ESEAP"),
        ("MEA", "MEA"),
        ("Middle East & Africa", "MEA"),
        ("Sub-Saharan Africa", "SSA"),
        ("na", "NA"),
        ("Asia", None),
    ],
)
def test_self_reported_regions(raw: str, expected: str | None) -> None:
    assert region_code(raw) == expected


def _place(
    scheme: Scheme = Scheme.WIKIMEDIA, country: str | None = None, region: str | None = None
) -> tuple[tuple[str | None, str | None, bool], IngestLog]:
    """(country, region, region corrected?) of a row's cells, and the log."""
    log = IngestLog()
    place = Cleaner(scheme, log).country_and_region(country, region, "x.csv", 2)
    return (place.country, place.region, place.region_corrected), log


def test_region_comes_from_the_country_and_a_contradiction_is_corrected() -> None:
    assert _place(country="India", region="ESEAP")[0] == ("IN", "SA", True)
    assert _place(country="Philippines", region="ESEAP")[0] == ("PH", "ESEAP", False)


def test_old_scheme_regions_are_no_contradiction() -> None:
    # Nigeria is SSA in the Foundation's 8 regions and MEA in the grant committees' 7: both right.
    assert _place(country="Nigeria", region="MEA")[0] == ("NG", "SSA", False)
    assert _place(Scheme.GRANT_COMMITTEE, country="Nigeria", region="SSA")[0] == (
        "NG",
        "MEA",
        False,
    )
    assert _place(Scheme.GRANT_COMMITTEE, country="Egypt")[0] == ("EG", "MEA", False)


def test_self_reported_region_without_a_country() -> None:
    assert _place(region="ESEAP")[0] == (None, "ESEAP", False)
    assert _place(region="MEA")[0] == (None, None, False)  # not a region of the Foundation's 8


def test_unknown_country_is_counted_once_per_row() -> None:
    place, log = _place(country="Atlantis")
    assert (place, log.unknown_country) == ((None, None, False), 1)
    assert log.first_unknown_country == ("x.csv", 2)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Paid staff of an affiliate", "paid-staff"),
        ("Affiliate staff", "paid-staff"),
        ("Volunteer staff of an affiliate", "volunteer-staff"),
        ("Volunteer organiser", "organiser"),
        ("Volunteer Organizer", "organiser"),
        ("Executive director", "executive-director"),
        ("Board member", "board-member"),
        ("Individual volunteer editor", "editor"),
        ("Other: I am Jose Iyer from the user group", "other"),
        ("", None),
    ],
)
def test_roles_are_keys_never_free_text(raw: str, expected: str | None) -> None:
    assert role_key(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Japanese;Chinese", ("ja", "zh")),
        ("Indonesian, Tagalog", ("id", "tl")),
        ("Chinese (Mandarin); Japanese", ("zh", "ja")),
        ("None", ()),
        ("No interpretation", ()),
        ("Elvish", ("und",)),
        ("Swahili", ("sw",)),  # "Swahili (macrolanguage)" in ISO 639-3
        ("Malay", ("ms",)),
        ("ja", ("ja",)),
    ],
)
def test_languages(raw: str, expected: tuple[str, ...]) -> None:
    assert language_codes(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4", 4),
        (" 5 ", 5),
        ("3.0", 3),
        ("1", 1),
        ("0", None),
        ("6", None),
        ("4.5", None),
        ("good", None),
    ],
)
def test_ratings(raw: str, expected: int | None) -> None:
    assert parse_rating(raw) == expected


def test_rating_out_of_range_is_a_finding_not_averaged(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("Email,Clinic,Rating\na@x.org,2023-04-02-travel-scholarships,10\n")
    log = IngestLog()
    assert list(read_records([str(path)], load_clinics(SEED_CLINICS), log=log)) == []
    assert log.skipped[0].line == 2 and "1 to 5" in log.skipped[0].reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023/03/21 2:05:43 AM GMT+8", datetime(2023, 3, 20, 18, 5, 43, tzinfo=UTC)),
        ("2023/03/21 2:05:43 PM GMT+5:30", datetime(2023, 3, 21, 8, 35, 43, tzinfo=UTC)),
        ("Apr 02, 2023 06:05:11", datetime(2023, 4, 2, 6, 5, 11, tzinfo=UTC)),
        ("Apr 02, 2023 6:20 AM", datetime(2023, 4, 2, 6, 20, tzinfo=UTC)),
        ("10/05/2026 05:55:00 PM", datetime(2026, 10, 5, 17, 55, tzinfo=UTC)),
        ("20230321011530", datetime(2023, 3, 21, 1, 15, 30, tzinfo=UTC)),
        ("--", None),
        ("yesterday", None),
    ],
)
def test_timestamps(raw: str, expected: datetime | None) -> None:
    assert parse_timestamp(raw) == expected
