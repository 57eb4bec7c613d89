"""Reach: Wikimedia affiliates engaged, from affiliation answers matched to a list of affiliates.

The list's maintained source is Meta-Wiki's Module:Organizational_Informations (a Lua data table);
`data/report/affiliates/` holds a page shaped like it and the list lc writes from it.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from letsconnect_cli.errors import InputUnreadable
from letsconnect_cli.report.affiliate_list import (
    AffiliateList,
    format_list,
    parse_list,
    parse_module,
)
from tests.conftest import DATA
from tests.privacy.auditor import audit
from tests.report.conftest import run, run_json

FIXTURES = DATA / "report" / "affiliates"
MODULE = (FIXTURES / "Organizational_Informations.lua").read_text(encoding="utf-8")
LIST = FIXTURES / "wikimedia-affiliates.tsv"
FORMATS = ("table", "json", "csv", "markdown", "html")
HEADER = '"Email address","Wikimedia username","Country","Affiliation (if any)","Which Learning Clinic are you registering for?"\n'
CLINIC = "2023-04-02-travel-scholarships"


def _registrations(folder: Path, affiliations: list[str], country: str = "Indonesia") -> Path:
    """One registration per affiliation cell, each a different person."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        f'"p{i}@example.org","P{i}","{country}","{cell}","{CLINIC}"\n'
        for i, cell in enumerate(affiliations)
    ]
    (folder / "registrations.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    return folder


def test_the_module_gives_the_recognised_affiliates_and_nothing_else() -> None:
    affiliates = parse_module(MODULE)
    names = [a.name for a in affiliates]
    assert names == sorted(names, key=str.casefold)
    assert "Wikimedia Indonesia" in names and "Amical Wikimedia" in names
    assert "Wikimedia Hong Kong" not in names  # derecognised
    assert "An Allied Organization" not in names  # not an affiliate
    assert {a.kind for a in affiliates} == {"Chapter", "Thematic Organization", "User Group"}
    indonesia = next(a for a in affiliates if a.name == "Wikimedia Indonesia")
    assert indonesia.aliases == ("WMID",)
    text = format_list(affiliates, source="S", revision="R", keep=None)
    assert "Contact" not in text and "User:" not in text  # contacts are never kept
    assert text == LIST.read_text(encoding="utf-8").replace(
        "http://127.0.0.1/api.php Module:Organizational Informations", "S"
    ).replace("1 (2026-12-07T00:00:00Z)", "R")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "return 'not a table'",
        "return { { group_name = 'x', org_type = 'User Group' }",  # cut off
        "os.execute('rm -rf /')",
        "return {" * 50 + "}" * 50,
        "return { { group_name = 'Only allied', org_type = 'Allied or other organization' } }",
    ],
)
def test_a_page_of_another_shape_is_refused(text: str) -> None:
    with pytest.raises(InputUnreadable):
        parse_module(text)


