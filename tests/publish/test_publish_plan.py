"""The publish decisions without a wiki: page titles, marked sections, the record file, refusals."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from letsconnect_cli.errors import ConfigError, ExitCode, InputUnreadable, RemoteError
from letsconnect_cli.wiki.client import Page
from letsconnect_cli.wiki.publish import (
    MARK_BEGIN,
    MARK_END,
    Published,
    PublishState,
    check_title,
    fingerprint,
    page_title,
    plan,
    record_for,
    split_marked,
)

START = datetime(2023, 4, 2, 6, tzinfo=UTC)
WIKI = "https://meta.wikimedia.org/w/api.php"


def page(text: str | None, revid: int = 10) -> Page:
    if text is None:
        return Page("P", False, "", None, None, "2023-03-20T00:00:00Z")
    return Page("P", True, text, revid, "2023-03-19T00:00:00Z", "2023-03-20T00:00:00Z")


def record(text: str, revid: int = 10, mode: str = "page") -> Published:
    return Published(WIKI, "P", "clinic", "en", revid, "t", fingerprint(text), mode)  # type: ignore[arg-type]


def test_page_titles_follow_the_pattern_and_other_languages_get_subpages():
    pattern = "Grants:Knowledge Sharing/Connect/Learning Clinics/{id}"
    assert page_title(pattern, clinic_id="c", start=START, lang="en", main_lang="en") == (
        "Grants:Knowledge Sharing/Connect/Learning Clinics/c"
    )
    assert page_title(pattern, clinic_id="c", start=START, lang="ja", main_lang="en").endswith(
        "/c/ja"
    )
    assert page_title(
        "Clinics/{year}/{date} ({lang})", clinic_id="c", start=START, lang="ja", main_lang="en"
    ) == ("Clinics/2023/2023-04-02 (ja)")
    with pytest.raises(ConfigError, match="unknown placeholder 'title'"):
        page_title("Clinics/{title}", clinic_id="c", start=START, lang="en", main_lang="en")


@pytest.mark.parametrize("title", ["A|B", "A [x]", "a{{b}}", "", "x" * 256, "A#section"])
def test_impossible_titles_are_refused(title: str):
    with pytest.raises(ConfigError):
        check_title(title)


def test_markers_split_the_page():
    text = f"intro\n{MARK_BEGIN}\nlc text\n{MARK_END}\noutro"
    split = split_marked(text, "P")
    assert split is not None and (split.before, split.owned, split.after) == (
        "intro\n",
        "lc text",
        "\noutro",
    )
    assert split_marked("no markers", "P") is None
    for broken in (
        f"{MARK_END} {MARK_BEGIN}",
        f"{MARK_BEGIN}{MARK_BEGIN}{MARK_END}",
        f"{MARK_BEGIN} only",
    ):
        with pytest.raises(RemoteError, match="must appear once each"):
            split_marked(broken, "P")


def test_a_new_page_is_created_whole_or_as_a_section():
    assert plan(page(None), "text\n", None).new_text == "text"
    created = plan(page(None), "text", None, section=True)
    assert created.action == "create" and created.new_text == f"{MARK_BEGIN}\ntext\n{MARK_END}"


def test_a_deleted_page_is_not_recreated_silently():
    decision = plan(page(None), "text", record("text"))
    assert decision.refusal == "P was deleted since lc published revision 10"
    assert plan(page(None), "text", record("text"), force=True).refusal is None


def test_an_unchanged_page_is_updated_and_an_edited_one_refused():
    assert plan(page("old"), "new", record("old")).action == "update"
    assert plan(page("old"), "new", record("old")).refusal is None
    edited = plan(page("old, edited", revid=11), "new", record("old"), diff_url="https://x/diff")
    assert (
        edited.refusal == "someone else edited P since lc published revision 10 (now revision 11)"
    )
    assert edited.hint is not None and "https://x/diff" in edited.hint
    assert plan(page("old, edited", revid=11), "new", record("old"), force=True).refusal is None


def test_no_change_is_never_refused():
    decision = plan(page("same\n", revid=11), "same", record("other"))
    assert decision.action == "nochange" and decision.refusal is None


def test_a_page_lc_never_wrote_is_refused():
    decision = plan(page("human page"), "new", None)
    assert decision.refusal == "P exists and lc has no record of publishing it"
    assert decision.hint is not None and MARK_BEGIN in decision.hint


def test_in_section_mode_edits_around_the_markers_are_fine_and_inside_refused():
    owned = "lc text"
    text = f"a human intro\n{MARK_BEGIN}\n{owned}\n{MARK_END}\nfooter"
    decision = plan(page(text, revid=12), "new text", record(owned, mode="section"))
    assert decision.refusal is None and decision.mode == "section"
    assert decision.new_text == f"a human intro\n{MARK_BEGIN}\nnew text\n{MARK_END}\nfooter"
    inside = text.replace("lc text", "lc text, edited")
    assert plan(page(inside, revid=12), "new", record(owned, mode="section")).refusal is not None
    # Markers a person placed on a page invite lc in, without a record.
    assert plan(page(text), "new", None).refusal is None


def test_the_diff_is_unified_and_labelled():
    diff = plan(page("one\ntwo"), "one\nthree", record("one\ntwo")).diff()
    assert diff == "--- P (revision 10)\n+++ P (lc)\n@@ -1,2 +1,2 @@\n one\n-two\n+three\n"


def test_the_record_file_round_trips_and_is_written_atomically(tmp_path: Path):
    path = tmp_path / "clinics" / ".lc-published.toml"
    state = PublishState(path)
    saved = page(f"x\n{MARK_BEGIN}\nmine\n{MARK_END}", revid=42)
    state.put(record_for(WIKI, saved, what="2023-04-02-c", lang="ja"))
    state.put(
        record_for(
            "https://other.example/w/api.php", page("whole", revid=3), what="index", lang="en"
        )
    )
    data = tomllib.loads(path.read_text())
    assert [p["wiki"] for p in data["page"]] == [
        "https://meta.wikimedia.org/w/api.php",
        "https://other.example/w/api.php",
    ]
    again = PublishState(path).get(WIKI, "P")
    assert (
        again is not None
        and again.revid == 42
        and again.mode == "section"
        and again.sha1 == fingerprint("mine")
    )
    assert sorted(p.name for p in path.parent.iterdir()) == [".lc-published.toml"]


def test_a_broken_record_file_is_exit_4(tmp_path: Path):
    path = tmp_path / ".lc-published.toml"
    path.write_text("[[page]]\nwiki = 1\n")
    with pytest.raises(InputUnreadable) as caught:
        PublishState(path)
    assert caught.value.exit_code == ExitCode.INPUT and "git checkout" in str(caught.value)


def test_publish_needs_credentials_unless_dry_run(runner, project):
    from tests.conftest import invoke

    result = invoke(runner, "publish", "2023-04-02-travel-scholarships")
    assert result.exit_code == 2 and "LC_WIKI_USERNAME is not set" in result.stderr
    assert "never given as flags" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give a clinic id, or --index"),
        (["2023-04-02-travel-scholarships", "--index"], "give a clinic id, or --index"),
        (["2023-04-02-travel-scholarships", "--as-of", "2023-01-01"], "--as-of is for --index"),
        (["--index", "--as-of", "next week"], "is not a date"),
        (["2023-04-02-travel-scholarships", "--api-url", "meta.wikimedia.org"], "--api-url"),
        (["2023-04-02-travel-scholarships", "--page", "A|B"], "cannot be a wiki page title"),
    ],
)
def test_publish_usage_errors(runner, project, args, message):
    from tests.conftest import invoke

    result = invoke(runner, "publish", *args)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
