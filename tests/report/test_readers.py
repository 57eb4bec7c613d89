"""Each reader on the format samples (copied from the program's shared formats folder)."""

from __future__ import annotations

from pathlib import Path

from letsconnect_cli.clinic.models import Clinic
from letsconnect_cli.ingest import IngestLog, ReadOptions, Record, read_records
from tests.report.conftest import SAMPLES

TRAVEL = "2023-04-02-travel-scholarships"
LEXEMES = "proposed-wiktionary-and-lexemes-on-wikidata"


def read(path: Path, clinics: list[Clinic], **options: object) -> tuple[list[Record], IngestLog]:
    log = IngestLog()
    records = list(read_records([str(path)], clinics, ReadOptions(**options), log))  # type: ignore[arg-type]
    return records, log


def test_google_forms_registration(clinics: list[Clinic]) -> None:
    records, log = read(SAMPLES / "google-forms-registration.csv", clinics)
    assert log.sources[0].format == "google-forms-registration"
    assert len(records) == 10 and log.rows_read == 10
    first = records[0]
    assert (first.clinic, first.email, first.username, first.country, first.region) == (
        TRAVEL,
        "jose.iyer201@example.org",
        "Jose Iyer",
        "PH",
        "ESEAP",
    )
    assert first.role == "organiser" and first.languages == ("id", "tl") and first.registered
    assert first.attended is None
    # "CHINEDU.SILVA204@EXAMPLE.ORG " and "ravi Mwangi" are cleaned.
    assert records[3].email == "chinedu.silva204@example.org"
    assert records[2].username == "Ravi Mwangi"
    assert records[3].languages == ("ja", "zh")
    assert [r.country for r in records] == [
        "PH",
        "FJ",
        "JP",
        "GH",
        "FJ",
        "RO",
        "EG",
        "TZ",
        "ID",
        "FJ",
    ]
    assert records[0].timestamp == "2023/03/21 2:05:43 AM GMT+8"


def test_google_forms_feedback(clinics: list[Clinic]) -> None:
    records, log = read(SAMPLES / "google-forms-feedback.csv", clinics)
    assert log.sources[0].format == "google-forms-feedback"
    assert [r.rating for r in records] == [5, 4, 5, 5, 3, 4, 5, 4]
    assert all(r.clinic == TRAVEL and not r.registered and r.attended is None for r in records)


def test_zoom_attendee_report_2020(clinics: list[Clinic]) -> None:
    records, log = read(SAMPLES / "zoom-attendee-report-2020-layout.csv", clinics)
    assert log.sources[0].format == "zoom-attendee-report"
    # 15 attendee rows (hosts and panelists are not participants) and one "Other Attended" row.
    assert len(records) == 16
    assert all(r.clinic == TRAVEL for r in records)  # from the topic and the actual start
    assert "letsconnect-host@example.org" not in {r.email for r in records}
    assert "sharer.one@example.org" not in {r.email for r in records}
    absent = [r.email for r in records if r.attended is False]
    assert absent == ["chinedu.mensah5@example.org", "chinedu.fifita10@example.org"]
    # A rejoin is another join of the same registrant, not a second registration.
    kealoha = [r for r in records if r.email == "chinedu.kealoha4@example.org"]
    assert [(r.registered, r.attended) for r in kealoha] == [(True, True), (False, True)]
    other = records[-1]
    assert (other.registered, other.attended, other.email, other.country) == (
        False,
        True,
        None,
        "JP",
    )
    assert records[0].name == "Lani Mwangi" and records[0].country == "TW"
    assert next(r for r in records if r.attended is False).country is None  # "--"


def test_zoom_attendee_report_2025(clinics: list[Clinic]) -> None:
    records, log = read(SAMPLES / "zoom-attendee-report-2025-layout.csv", clinics)
    assert log.sources[0].encoding == "utf-8-sig"
    assert len(records) == 8
    assert {r.clinic for r in records} == {LEXEMES}  # a proposed clinic, matched by its title
    assert records[0].name == "Wei Sato (Wei)"
    assert records[0].role == "paid-staff"  # the custom question with doubled quotes
    assert [r.country for r in records] == ["TZ", "ID", "BR", "GH", "NG", "RO", None, "ID"]
    assert [r.attended for r in records].count(False) == 1


def test_campaignevents_participants(clinics: list[Clinic]) -> None:
    records, log = read(SAMPLES / "campaignevents-participants.json", clinics, clinic=TRAVEL)
    assert log.sources[0].format == "campaignevents-participants"
    assert [r.username for r in records] == [
        "Amina Mwangi",
        "Ravi Kealoha",
        "Tevita Fifita",
        "Lani Mwangi",
        "Chinedu Chen",
        None,  # "hidden": true, no user_name: a registration of an account lc cannot name
    ]
    assert all(r.email is None and r.country is None and r.registered for r in records)
    assert records[0].timestamp == "20230321011530"
    assert log.hidden_users == 1
    # The sample's answers name no affiliate: question 2 is no non-PII question, "No response";
    # the aggregated form (a message string) is ignored without error.
    assert all(r.affiliation is None for r in records)


