"""The country table as lc reads it (split by tabs, for speed) against the csv module's reading."""

from __future__ import annotations

import csv
import io

from letsconnect_cli.places.regions import _data_text, countries
from letsconnect_cli.vocab import GRANT_COMMITTEE_REGIONS, WIKIMEDIA_REGIONS


def test_the_country_table_reads_as_the_csv_module_reads_it() -> None:
    text = _data_text("wikimedia-countries.tsv")
    assert '"' not in text  # no quoting: splitting by tabs is exact
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    table = countries()
    assert list(table) == [row["iso_code"].strip() for row in rows]
    by_name = {name: code for code, name in WIKIMEDIA_REGIONS.items()}
    gc_by_name = {name: code for code, name in GRANT_COMMITTEE_REGIONS.items()}
    for row in rows:
        country = table[row["iso_code"].strip()]
        assert country.alpha3 == row["iso_alpha3_code"].strip()
        assert country.name == row["name"].strip()
        assert country.region == by_name.get(row["wikimedia_region"].strip())
        assert country.grant_committee_region == gc_by_name.get(
            row["grant_committee_region"].strip()
        )
        assert country.protected is (row["is_protected"].strip() == "True")
    assert table["NA"].name == "Namibia"  # the code "NA" stays a code