def test_lua_strings_comments_and_escapes_are_read_as_lua_does() -> None:
    text = r"""-- a comment
    --[==[ a long
    comment ]==]
    return {
        { ["group_name"] = "Wikimedia \"Quoted\" \u{1F600} \65", org_type = 'User Group',
          member_count = 0x1F, other = -2.5e1, flag = true, nothing = nil, },
        { group_name = [[Long
string]], org_type = 'Chapter'; };
        { group_name = 'Bell\a and tab\there', org_type = 'Chapter' },
    }"""
    names = {a.name for a in parse_module(text)}
    assert 'Wikimedia "Quoted" \U0001f600 A' in names
    assert "Long string" in names  # the newline of a name is a space in the list
    assert "Bell and tab here" in names  # control characters never reach the file


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Wikimedia Indonesia", {"Wikimedia Indonesia"}),
        ("  wikimedia   INDONESIA. ", {"Wikimedia Indonesia"}),
        ("WM Indonesia", {"Wikimedia Indonesia"}),
        ("Wikimédia Indonesia", {"Wikimedia Indonesia"}),
        ("Wikimedia Indonesia User Group", {"Wikimedia Indonesia"}),
        ("WMID", {"Wikimedia Indonesia"}),  # an alias the list gives
        ("wmde", {"Wikimedia Deutschland"}),
        ("Wikimedians of Ghana UG", {"Wikimedians of Ghana User Group"}),
        ("WM Ghana Usergroup", {"Wikimedians of Ghana User Group"}),
        ("Ghana Wikimedian User Group", {"Wikimedians of Ghana User Group"}),
        ("The Igbo Wikimedians UG", {"Igbo Wikimedians User Group"}),
        ("Wiki Advocates Philippines", {"Wiki Advocates Philippines User Group"}),
        (
            "Wikimedia Indonesia; Wikimedians of Ghana User Group",
            {"Wikimedia Indonesia", "Wikimedians of Ghana User Group"},
        ),
        ("Amical Wikimedia / WMDE", {"Amical Wikimedia", "Wikimedia Deutschland"}),
        ("Wikimedia Indonesia (volunteer)", {"Wikimedia Indonesia"}),
        ("WMDE (staff); Amical", {"Wikimedia Deutschland"}),
        # Abbreviations the list does not give, and words shared by two affiliates: not guessed.
        ("WMGH", None),
        ("Malaysia User Group", None),
        ("Wikimedia Community User Group Malaysia", {"Wikimedia Community User Group Malaysia"}),
        ("Ghana", None),  # a country is not an affiliate
        ("Wikimedia", None),
        ("Wikimedia Foundation", None),
        ("Wikimedia Hong Kong", None),  # derecognised: not on the list
        ("None", set()),
        ("n/a", set()),
        ("-", set()),
        ("Not affiliated", set()),
        ("", set()),
    ],
)
def test_matching(cell: str, expected: set[str] | None) -> None:
    affiliates = parse_list(LIST.read_text(encoding="utf-8"), "list")
    found = affiliates.match(cell)
    names = None if found is None else {affiliates.affiliates[i].name for i in found}
    assert names == expected


def test_a_liaisons_list_one_name_a_line_or_with_aliases() -> None:
    found = parse_list("name\nWikimedia Indonesia\tWMID\tWM Indo\n\n# a comment\nAmical\n", "x")
    assert [a.name for a in found.affiliates] == ["Wikimedia Indonesia", "Amical"]
    assert not found.complete and found.origin is None
    assert found.match("WM Indo") == frozenset({0})
    with pytest.raises(InputUnreadable):
        parse_list("# only comments\n\n", "x")


def _figures(project: Path, runner: CliRunner, cells: list[str], *args: str) -> dict[str, Any]:
    _registrations(project / "ex", cells)
    shutil.copy(LIST, project / "clinics" / "wikimedia-affiliates.tsv")
    return run_json(runner, "ex", *args)


