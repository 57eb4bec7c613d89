"""Regions, countries and zone groups: packaged data and `lc regions`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.errors import UsageError
from letsconnect_cli.places import regions, timezones
from letsconnect_cli.vocab import Scheme
from tests.conftest import invoke


def test_country_table() -> None:
    table = regions.countries()
    assert len(table) == 250
    assert table["NA"].name == "Namibia" and table["NA"].region == "SSA"
    assert table["NA"].grant_committee_region == "MEA"
    assert table["XK"].region == "CEE"
    assert table["PH"].region == "ESEAP"
    protected = {code for code, c in table.items() if c.protected}
    assert len(protected) == 36
    eseap_protected = {c.code for c in regions.region("ESEAP").countries if c.protected}
    assert eseap_protected == {"CN", "LA", "MO", "MM", "KP", "VN"}


def test_schemes() -> None:
    assert regions.region_codes() == ("CEE", "ESEAP", "LAC", "MENA", "NA", "NWE", "SA", "SSA")
    assert regions.region_codes(Scheme.GRANT_COMMITTEE) == (
        "CEE",
        "ESEAP",
        "LAC",
        "MEA",
        "NA",
        "NWE",
        "SA",
    )
    mea = regions.region("MEA", Scheme.GRANT_COMMITTEE)
    codes = {c.code for c in mea.countries}
    assert {"NG", "TZ", "GH", "EG", "NA"} <= codes
    assert len(mea.countries) == 73
    sizes = {r.code: len(r.countries) for r in regions.all_regions()}
    assert sizes == {
        "CEE": 32,
        "ESEAP": 48,
        "LAC": 53,
        "MENA": 19,
        "NA": 2,
        "NWE": 33,
        "SA": 8,
        "SSA": 54,
    }


def test_region_codes_and_names_are_forgiving_with_suggestions() -> None:
    assert regions.normalise_region_code("eseap") == "ESEAP"
    assert regions.normalise_region_code("  Sub-Saharan   Africa ") == "SSA"
    with pytest.raises(UsageError) as caught:
        regions.normalise_region_code("ESAP")
    assert "Did you mean 'ESEAP'" in str(caught.value)
    with pytest.raises(UsageError):
        regions.normalise_region_code("MEA")  # only in the grant-committee scheme


def test_region_zones_come_from_the_tz_database() -> None:
    eseap = regions.region("ESEAP")
    zones = eseap.zones
    for zone in (
        "Asia/Manila",
        "Asia/Jakarta",
        "Asia/Makassar",
        "Asia/Jayapura",
        "Pacific/Apia",
        "Pacific/Kiritimati",
        "Pacific/Pago_Pago",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
    ):
        assert zone in zones
    assert "Pacific/Honolulu" not in zones  # Hawaii is in the United States: North America
    assert timezones.zones_of_country("XK") == ("Europe/Belgrade",)
    assert timezones.zones_of_country("NP") == ("Asia/Kathmandu",)


def test_eseap_zone_groups_on_the_2_april_2023_clinic() -> None:
    moment = datetime(2023, 4, 2, 6, tzinfo=UTC)
    groups = regions.zone_groups([regions.region("ESEAP")], moment)
    by_label = {g.label: g for g in groups}
    assert len(groups) == 23
    assert {"Asia/Shanghai", "Asia/Singapore", "Australia/Perth", "Asia/Taipei"} <= set(
        by_label["Manila"].zones
    )
    assert by_label["Manila"].countries[0] == "PH"
    assert by_label["Sydney"].zones[0] == "Australia/Sydney"
    assert "Australia/Brisbane" not in by_label["Sydney"].zones  # Queensland keeps standard time
    assert "Australia/Adelaide" in by_label["Adelaide"].zones
    assert "Pacific/Tongatapu" in by_label["Apia"].zones
    labels = [g.label for g in groups]
    assert labels[0] == "Pago Pago" and labels[-1] == "Kiritimati"
    # Chatham keeps its own group: +12:45 / +13:45.
    assert by_label["Chatham"].zones == ("Pacific/Chatham",)


def test_main_cities_can_be_configured() -> None:
    region = regions.region("ESEAP", main_cities={"ESEAP": ("Asia/Bangkok",)})
    groups = regions.zone_groups([region], datetime(2023, 4, 2, tzinfo=UTC))
    assert "Bangkok" in [g.label for g in groups]


def test_lc_regions_lists_both_schemes(runner: CliRunner, empty_project: Path) -> None:
    data = json.loads(invoke(runner, "regions", "--json").stdout)
    assert data["scheme"] == "wikimedia"
    assert [r["code"] for r in data["regions"]] == [
        "CEE",
        "ESEAP",
        "LAC",
        "MENA",
        "NA",
        "NWE",
        "SA",
        "SSA",
    ]
    eseap = data["regions"][1]
    assert eseap == {
        "code": "ESEAP",
        "name": "East, Southeast Asia, & Pacific",
        "countries": 48,
        "protected_countries": 6,
        "zones": len(regions.region("ESEAP").zones),
        "zone_groups": eseap["zone_groups"],
    }
    older = json.loads(invoke(runner, "regions", "--scheme", "grant-committee", "--json").stdout)
    assert "MEA" in [r["code"] for r in older["regions"]]


def test_lc_regions_one_region_with_offsets_at_an_instant(
    runner: CliRunner, empty_project: Path
) -> None:
    result = invoke(runner, "regions", "SA", "--at", "2023-04-02T06:00:00Z")
    assert result.exit_code == 0, result.output
    out = [line.rstrip() for line in result.stdout.splitlines()]
    assert out[0] == "SA: South Asia (wikimedia scheme)"
    assert "Kathmandu  +05:45      Sun 11:45   NP         Kathmandu" in out
    data = json.loads(
        invoke(runner, "regions", "SA", "--at", "2023-04-02T06:00:00Z", "--json").stdout
    )
    assert [g["utc_offset"] for g in data["zone_groups"]] == [
        "+04:30",
        "+05:00",
        "+05:30",
        "+05:45",
        "+06:00",
    ]
    afghanistan = data["countries"][0]
    assert afghanistan == {
        "country": "AF",
        "name": "Afghanistan",
        "protected": True,
        "zones": ["Asia/Kabul"],
    }


def test_lc_regions_errors(runner: CliRunner, empty_project: Path) -> None:
    unknown = invoke(runner, "regions", "ESAP")
    assert unknown.exit_code == 2 and "Did you mean 'ESEAP'" in unknown.stderr
    naive = invoke(runner, "regions", "SA", "--at", "2023-04-02T06:00")
    assert naive.exit_code == 2 and "has no offset" in naive.stderr


def test_every_region_zone_loads_from_the_same_tz_database() -> None:
    from zoneinfo import ZoneInfo

    for item in regions.all_regions():
        for zone in item.zones:
            assert ZoneInfo(zone).key == zone
