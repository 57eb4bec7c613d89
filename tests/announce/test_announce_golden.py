"""Golden files: every format in every language for the seed's 2 April 2023 clinic (English with
Japanese and Chinese interpretation, ESEAP), and every format in English for the other dated
clinics.

Regenerate after an intended change: `LC_UPDATE_GOLDEN=1 pytest tests/announce/test_announce_golden.py`,
then read the diff (git diff tests/data/announce) before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA, invoke

GOLDEN = DATA / "announce"
FORMATS = {"wikitext": "wiki", "markdown": "md", "text": "txt", "html": "html", "email": "eml"}
LANGUAGES = ["en", "ja", "zh-Hans", "zh-Hant", "id", "ko", "th", "vi", "fil"]
TRAVEL = "2023-04-02-travel-scholarships"
OTHERS = [
    "2023-01-14-building-a-wikimedia-affiliate-group",
    "2023-02-21-copyright-clinic-awareness-education",
]
CASES = [(TRAVEL, f, lang) for f in FORMATS for lang in LANGUAGES] + [
    (c, f, "en") for c in OTHERS for f in FORMATS
]
#: The Date of the email announcements: 20 March 2023, 00:00 UTC.
EPOCH = "1679270400"


@pytest.mark.parametrize(("clinic", "output_format", "lang"), CASES)
def test_announcement_matches_its_golden_file(
    runner, project, monkeypatch, golden, clinic, output_format, lang
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = invoke(runner, "announce", clinic, "--format", output_format, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    golden(GOLDEN / f"{clinic}.{lang}.{FORMATS[output_format]}", result.stdout)


def test_the_japanese_announcement_says_what_the_issue_asks(runner, project):
    """Spot checks of the golden content itself, so a bad regeneration cannot pass unnoticed."""
    text = (GOLDEN / f"{TRAVEL}.ja.txt").read_text()
    assert "2023年4月2日(日)" in text
    assert "マニラ 14:00 · ジャカルタ 13:00 · 東京 15:00 · シドニー 16:00" in text
    assert "英語（日本語、中国語の通訳あり）" in text  # noqa: RUF001
    english = (GOLDEN / f"{TRAVEL}.en.txt").read_text()
    assert (
        "Sunday, 2 April 2023, 06:00\u2009\u2013\u200908:00 UTC · 14:00 Manila · 13:00 Jakarta · "
        "15:00 Tokyo · 16:00 Sydney" in english
    )
    assert "Duration: 2 hours" in english and "Platform: Zoom" in english
    assert "English, with interpretation into Japanese and Chinese" in english
    assert "Contact: letsconnectteam@wikimedia.org" in english
    affiliate = (GOLDEN / f"{OTHERS[0]}.en.wiki").read_text()
    assert (
        "* '''Sharer:''' Imelda R. Brazal, Executive Director and Co-founder, "
        "Wiki Advocates Philippines User Group" in affiliate
    )
    # Sydney left daylight saving on 2 April 2023 (03:00 local): 17:00 in January, 16:00 in April.
    assert "17:00 Sydney" in affiliate


def test_the_city_date_and_time_in_japanese(project):
    """The lead's example: a city's local date and time as Japanese writes it."""
    from letsconnect_cli.announce.render import Organiser, clinic_context
    from letsconnect_cli.clinic.clinics import find_clinic
    from letsconnect_cli.places.i18n import resolve_language
    from letsconnect_cli.places.regions import region

    clinic = find_clinic(Path("clinics"), TRAVEL)
    context = clinic_context(clinic, resolve_language("ja"), [region("ESEAP")], Organiser())
    tokyo = next(c for c in context["when"]["cities"] if c["zone"] == "Asia/Tokyo")
    assert tokyo["datetime"] == "2023年4月2日(日) 15:00" and tokyo["offset"] == "+09:00"
