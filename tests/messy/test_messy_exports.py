"""Registrants as the region writes them (issue 17): the messy-export fixture in tests/data/messy.

`registrations-messy.csv` is UTF-8 with a BOM, comma-separated, with typos, names in their own
scripts, the same email in two cases, an empty row and a value carrying terminal escapes;
`registrations-excel-utf16.csv` is UTF-16 with semicolons, as Excel saves "Unicode text".
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import DATA, invoke

MESSY = DATA / "messy"
SEED = "2023-04-02-travel-scholarships"

#: Every distinct country spelling of the fixture, and what lc makes of it.
RECOGNISED = {
    "Phillipines": "PH",  # a typo CLDR itself lists (one locale spells it so)
    "PH": "PH",
    "Viet Nam": "VN",
    "日本": "JP",
    "台灣": "TW",
    "Aotearoa": "NZ",
    "Singapore": "SG",
    "ประเทศไทย": "TH",
    "대한민국": "KR",
    "Hong Kong": "HK",
    "Việt Nam": "VN",
    "Tonga": "TO",
    "Indonesia": "ID",
    "中華民國\uff08台灣\uff09": "TW",  # full-width parentheses
    "Samoa": "WS",
}
GUESSED = {"Indonisia": "ID", "Malysia": "MY", "Phillippines": "PH"}
UNKNOWN = {"Mindanao", "Austrlia", "Planet Earth, somewhere far away from a…"}


@pytest.fixture
def messy(project: Path) -> Path:
    folder = project / "messy"
    shutil.copytree(MESSY, folder)
    return folder


def report_json(runner: CliRunner, *extra: str) -> dict[str, Any]:
    result = invoke(runner, "report", "messy", "--json", "--min-count", "0", *extra)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# --- countries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "code"), sorted(RECOGNISED.items()))
def test_country_names_in_every_script(value: str, code: str) -> None:
    from letsconnect_cli.ingest.countries import EXACT, resolve

    assert resolve(value) == resolve(value) and resolve(value).code == code
    assert resolve(value).how == EXACT


@pytest.mark.parametrize(
    "value",
    ["Filipinas", "Pilipinas", "Nouvelle-Zélande", "NOUVELLE ZELANDE", "vietnam", "PHL", "nzl"],
)
def test_other_locales_codes_case_accents_punctuation(value: str) -> None:
    from letsconnect_cli.ingest.countries import resolve

    assert resolve(value).code in {"PH", "NZ", "VN"}


@pytest.mark.parametrize(
    ("value", "code"),
    [("Lao PDR", "LA"), ("Fiji Islands", "FJ"), ("Solomon Is.", "SB"), ("Lao P.D.R.", "LA")],
)
def test_names_the_region_writes_that_cldr_lacks(value: str, code: str) -> None:
    from letsconnect_cli.ingest.countries import EXACT, resolve

    assert resolve(value).code == code and resolve(value).how == EXACT


@pytest.mark.parametrize(
    ("value", "code"), [("🇯🇵", "JP"), (" 🇳🇿 ", "NZ"), ("🇹🇼", "TW"), ("🇵🇭🇯🇵", None), ("🇽🇽", None)]
)
def test_a_flag_alone_names_its_country(value: str, code: str | None) -> None:
    from letsconnect_cli.ingest.countries import EXACT, UNKNOWN, resolve

    assert resolve(value).code == code
    # Never "blank": the cell says something.
    assert resolve(value).how == (EXACT if code else UNKNOWN)


@pytest.mark.parametrize(("value", "code"), sorted(GUESSED.items()))
def test_near_misses_are_guessed(value: str, code: str) -> None:
    from letsconnect_cli.ingest.countries import GUESSED as HOW
    from letsconnect_cli.ingest.countries import resolve

    assert resolve(value).code == code and resolve(value).how == HOW


@pytest.mark.parametrize("value", ["Austrlia", "Mindanao", "Nigerria and Niger", "Tawian"])
def test_ambiguous_or_far_values_stay_unknown(value: str) -> None:
    from letsconnect_cli.ingest.countries import resolve

    # "Austrlia" is 0.94 from Australia and 0.93 from Austria: too close to call.
    assert resolve(value).code is None


def test_report_lists_every_spelling_with_rows_and_first_line(
    runner: CliRunner, messy: Path
) -> None:
    data = report_json(runner, "--show-protected")  # Viet Nam is on the protection list
    quality = data["data_quality"]
    guessed = {e["value"]: (e["country"], e["rows"]) for e in quality["country_guessed"]}
    assert guessed == {"Indonisia": ("ID", 1), "Malysia": ("MY", 1), "Phillippines": ("PH", 1)}
    unknown = {e["value"]: (e["rows"], e["first"]) for e in quality["unknown_countries"]}
    assert set(unknown) == UNKNOWN
    assert unknown["Mindanao"] == (1, "messy/registrations-messy.csv:13")
    assert quality["unknown_country"] == 3
    assert quality["country_guessed_rows"] == 3
    countries = {e["country"]: e["participants"] for e in data["countries"] if e["country"]}
    for code in ("JP", "TW", "NZ", "VN", "PH", "KR", "TH", "HK", "SG"):
        assert countries.get(code), code
    assert countries["TW"] == 2  # 台灣, and 中華民國 with 台灣 in full-width parentheses
    assert countries["VN"] == 2  # Viet Nam and Việt Nam


def test_guesses_of_protected_countries_are_not_listed() -> None:
    from letsconnect_cli.ingest.records import IngestLog

    log = IngestLog()
    log.note(log.guessed_countries, "Vietnm", "a.csv", 2, "VN")
    log.note(log.guessed_countries, "Indonisia", "a.csv", 3, "ID")
    shown = log.value_lists(frozenset({"VN"}))["country_guessed"]
    assert [e["value"] for e in shown] == ["Indonisia"]
    assert len(log.value_lists()["country_guessed"]) == 2


def test_listed_values_are_capped_and_have_no_control_characters(
    runner: CliRunner, messy: Path
) -> None:
    quality = report_json(runner)["data_quality"]
    for item in quality["unknown_countries"] + quality["unknown_languages"]:
        assert len(item["value"]) <= 40
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in item["value"])
    table = invoke(runner, "report", "messy", "--min-count", "0")
    assert "\x1b" not in table.stdout and "[31m" not in table.stdout


def test_table_output_lists_the_spellings(runner: CliRunner, messy: Path) -> None:
    result = invoke(runner, "report", "messy", "--min-count", "0")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert 'unknown country: "Mindanao" (1 row(s), first messy/registrations-messy.csv:13)' in text
    assert 'country guessed: "Indonisia" -> ID (1 row(s)' in text
    assert 'unknown language: "Taglish"' in text
    assert "3 row(s) name a country lc does not know, in 3 spelling(s)" in result.stderr


def test_map_country_flag_and_lc_toml(runner: CliRunner, messy: Path, project: Path) -> None:
    data = report_json(runner, "--map-country", "Mindanao=PH", "--map-country", "austrlia=AUS")
    values = {e["value"] for e in data["data_quality"]["unknown_countries"]}
    assert values == UNKNOWN - {"Mindanao", "Austrlia"}
    config = project / "lc.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[report.countries]\n"MINDANAO" = "ph"\n',
        encoding="utf-8",
    )
    values = {e["value"] for e in report_json(runner)["data_quality"]["unknown_countries"]}
    assert "Mindanao" not in values and "Austrlia" in values


def test_a_listed_value_maps_as_listed_even_when_cut_or_cleaned(
    runner: CliRunner, messy: Path
) -> None:
    """What the report lists (escapes removed, cut at 40 with …) is what the organiser copies."""
    listed = report_json(runner)["data_quality"]["unknown_countries"]
    long = next(e["value"] for e in listed if e["value"].endswith("\u2026"))
    data = report_json(runner, "--map-country", f"{long}=AU")
    assert long not in {e["value"] for e in data["data_quality"]["unknown_countries"]}
    from letsconnect_cli.ingest.countries import MAPPED, resolve
    from letsconnect_cli.ingest.folding import fold_name

    assert resolve("\x1b[2J\x1b]0;pwn\x07Evil", {fold_name("Evil"): "AU"}) == resolve(
        "Evil", {fold_name("Evil"): "AU"}
    )
    assert resolve("\x1b[31mEvil", {fold_name("Evil"): "AU"}).how == MAPPED


def test_a_bad_mapping_is_refused(runner: CliRunner, messy: Path, project: Path) -> None:
    result = invoke(runner, "report", "messy", "--map-country", "Mindanao=Atlantis")
    assert result.exit_code == 2 and "is no country" in result.stderr
    result = invoke(runner, "report", "messy", "--map-country", "Mindanao")
    assert result.exit_code == 2 and "SPELLING=CODE" in result.stderr
    config = project / "lc.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[report.countries]\n"Mindanao" = "XX"\n',
        encoding="utf-8",
    )
    result = invoke(runner, "report", "messy")
    assert result.exit_code != 0 and "[report.countries]" in result.stderr


@pytest.mark.slow
def test_the_index_is_lazy_and_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from letsconnect_cli.ingest.countries import resolve\n"
        "assert resolve('Philippines').code == 'PH'\n"
        "print('cldr' if 'letsconnect_cli.ingest.cldr_names' in sys.modules else 'none')\n"
        "assert resolve('台灣').code == 'TW'\n"
    )
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "none"  # English names never build the all-locale index
    cached = list((tmp_path / "lc").glob("names-*.json"))
    assert len(cached) == 1
    stored = json.loads(cached[0].read_text(encoding="utf-8"))
    assert stored["countries"]["台灣"] == "TW" and stored["languages"]["tieng viet"] == "vi"


def test_building_the_index_leaves_babel_formatting_whole() -> None:
    from datetime import UTC, datetime

    from letsconnect_cli.ingest import cldr_names
    from letsconnect_cli.places.i18n import format_time, resolve_language

    cldr_names.build()
    assert format_time(datetime(2023, 4, 2, 6, tzinfo=UTC), resolve_language("zh-Hant")) == "06:00"


# --- languages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("Bahasa Indonesia", ("id",)),
        ("Tiếng Việt", ("vi",)),
        ("中文", ("zh",)),
        ("日本語", ("ja",)),
        ("Tagalog/Filipino", ("tl", "fil")),
        ("ภาษาไทย", ("th",)),
        ("한국어", ("ko",)),
        ("Bahasa Melayu; English", ("ms", "en")),
        ("Tiếng Việt、English", ("vi", "en")),
        ("繁體中文\uff0c日本語", ("zh-Hant", "ja")),  # a full-width comma
        ("Japanese and Korean", ("ja", "ko")),
        ("Chinese (Traditional)", ("zh-Hant",)),
        ("简体中文", ("zh-Hans",)),
        ("Hokkien, 中文", ("und", "zh")),
        ("no interpretation", ()),
        ("Te reo Māori", ("mi",)),
        ("te reo", ("mi",)),
        ("ພາສາລາວ", ("lo",)),
        ("ភាសាខ្មែរ", ("km",)),
        ("Монгол хэл", ("mn",)),
    ],
)
def test_languages_by_endonym_and_exonym(value: str, codes: tuple[str, ...]) -> None:
    from letsconnect_cli.ingest.cleaning import language_codes

    assert language_codes(value) == codes


def test_report_language_table(runner: CliRunner, messy: Path) -> None:
    data = report_json(runner)
    languages = {e["language"]: e for e in data["languages"]}
    for code in ("id", "vi", "ja", "ko", "th", "ms", "jv"):
        assert languages[code]["participants"], code
    assert "zh-Hant" not in languages  # Chinese is one language ...
    assert languages["zh"]["participants"] == 5
    assert languages["zh"]["scripts"] == {"Hant": 2}  # ... with the scripts the exports gave
    assert languages["ja"]["scripts"] == {}
    unknown = {e["value"]: e["rows"] for e in data["data_quality"]["unknown_languages"]}
    assert unknown == {"Taglish": 1, "Hokkien": 1}
    hidden = report_json(runner, "--min-count", "3")
    zh = next(e for e in hidden["languages"] if e["language"] == "zh")
    assert zh["participants"] == 5 and zh["scripts"] is None  # 2 < 3: hidden


def test_the_same_email_in_two_cases_the_bom_the_empty_row_and_utf16(
    runner: CliRunner, messy: Path
) -> None:
    data = report_json(runner)
    sources = {Path(s["file"]).name: s for s in data["sources"]}
    assert sources["registrations-excel-utf16.csv"]["encoding"] == "utf-16"
    assert sources["registrations-messy.csv"]["rows"] == 18  # the empty row is not a row
    assert data["data_quality"]["duplicates"] == 1  # Maria, Maria.Santos501@Example.ORG
    assert data["participants"] == 22


# --- Chinese by place ------------------------------------------------------------------------------


def test_traditional_places_agree_with_cldr() -> None:
    from babel import Locale

    from letsconnect_cli.ingest.language_names import TRADITIONAL_PLACES, chinese_script

    for place in ("TW", "HK", "MO"):
        assert Locale.parse(f"zh_{place}").script == "Hant"
        assert place in TRADITIONAL_PLACES
    assert Locale.parse("zh_SG").script == "Hans"
    assert chinese_script("zh", "TW") == "zh-Hant"
    assert chinese_script("zh", "SG") == "zh-Hans"
    assert chinese_script("zh", None) == "zh-Hans"
    assert chinese_script("zh-Hans", "TW") == "zh-Hans"  # what the person wrote stands


def test_all_langs_writes_traditional_only_where_the_region_reads_it(
    runner: CliRunner, project: Path
) -> None:
    eseap = invoke(runner, "announce", SEED, "--all-langs", "-o", "a", "--format", "text")
    assert eseap.exit_code == 0, eseap.output
    assert sorted(p.name for p in (project / "a").iterdir()) == [
        f"{SEED}.en.txt",
        f"{SEED}.ja.txt",
        f"{SEED}.zh-Hans.txt",
        f"{SEED}.zh-Hant.txt",
    ]
    south_asia = invoke(
        runner, "announce", SEED, "--all-langs", "-o", "b", "--region", "SA", "--format", "text"
    )
    assert south_asia.exit_code == 0, south_asia.output
    assert sorted(p.name for p in (project / "b").iterdir()) == [
        f"{SEED}.en.txt",
        f"{SEED}.ja.txt",
        f"{SEED}.zh-Hans.txt",
    ]


# --- invitations -------------------------------------------------------------------------------------


@pytest.fixture
def invite_project(project: Path) -> Path:
    from tests.mail.conftest import set_clinic, upcoming

    set_clinic(
        project,
        start=upcoming(),
        status="confirmed",
        registration_url="https://meta.wikimedia.org/wiki/Event:Travel_scholarships_clinic",
    )
    shutil.copytree(MESSY, project / "exports")
    return project


def invite_json(runner: CliRunner, *extra: str) -> dict[str, Any]:
    args = ["invite", SEED, "--region", "ESEAP", "--registrations", "exports", "--dry-run"]
    result = invoke(runner, *args, "--json", *extra)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_unknown_country_registrants_are_invited_and_counted(
    runner: CliRunner, invite_project: Path
) -> None:
    data = invite_json(runner)
    assert data["unknown_country"] == 4  # Mindanao, Austrlia, the escaped value, the blank one
    assert data["by_country"][""]["new"] == 4
    assert data["not_invited"]["no_country"] == 0
    skipped = invite_json(runner, "--skip-unknown-country")
    assert skipped["unknown_country"] == 0
    assert skipped["not_invited"]["no_country"] == 4
    reasons = [p for p in skipped["not_invited_people"] if p["reason"] == "unknown_country"]
    assert len(reasons) == 4
    for person in reasons:
        assert person["address"].count("***") == 2  # masked
        assert person["first"].startswith("exports/registrations-messy.csv:")
        assert "[report.countries]" in person["fix"]
    mapped = invite_json(runner, "--skip-unknown-country", "--map-country", "Mindanao=PH")
    assert mapped["not_invited"]["no_country"] == 3


def test_every_person_not_invited_is_listed(runner: CliRunner, invite_project: Path) -> None:
    (invite_project / "exports" / "other.csv").write_text(
        "Email,Country,Clinic\n"
        f"priya.rao701@example.in,India,{SEED}\n"
        f",Japan,{SEED}\n"
        f"kim@@example,South Korea,{SEED}\n",
        encoding="utf-8",
    )
    data = invite_json(runner)
    listed = {(p["reason"], p["first"]) for p in data["not_invited_people"]}
    assert listed == {
        ("outside_region", "exports/other.csv:2"),
        ("without_address", "exports/other.csv:3"),
        ("bad_address", "exports/other.csv:4"),
    }
    args = ["invite", SEED, "--region", "ESEAP", "--registrations", "exports", "--dry-run"]
    table = invoke(runner, *args)
    text = " ".join(table.stdout.split())
    assert "outside_region exports/other.csv:2" in text
    assert "@" not in table.stdout  # a dry run shows no address, not even masked
    assert "invited although their country is unknown: 4" in text
    skipped = invoke(runner, *args, "--skip-unknown-country")
    assert "[report.countries]" in skipped.stdout  # shown as text, not taken for markup


def test_chinese_email_by_place(runner: CliRunner, invite_project: Path) -> None:
    data = invite_json(runner, "--show-addresses")
    languages = {row["address"]: row["language"] for row in data["recipients"]}
    assert languages["chen.yiting505@example.tw"] == "zh-Hant"  # 中文, in Taiwan
    assert languages["tan.weiming509@example.sg"] == "zh-Hans"  # 中文, in Singapore
    assert languages["wong.kaman514@example.hk"] == "zh-Hant"  # Chinese (Traditional)
    assert languages["yui.tanaka504@example.jp"] == "ja"  # 日本語
    assert languages["linh.tran503@example.vn"] == "vi"  # Tiếng Việt
    assert languages["budi.santoso507@example.id"] == "id"  # Bahasa Indonesia
    # the same email in two cases is one person, invited once
    assert sum(a == "maria.santos501@example.org" for a in languages) == 1


def test_invite_warning_counts_only_what_there_is(runner: CliRunner, invite_project: Path) -> None:
    args = ["invite", SEED, "--region", "ESEAP", "--registrations", "exports", "--dry-run"]
    maps = ["Mindanao=PH", "Austrlia=AU", "Planet Earth, somewhere far away from a\u2026=AU"]
    flags = [arg for spelling in maps for arg in ("--map-country", spelling)]
    result = invoke(runner, *args, *flags)
    assert result.exit_code == 0, result.output
    assert "0 row(s)" not in result.stderr
    assert "3 row(s) name a country by a near miss lc accepted" in result.stderr
    both = invoke(runner, *args)
    assert "3 row(s) name a country lc does not know; 3 row(s) name" in both.stderr


def test_scripts_are_hidden_when_the_people_who_named_none_are_few() -> None:
    """Chinese 12 = Traditional 6 + Simplified 5 + 1 who named no script: showing both scripts
    beside the language's count would tell that 1 by subtraction."""
    from collections import Counter

    from letsconnect_cli.report.language_scripts import add_scripts

    def scripts(people: int, base: int | None = None) -> object:
        entry = {"language": "zh", "suppressed": False, "participants": people}
        forms = Counter({"zh-Hant": 6, "zh-Hans": 5})
        return add_scripts([entry], forms, 5, Counter({"zh": people}), base)[0]["scripts"]

    assert scripts(12) is None
    assert scripts(11) == {"Hans": 5, "Hant": 6}
    assert scripts(16) == {"Hans": 5, "Hant": 6}  # 5 named none: not small
    assert scripts(11, base=5) == {"Hans": 5, "Hant": 5}  # --round rounds them too