def test_affiliates_engaged_people_unknown_and_none(project: Path, runner: CliRunner) -> None:
    cells = (
        ["Wikimedia Indonesia"] * 5
        + ["WMID"] * 2
        + ["Wikimedians of Ghana UG"] * 6
        + ["Secret Society of Someone"] * 3
        + ["Another Unlisted Group"] * 2
        + ["None"] * 4
        + [""] * 3
    )
    report = _figures(project, runner, cells, "--min-count", "0")
    found = report["reach"]["affiliates"]
    assert found["engaged"] == 2 and found["people"] == 13
    assert found["unknown"] == 5 and found["none"] == 7 and found["asked"] == 25
    assert found["share"] == round(2 / 8, 4) and found["list"]["complete"] is True
    assert found["list"]["affiliates"] == 8 and found["suppressed"] == []
    assert found["list"]["file"].endswith("wikimedia-affiliates.tsv")
    assert "2 Wikimedia affiliates engaged (25% of all affiliates)." in report["headline"]
    # Every format shows the figure, and none prints an affiliation cell.
    for fmt in FORMATS:
        result = run(runner, "ex", "--min-count", "0", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "Secret Society" not in result.stdout + result.stderr
        assert "Another Unlisted" not in result.stdout + result.stderr
        if fmt != "json":
            assert "affiliates engaged" in result.stdout or "affiliates" in result.stdout
    page = run(runner, "ex", "--min-count", "0", "--format", "html").stdout
    assert "wikimedia-affiliates.tsv (affiliates list: the maintained list, 8 affiliates" in page
    table = run(runner, "ex", "--min-count", "0").stdout
    assert "Wikimedia affiliates engaged" in table and "2 of 8 (25.0%)" in table
    rows = list(csv.reader(io.StringIO(run(runner, "ex", "--format", "csv").stdout)))
    metrics = {r[3]: r[4] for r in rows if r[0] == "reach" and r[1] == "affiliates"}
    assert metrics["listed"] == "8" and set(metrics) >= {"engaged", "unknown", "none", "share"}


def test_small_counts_are_hidden_and_audited(project: Path, runner: CliRunner) -> None:
    """K=5: 3 people from 1 affiliate; the count of affiliates (1) and of those people are hidden,
    and nothing published narrows them down (the auditor knows the relations)."""
    cells = ["Wikimedia Indonesia"] * 3 + ["None"] * 6 + ["Unlisted Org"] * 6
    report = _figures(project, runner, cells)
    found = report["reach"]["affiliates"]
    assert found["people"] is None and found["engaged"] is None and found["share"] is None
    assert {"people", "engaged"} <= set(found["suppressed"])
    assert "affiliate" not in report["headline"]
    assert audit(report) == []
    text = run(runner, "ex").stdout
    assert "Wikimedia affiliates engaged" in text and "hidden" in text
    # The auditor finds the leak when the people are published beside asked and the others.
    leaked = copy.deepcopy(report)
    leaked["reach"]["affiliates"].update(asked=15, unknown=6, none=6)
    leaked["reach"]["affiliates"]["suppressed"] = ["people", "engaged"]
    assert any(f.cell == "affiliates.people" for f in audit(leaked))


def test_round_rounds_the_affiliate_counts(project: Path, runner: CliRunner) -> None:
    cells = ["Wikimedia Indonesia"] * 12 + ["Wikimedia Deutschland"] * 6 + ["None"] * 8
    found = _figures(project, runner, cells, "--round", "5")["reach"]["affiliates"]
    assert found["people"] == 20 and found["none"] == 10 and found["asked"] == 25
    # Two affiliates: a count of 1 to K-1, hidden like any small count.
    assert found["engaged"] is None and "engaged" in found["suppressed"]


def test_without_a_list_the_figure_says_so_and_guesses_nothing(
    project: Path, runner: CliRunner
) -> None:
    _registrations(project / "ex", ["Wikimedia Indonesia"] * 8)
    report = run_json(runner, "ex")
    found = report["reach"]["affiliates"]
    assert found["list"] is None and found["engaged"] is None and found["people"] is None
    assert "lc affiliates update" in found["note"]
    for fmt in ("table", "markdown", "html"):
        out = run(runner, "ex", "--format", fmt).stdout
        assert "Wikimedia affiliates engaged" in out and "no list (lc affiliates update)" in out
    assert '"no affiliates list","engaged",""' in run(runner, "ex", "--format", "csv").stdout


def test_no_affiliation_column_no_figure(project: Path, runner: CliRunner) -> None:
    (project / "ex").mkdir()
    (project / "ex" / "r.csv").write_text(
        '"Email address","Country","Which Learning Clinic are you registering for?"\n'
        + "".join(f'"p{i}@example.org","Ghana","{CLINIC}"\n' for i in range(6))
    )
    assert run_json(runner, "ex")["reach"]["affiliates"] is None
    assert "affiliates" not in run(runner, "ex").stdout


def test_a_partial_list_gives_no_share(project: Path, runner: CliRunner) -> None:
    _registrations(project / "ex", ["Wikimedia Indonesia"] * 6 + ["WMDE"] * 5)
    (project / "mine.tsv").write_text("Wikimedia Indonesia\nWikimedia Deutschland\tWMDE\n")
    found = run_json(runner, "ex", "--affiliates", "mine.tsv", "--min-count", "2")["reach"][
        "affiliates"
    ]
    assert found["engaged"] == 2 and found["share"] is None and found["list"]["complete"] is False
    assert (
        "partial list of 2"
        in run(runner, "ex", "--affiliates", "mine.tsv", "--min-count", "2").stdout
    )
    # [report] affiliates in lc.toml does the same; a list named but missing is a usage error.
    config = project / "lc.toml"
    config.write_text(
        config.read_text().replace("[report]\n", '[report]\naffiliates = "mine.tsv"\n', 1)
    )
    assert run_json(runner, "ex")["reach"]["affiliates"]["list"]["file"].endswith("mine.tsv")
    result = run(runner, "ex", "--affiliates", "missing.tsv")
    assert result.exit_code == 2 and "lc affiliates update" in result.stderr


def test_the_same_person_twice_counts_once(project: Path, runner: CliRunner) -> None:
    """Two registrations of one person (blank, then an affiliate) and a merge by username."""
    (project / "ex").mkdir()
    (project / "ex" / "r.csv").write_text(
        HEADER
        + f'"a@example.org","A","Ghana","","{CLINIC}"\n'
        + '"a@example.org","A","Ghana","Wikimedians of Ghana User Group","2023-01-14-building-a-wikimedia-affiliate-group"\n'
        + f'"b@example.org","B","Ghana","None","{CLINIC}"\n'
        + f'"b2@example.org","B","Ghana","Unlisted","{CLINIC}"\n'
    )
    shutil.copy(LIST, project / "clinics" / "wikimedia-affiliates.tsv")
    found = run_json(runner, "ex", "--min-count", "0")["reach"]["affiliates"]
    assert (found["people"], found["unknown"], found["none"], found["asked"]) == (1, 1, 0, 2)


def test_record_path_reads_affiliations_too(project: Path, runner: CliRunner) -> None:
    """The CampaignEvents reader's affiliate answers ("Yes: <name>") count like cells."""
    (project / "ex").mkdir()
    items = [
        {
            "participant_id": i,
            "user_name": f"User {i}",
            "user_registered_at": "20230321011530",
            "private": False,
            "non_pii_answers": [{"message": "Yes:&#32;WM Indonesia", "questionID": 5}],
        }
        for i in range(6)
    ]
    (project / "ex" / f"{CLINIC}-participants.json").write_text(json.dumps(items))
    shutil.copy(LIST, project / "clinics" / "wikimedia-affiliates.tsv")
    found = run_json(runner, f"{CLINIC}=ex/{CLINIC}-participants.json", "--min-count", "0")
    assert found["reach"]["affiliates"]["people"] == 6


def test_lists_are_data_not_code(tmp_path: Path) -> None:
    hostile = "Wikimedia \x1b[31mRed\x07\tWM\u202eRed\n"
    found = parse_list(hostile, "x")
    assert found.affiliates[0].name == "Wikimedia Red"
    assert isinstance(found, AffiliateList)


def test_update_refuses_before_sending_anything(project: Path, runner: CliRunner) -> None:
    """Plain http to another computer, or no contact for the User-Agent: refused, nothing sent,
    nothing written (no server listens on these addresses)."""
    from tests.conftest import invoke

    result = invoke(runner, "affiliates", "update", "--api-url", "http://wiki.example.org/api.php")
    assert result.exit_code == 2 and "https" in result.stderr
    config = project / "lc.toml"
    config.write_text(config.read_text().replace('email = "letsconnectteam@wikimedia.org"\n', ""))
    result = invoke(runner, "affiliates", "update", "--api-url", "http://127.0.0.1:9/api.php")
    assert result.exit_code == 2 and "[organiser] email" in result.stderr
    assert not (project / "clinics" / "wikimedia-affiliates.tsv").exists()
    result = invoke(runner, "affiliates", "--dry-run")
    assert result.exit_code == 2
