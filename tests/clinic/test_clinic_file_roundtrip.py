"""Property: any valid clinic that lc writes reads back equal (hypothesis)."""

from __future__ import annotations

import string
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letsconnect_cli.clinic.clinics import (
    clinic_from_mapping,
    read_clinic_file,
    render_clinic,
    write_clinic,
)
from letsconnect_cli.clinic.models import Clinic
from letsconnect_cli.vocab import Category, Status

# Text as people type it: any printable character, newlines, tabs, quotes, backslashes, CJK.
text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    min_size=1,
    max_size=80,
).filter(lambda s: s.strip() == s and s.strip() != "")
multiline = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=200
).filter(lambda s: s.strip() == s and s != "")
slug = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=12)
url = st.builds(
    lambda host, path: f"https://{host}.example.org/{path}",
    slug,
    # a % only as a percent-encoded byte: links are checked against RFC 3986
    st.lists(
        st.text(alphabet=string.ascii_letters + "-_.~?=&;,", min_size=1, max_size=6)
        | st.sampled_from(["%20", "%2F", "%C3%A9", "%25"]),
        max_size=5,
    ).map("".join),
)
language = st.sampled_from(
    ["en", "ja", "zh", "zh-Hans", "zh-TW", "id", "ko", "th", "vi", "fil", "tl", "ms"]
)
region = st.sampled_from(["CEE", "ESEAP", "LAC", "MENA", "NA", "NWE", "SA", "SSA"])
instant = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(second=d.second if d.microsecond % 2 else 0))
duration = st.integers(min_value=15, max_value=12 * 60).map(lambda m: timedelta(minutes=m))
sharer = st.fixed_dictionaries(
    {"name": text},
    optional={
        "affiliation": text,
        "role": text,
        "username": st.from_regex(r"[A-Z][a-z0-9 ]{0,15}[a-z]", fullmatch=True),
    },
)


@st.composite
def clinics(draw: st.DrawFn) -> Clinic:
    status = draw(st.sampled_from(list(Status)))
    start = None if status is Status.PROPOSED and draw(st.booleans()) else draw(instant)
    raw: dict[str, object] = {
        "title": draw(text),
        "status": status.value,
        "language": draw(language),
        "interpretation": draw(st.lists(language, max_size=3, unique=True)),
        "regions": draw(st.lists(region, max_size=3, unique=True)),
        "sharers": draw(st.lists(sharer, max_size=3)),
        "calendar": {"uid": draw(slug) + "@letsconnect"},
    }
    if start is not None:
        raw["start"] = start
        raw["duration"] = f"{int(draw(duration).total_seconds() // 60)}m"
    if draw(st.booleans()):
        raw["category"] = draw(st.sampled_from(list(Category))).value
    for key in ("platform", "contact"):
        if draw(st.booleans()):
            raw[key] = draw(text) if key == "platform" else "someone@example.org"
    for key in ("meeting_url", "registration_url"):
        if draw(st.booleans()) or (key == "registration_url" and status is Status.CONFIRMED):
            raw[key] = draw(url)
    if draw(st.booleans()):
        raw["description"] = draw(multiline)
    if draw(st.booleans()):
        raw["capacity"] = draw(st.integers(min_value=1, max_value=10_000))
    if draw(st.booleans()):
        raw["links"] = {"recording": draw(url), "etherpad": draw(url)}
    prefix = start.date().isoformat() if start else "proposed"
    clinic, problems = clinic_from_mapping(f"{prefix}-{draw(slug)}", raw)
    assert clinic is not None, problems
    return clinic


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clinics())
def test_rendered_clinic_reads_back_equal(clinic: Clinic) -> None:
    text_out = render_clinic(clinic)
    again, problems = clinic_from_mapping(clinic.id, tomllib.loads(text_out))
    assert problems == []
    assert again == clinic


@pytest.mark.slow
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(clinics())
def test_written_file_reads_back_equal(tmp_path: Path, clinic: Clinic) -> None:
    path = write_clinic(tmp_path, clinic, force=True)
    loaded = read_clinic_file(path)
    assert loaded.errors == []
    assert loaded.clinic == clinic
