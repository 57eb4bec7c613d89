"""Registrants as weights: unique people per country, from records and from a real export layout."""

from __future__ import annotations

from letsconnect_cli.clinic.clinics import load_clinics
from letsconnect_cli.ingest import IngestLog, read_records
from letsconnect_cli.ingest.records import Record
from letsconnect_cli.places.regions import region
from letsconnect_cli.report.stats import Tally
from letsconnect_cli.slots import count_registrants, registrant_weights
from tests.conftest import DATA, SEED_CLINICS


def record(**fields: object) -> Record:
    base: dict[str, object] = {"source": "x.csv", "line": 2, "format": "google-forms-registration"}
    base.update(fields)
    return Record(**base)  # type: ignore[arg-type]


def test_people_are_counted_once_with_the_country_they_gave() -> None:
    records = [
        record(email="a@example.org", country="PH", registered=True),
        record(email="a@example.org", country="PH", registered=True),  # registered twice
        record(username="B", country="ID", registered=True),
        # Zoom guesses a country from the network; the form's answer wins whichever comes first.
        record(email="c@example.org", country="SG", format="zoom-attendee-report", attended=True),
        record(email="c@example.org", country="FJ", registered=True),
        record(email="d@example.org", country="JP", registered=True),
        record(email="d@example.org", country="US", format="zoom-attendee-report", attended=True),
        record(country="WS", registered=True),  # no email, no username: counted as a row
        record(country="WS", registered=True),
        record(email="e@example.org", registered=True),  # no country
        record(email="f@example.org", country="TO", rating=5),  # feedback only: not a registrant
        record(email="g@example.org", country="TO", attended=False),  # absent, not registered
    ]
    counted = count_registrants(records)
    assert counted.by_country == {"PH": 1, "ID": 1, "FJ": 1, "JP": 1, "WS": 2}
    assert counted.people == 7
    assert counted.without_country == 1


def test_the_synthetic_google_forms_export() -> None:
    log = IngestLog()
    records = read_records(
        [str(DATA / "exports" / "google-forms-registration.csv")],
        load_clinics(SEED_CLINICS),
        log=log,
    )
    counted = count_registrants(records)
    assert counted.by_country == {
        "PH": 1, "FJ": 3, "JP": 1, "ID": 1, "GH": 1, "RO": 1, "EG": 1, "TZ": 1,
    }  # fmt: skip
    weights = registrant_weights([region("ESEAP")], counted)
    by_zone = {z.name: z.weight for z in weights.zones}
    assert by_zone["Pacific/Fiji"] == 3
    assert by_zone["Asia/Jakarta"] == 0.25  # one Indonesian over Indonesia's 4 zones
    assert weights.total == 6
    assert len(weights.unweighted) == 47 - 4


def test_a_person_is_one_however_the_rows_spread_their_email_and_username() -> None:
    # Issue 21: weights counted a person per email-or-username key, never merging them.
    records = [
        record(email="a@example.org", username="Ana", country="PH", registered=True),
        record(username="Ana", country="PH", registered=True),  # Ana again, username only
        record(email="b@example.org", country="FJ", registered=True),
        record(username="Bo", format="zoom-attendee-report", country="NZ", attended=True),
        record(email="b@example.org", username="Bo", rating=5),  # feedback: b@ is Bo
    ]
    counted = count_registrants(records)
    assert counted.by_country == {"PH": 1, "FJ": 1}  # the form's country, not Zoom's guess
    assert counted.people == 2


def test_registrants_are_the_reports_participants() -> None:
    """The same people and countries as the report counts (`ingest.people`, one definition)."""
    sources = sorted(str(p) for p in (DATA / "exports").iterdir() if p.suffix != ".md")
    sources += sorted(str(p) for p in (DATA / "report").rglob("*.csv") if "golden" not in p.parts)
    records = list(read_records(sources, load_clinics(SEED_CLINICS), log=IngestLog()))
    counted = count_registrants(records)
    counts = Tally().add_all(records).counts()
    assert counted.people == counts.participants > 20
    assert counted.by_country == dict(counts.countries)
    assert counted.without_country == counts.participants - counts.with_country
