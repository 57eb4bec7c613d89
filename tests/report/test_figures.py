"""Exact figures on fixtures whose expected numbers were computed by hand.

`data/report/hand/` (see the comments below for the working): a semicolon CSV of registrations for
the three dated seed clinics, a CampaignEvents list and a Zoom participants export named after the
travel-scholarships clinic, and a Google Forms feedback export.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.report.conftest import run, run_json

JAN = "2023-01-14-building-a-wikimedia-affiliate-group"
FEB = "2023-02-21-copyright-clinic-awareness-education"
TRAVEL = "2023-04-02-travel-scholarships"


def test_hand_computed_figures(exports: Path, runner: CliRunner) -> None:
    report = run_json(runner, "data/hand", "--min-count", "0")
    # People: a (JAN, FEB; registered twice for JAN), b, c (JAN), D four (FEB by username, TRAVEL
    # in the CampaignEvents list), e (FEB), f, g, h (TRAVEL), Zed (CampaignEvents), i and a phone
    # caller (attended TRAVEL without registering) = 11. Registrations: a 2, b, c, D 2, e, f, g,
    # h, Zed = 11 over 3 clinics = 3.7. Attended TRAVEL: f (joined twice), h, i, phone = 4, of the
    # 5 registered for TRAVEL f and h came: 2/5 = 0.4.
    assert {
        key: report[key]
        for key in (
            "clinics",
            "registrations",
            "participants",
            "returning_participants",
            "average_registrations_per_clinic",
            "attended",
            "average_attendance_per_clinic",
            "attendance_rate",
        )
    } == {
        "clinics": 3,
        "registrations": 11,
        "participants": 11,
        "returning_participants": 2,
        "average_registrations_per_clinic": 3.7,
        "attended": 4,
        "average_attendance_per_clinic": 4.0,
        "attendance_rate": 0.4,
    }
    # Regions from countries: a, b (Nigeria), c (Ghana), f (Tanzania) SSA; D (Philippines),
    # e (Viet Nam)
    # ESEAP; h (India) SA; g's "Mars" is unknown; the others gave no country. 7 with a region.
    assert [(r["region"], r["participants"], r["share"]) for r in report["regions"]] == [
        ("SSA", 4, 0.5714),
        ("ESEAP", 2, 0.2857),
        ("SA", 1, 0.1429),
    ]
    # Viet Nam is on the protection list: not shown one by one, counted in its region and the line.
    assert [
        (c["country"], c["participants"], c["share_of_region"]) for c in report["countries"]
    ] == [
        ("NG", 2, 0.5),
        ("GH", 1, 0.25),
        ("IN", 1, 1.0),
        ("PH", 1, 0.5),
        ("TZ", 1, 0.25),
    ]
    assert report["protected_countries"] == {
        "name": "Protected countries",
        "participants": 1,
        "share": 0.1429,
        "suppressed": False,
    }
    assert [(r["role"], r["participants"]) for r in report["roles"]] == [
        ("editor", 3),
        ("organiser", 2),
        ("board-member", 1),
        ("paid-staff", 1),
    ]
    assert [
        (lang["language"], lang["participants"], lang["share"]) for lang in report["languages"]
    ] == [
        ("ja", 2, 0.6667),
        ("fr", 1, 0.3333),
        ("zh", 1, 0.3333),
    ]
    # Feedback: f 5 (f's second answer, 3, is a duplicate), h 4, anonymous 4, a 5 (JAN); a 7 is
    # outside 1-5: a finding, not averaged.
    assert report["satisfaction"] == {
        "responses": 4,
        "mean": 4.5,
        "median": 4.5,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 2, "5": 2},
        "suppressed": [],
    }
    assert [
        (c["clinic"], c["registrations"], c["attended"], c["satisfaction_mean"])
        for c in report["per_clinic"]
    ] == [
        (JAN, 3, None, 5.0),
        (FEB, 3, None, None),
        (TRAVEL, 5, 4, 4.33),
    ]
    quality = report["data_quality"]
    listed = ("skipped", "unknown_countries")
    assert {k: v for k, v in quality.items() if k not in listed} == {
        "rows_read": 24,  # 11 + 2 + 5 + 6
        "duplicates": 2,  # a's second JAN registration, f's second feedback
        "rejoins": 1,  # f joined TRAVEL twice
        "region_corrected": 0,
        "unknown_country": 1,  # Mars
        "country_guessed_rows": 0,
        "country_guessed": [],
        "unknown_languages": [],
        "unattributed": 1,  # "A clinic that never was"
        "hidden_users": 0,
        "skipped_total": 2,
    }
    assert [
        (e["value"], e["rows"], Path(e["first"]).name) for e in quality["unknown_countries"]
    ] == [("Mars", 1, "registrations.csv:10")]
    assert [(Path(s["file"]).name, s["line"]) for s in quality["skipped"]] == [
        ("feedback.csv", 6),
        ("registrations.csv", 11),
    ]


def test_eseap_review_2024(exports: Path, runner: CliRunner) -> None:
    """18 rows all tagged ESEAP: 13 Philippines, 1 Taiwan, 2 South Asia, 1 Tanzania, 1 duplicate."""
    report = run_json(runner, "data/eseap-review-2024.csv", "--min-count", "0")
    assert report["data_quality"]["rows_read"] == 18
    assert report["data_quality"]["duplicates"] == 1
    assert report["data_quality"]["region_corrected"] == 3
    assert report["participants"] == 17
    eseap = next(r for r in report["regions"] if r["region"] == "ESEAP")
    assert eseap["participants"] == 14
    assert {r["region"]: r["participants"] for r in report["regions"]} == {
        "ESEAP": 14,
        "SA": 2,
        "SSA": 1,
    }
    countries = {c["country"]: c["participants"] for c in report["countries"]}
    assert countries == {"PH": 13, "TW": 1, "IN": 1, "TZ": 1}
    assert report["protected_countries"]["participants"] == 1  # Bangladesh is on the list


def test_eseap_review_with_privacy_on(exports: Path, runner: CliRunner) -> None:
    report = run_json(runner, "data/eseap-review-2024.csv")
    regions = {r["region"]: r for r in report["regions"]}
    # SA (2) and SSA (1) are small; hidden together they are 3 < 5, so ESEAP would give them away:
    # it is hidden too.
    assert all(r["suppressed"] and r["participants"] is None for r in regions.values())
    assert report["participants"] == 17


def test_grant_committee_scheme(exports: Path, runner: CliRunner) -> None:
    report = run_json(runner, "data/hand", "--min-count", "0", "--scheme", "grant-committee")
    assert report["scheme"] == "grant-committee"
    assert [(r["region"], r["participants"]) for r in report["regions"]] == [
        ("MEA", 4),
        ("ESEAP", 2),
        ("SA", 1),
    ]


def test_clinic_option_attributes_and_filters(exports: Path, runner: CliRunner) -> None:
    report = run_json(runner, "data/hand", "--min-count", "0", "--clinic", TRAVEL)
    assert report["clinics"] == 1
    assert report["registrations"] == 5 and report["participants"] == 7  # 5 registered + i + phone
    result = run(runner, "data/hand", "--min-count", "0", "--clinic", TRAVEL, "--format", "json")
    assert "row(s) of other clinics left out (--clinic)" in result.stderr


def test_clinic_option_gives_a_clinic_to_rows_without_one(exports: Path, runner: CliRunner) -> None:
    report = run_json(
        runner, "exports/campaignevents-participants.json", "--min-count", "0", "--clinic", TRAVEL
    )
    # Five users and one hidden account: a registration all the same, of nobody else.
    assert report["registrations"] == 6 and report["data_quality"]["unattributed"] == 0
    assert report["participants"] == 6 and report["data_quality"]["hidden_users"] == 1


def test_same_person_in_two_exports_of_one_clinic_is_no_duplicate(
    exports: Path, runner: CliRunner
) -> None:
    (exports / "zoom.csv").write_text(
        "Attendee Report,\nTopic,Webinar ID,Actual Start Time\n"
        'Travel scholarships,1,"Apr 02, 2023 5:58 AM"\n'
        "Attendee Details,\nAttended,User Name (Original Name),Email,Country/Region Name\n"
        "Yes,Jose,JOSE.IYER201@example.org,Japan\n"
    )
    report = run_json(
        runner, "exports/google-forms-registration.csv", "zoom.csv", "--min-count", "0"
    )
    assert report["registrations"] == 10 and report["participants"] == 10
    assert report["data_quality"]["duplicates"] == 0
    assert report["attended"] == 1 and report["attendance_rate"] == 0.1
    # The country the person gave in the form wins over the one Zoom guessed from the address.
    assert {c["country"] for c in report["countries"]} >= {"PH"}
    assert next(c for c in report["countries"] if c["country"] == "JP")["participants"] == 1


def test_username_links_a_form_and_the_event_registration(exports: Path, runner: CliRunner) -> None:
    (exports / f"{TRAVEL}.json").write_text('[{"participant_id": 1, "user_name": "Jose Iyer"}]')
    report = run_json(
        runner, "exports/google-forms-registration.csv", f"{TRAVEL}.json", "--min-count", "0"
    )
    assert report["participants"] == 10 and report["registrations"] == 10


def test_two_identities_seen_apart_then_together_are_one_person(
    exports: Path, runner: CliRunner
) -> None:
    (exports / f"{TRAVEL}.csv").write_text(
        "Email,Username,Country\np@x.org,,Ghana\n,Pat Q,Ghana\np@x.org,Pat_Q,Ghana\n"
    )
    report = run_json(runner, f"{TRAVEL}.csv", "--min-count", "0")
    assert report["participants"] == 1 and report["registrations"] == 1
    assert report["data_quality"]["duplicates"] == 2


def test_every_format_sample_together(exports: Path, runner: CliRunner) -> None:
    report = run_json(runner, "exports", "--min-count", "0", "--clinic", TRAVEL)
    # The 2025 Zoom report is of another clinic (the Wiktionary one), left out by --clinic.
    assert report["clinics"] == 1
    # forms, Zoom 2020 registrants, CampaignEvents (5 users and a hidden account)
    assert report["registrations"] == 10 + 12 + 6
    assert report["attended"] == 11  # 10 registrants came (rejoins once) + the phone user
    assert report["satisfaction"]["responses"] == 8 and report["satisfaction"]["mean"] == 4.38