def test_campaignevents_without_clinic_is_unattributed_not_dropped(clinics: list[Clinic]) -> None:
    records, log = read(SAMPLES / "campaignevents-participants.json", clinics)
    assert records == []
    assert log.unattributed == 6 and log.rows_read == 6
    assert {s.line for s in log.skipped} == {1, 2, 3, 4, 5, 6}
    assert log.hidden_users == 0  # counted among the figures' registrations only
    assert "give --clinic" in log.skipped[0].reason


def test_zoom_meeting_participants_export(exports: Path, clinics: list[Clinic]) -> None:
    records, log = read(exports / "data/hand/2023-04-02-travel-scholarships-zoom.csv", clinics)
    assert log.sources[0].format == "zoom-participants"
    assert all(r.clinic == TRAVEL and r.attended and not r.registered for r in records)  # file name
    assert [r.email for r in records] == ["f@x.org", "h@x.org", "f@x.org", None, "i@x.org"]


def test_generic_csv_with_semicolons_and_forgiving_headers(
    exports: Path, clinics: list[Clinic]
) -> None:
    records, log = read(exports / "data/hand/registrations.csv", clinics)
    assert log.sources[0].format == "csv"
    assert records[1].email == "a@x.org" and records[1].username == "A one"
    assert records[1].clinic == "2023-01-14-building-a-wikimedia-affiliate-group"  # by title
    assert records[5].clinic == "2023-02-21-copyright-clinic-awareness-education"  # case, spacing
    assert records[7].clinic == TRAVEL  # "Travel scholarships": every word in one title
    assert records[5].languages == ("ja", "zh")


def test_a_folder_reads_every_csv_and_json_inside(exports: Path, clinics: list[Clinic]) -> None:
    log = IngestLog()
    list(read_records(["exports"], clinics, ReadOptions(), log))
    expected = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".csv", ".json"))
    assert [Path(s.name).name for s in log.sources] == expected  # README.md is not a source


def test_file_in_a_folder_named_after_a_clinic(exports: Path, clinics: list[Clinic]) -> None:
    folder = exports / "by-clinic" / TRAVEL
    folder.mkdir(parents=True)
    (folder / "participants.json").write_bytes(
        (SAMPLES / "campaignevents-participants.json").read_bytes()
    )
    records, _ = read(exports / "by-clinic", clinics)
    assert len(records) == 6 and {r.clinic for r in records} == {TRAVEL}


def test_clinic_prefix_on_a_source(exports: Path, clinics: list[Clinic]) -> None:
    source = f"{TRAVEL}=exports/campaignevents-participants.json"
    log = IngestLog()
    records = list(read_records([source], clinics, ReadOptions(), log))
    assert len(records) == 6 and {r.clinic for r in records} == {TRAVEL}


def test_column_map_from_the_user(exports: Path, clinics: list[Clinic]) -> None:
    path = exports / "odd.csv"
    path.write_text(
        "Correo,Pais de residencia,Sesion\nx@y.org,Namibia,Travel scholarships\n", encoding="utf-8"
    )
    columns = {"correo": "email", "pais de residencia": "country", "sesion": "clinic"}
    records, _ = read(path, clinics, columns=columns)
    assert (records[0].email, records[0].country, records[0].region) == ("x@y.org", "NA", "SSA")


def test_a_zoom_report_of_another_meeting_is_never_given_to_the_clinic_asked_for(
    clinics: list[Clinic],
) -> None:
    """`--clinic X` (and `lc invite X --registrations`) once took every row of a Zoom report whose
    topic and start match no clinic file as X's: attendees of another session invited to X."""
    others = [c for c in clinics if c.id != TRAVEL]  # the report's own clinic is not a file
    records, log = read(SAMPLES / "zoom-attendee-report-2020-layout.csv", others, clinic=LEXEMES)
    assert records == []
    assert log.unattributed == 16
    reasons = set(log.skip_reasons)
    assert any("match no clinic file" in reason and "CLINIC=FILE" in reason for reason in reasons)
    # Named explicitly (CLINIC=FILE), the report is that clinic's.
    named = f"{LEXEMES}={SAMPLES / 'zoom-attendee-report-2020-layout.csv'}"
    log = IngestLog()
    opts = ReadOptions(clinic=LEXEMES)
    records = list(read_records([named], others, opts, log))
    assert len(records) == 16 and {r.clinic for r in records} == {LEXEMES}
