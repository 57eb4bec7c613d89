"""`lc new-clinic` as a conversation that never loses an answer, `lc init`, --clinics-dir after
the command, -n/--dry-run, and the warnings about a start (real prompts through CliRunner's
input; now is pinned)."""

from __future__ import annotations

import io
import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from typer.testing import CliRunner

from letsconnect_cli.cli import context, prompts
from letsconnect_cli.config import load_config
from letsconnect_cli.errors import ConfigError
from letsconnect_cli.places import timezones
from tests.conftest import invoke

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
TITLE = "Wikimedia Commons campaigns in the Pacific"
#: Answers to the questions after the start (and its status), all skipped: duration 2h, no
#: category, the default regions, en, no interpretation, no sharer, no link, no description.
REST = ["", "", "", "", "", "", "", ""]


@pytest.fixture(autouse=True)
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal on stdin, now pinned, and this computer's zone known (Europe/Berlin)."""
    monkeypatch.setattr(prompts, "stdin_is_interactive", lambda: True)
    monkeypatch.setattr(context, "now", lambda: NOW)
    monkeypatch.setattr(timezones, "system_zone", lambda environ=None: "Europe/Berlin")


def answer(runner: CliRunner, *args: str, lines: list[str]) -> Any:
    return invoke(runner, "new-clinic", *args, input="\n".join(lines) + "\n")


def written(folder: Path = Path("clinics")) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def only_clinic() -> dict[str, object]:
    (name,) = written()
    return tomllib.loads((Path("clinics") / name).read_text(encoding="utf-8"))


# --- the start: zone, candidates, past and far ----------------------------------------------------


def test_a_local_time_asks_for_the_zone_offering_ui_timezone_and_this_computers(
    runner: CliRunner, empty_project: Path
) -> None:
    Path("lc.toml").write_text('[ui]\ntimezone = "Asia/Manila"\n')
    result = answer(
        runner, "--title", TITLE, lines=["2027-04-04 11:00", "Asia/Manilla", "1", "", *REST]
    )
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "2027-04-04 11:00 has no time zone." in err
    assert "1: Asia/Manila ([ui] timezone of lc.toml)" in err
    assert "2: Europe/Berlin (this computer's zone)" in err
    # A mistyped zone is asked again, with the reason and close names.
    assert "unknown time zone 'Asia/Manilla'. Did you mean Asia/Manila" in err
    assert only_clinic()["start"] == datetime(2027, 4, 4, 3, 0, tzinfo=UTC)
    # The answers before the zone were kept: no "give --tz", no lost title.
    assert "--tz" not in err


def test_the_computers_zone_is_offered_without_ui_timezone(
    runner: CliRunner, empty_project: Path
) -> None:
    result = answer(runner, "--title", TITLE, lines=["2027-04-04 11:00", "", "", *REST])
    assert result.exit_code == 0, result.output
    assert "1: Europe/Berlin (this computer's zone)" in result.stderr
    assert only_clinic()["start"] == datetime(2027, 4, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("local", "choice", "expected", "shown"),
    [
        # Sydney's clocks go back at 03:00 on 4 April 2027: 02:30 happens twice.
        (
            "2027-04-04 02:30",
            "2",
            datetime(2027, 4, 3, 16, 30, tzinfo=UTC),
            ["happens twice in Australia/Sydney", "2027-04-04T02:30:00+11:00", "+10:00"],
        ),
        (
            "2027-04-04 02:30",
            "1",
            datetime(2027, 4, 3, 15, 30, tzinfo=UTC),
            ["1: 2027-04-04T02:30:00+11:00 (2027-04-03T15:30:00+00:00)"],
        ),
        # They go forward at 02:00 on 3 October 2027: 02:30 never happens.
        (
            "2027-10-03 02:30",
            "1",
            datetime(2027, 10, 2, 15, 30, tzinfo=UTC),
            ["does not exist in Australia/Sydney", "2027-10-03T01:30:00+10:00"],
        ),
    ],
)
def test_a_repeated_or_skipped_local_time_shows_both_and_asks_which(
    runner: CliRunner,
    empty_project: Path,
    local: str,
    choice: str,
    expected: datetime,
    shown: list[str],
) -> None:
    result = answer(
        runner,
        "--title",
        TITLE,
        "--tz",
        "Australia/Sydney",
        lines=[local, "3", choice, "", *REST],  # "3" is not a candidate: asked again
    )
    assert result.exit_code == 0, result.output
    for text in shown:
        assert text in result.stderr
    assert "answer a number from 1 to 2" in result.stderr
    assert only_clinic()["start"] == expected


def test_with_tz_the_question_does_not_say_give_tz(runner: CliRunner, empty_project: Path) -> None:
    result = answer(
        runner, "--title", TITLE, "--tz", "Asia/Manila", lines=["2027-04-04 11:00", "", *REST]
    )
    assert result.exit_code == 0, result.output
    question = next(line for line in result.stderr.splitlines() if line.startswith("Start"))
    assert "local time in Asia/Manila" in question
    assert "--tz" not in result.stderr and "has no time zone" not in result.stderr
    assert only_clinic()["start"] == datetime(2027, 4, 4, 3, 0, tzinfo=UTC)


def test_a_start_flag_without_zone_asks_only_for_the_zone(
    runner: CliRunner, empty_project: Path
) -> None:
    result = answer(
        runner, "--title", TITLE, "--start", "2027-04-04 11:00", lines=["Asia/Tokyo", "", *REST]
    )
    assert result.exit_code == 0, result.output
    assert only_clinic()["start"] == datetime(2027, 4, 4, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("first", "warning"),
    [
        (
            "2026-12-01T06:00Z",
            "the start 2026-12-01 06:00 UTC has passed (now: 2026-12-07 12:00 UTC)",
        ),
        ("2029-04-04T06:00Z", "the start 2029-04-04 06:00 UTC is more than 2 years ahead"),
    ],
)
def test_a_start_in_the_past_or_years_ahead_asks_to_confirm(
    runner: CliRunner, empty_project: Path, first: str, warning: str
) -> None:
    result = answer(
        runner, "--title", TITLE, lines=[first, "", "2027-04-04T06:00Z", "", *REST]
    )  # Enter: not kept (the default is no), then another start
    assert result.exit_code == 0, result.output
    assert f"warning: {warning}" in result.stderr
    assert "Keep this start? [y/N]" in result.stderr
    assert only_clinic()["start"] == datetime(2027, 4, 4, 6, 0, tzinfo=UTC)
    kept = answer(runner, "--title", "Another", lines=[first, "y", "", *REST])
    assert kept.exit_code == 0, kept.output
    assert len(written()) == 2


def test_without_a_terminal_past_and_far_starts_and_a_wrong_id_are_warnings(
    runner: CliRunner, empty_project: Path
) -> None:
    result = invoke(
        runner,
        "new-clinic",
        "--title",
        TITLE,
        "--start",
        "2023-04-02T06:00Z",
        "--id",
        "2023-04-09-commons",
        "--no-input",
    )
    assert result.exit_code == 0, result.output
    assert "warning: the start 2023-04-02 06:00 UTC has passed" in result.stderr
    assert (
        "warning: --id 2023-04-09-commons says 2023-04-09 but the clinic starts 2023-04-02 (UTC)"
        in result.stderr
    )
    assert written() == ["2023-04-09-commons.toml"]


def test_an_id_naming_another_date_asks_whether_to_use_the_starts(
    runner: CliRunner, empty_project: Path
) -> None:
    args = ["--title", TITLE, "--start", "2027-04-04T00:00Z", "--id", "2027-04-05-commons"]
    result = answer(runner, *args, lines=["", *REST, ""])  # status, the rest, then Enter: yes
    assert result.exit_code == 0, result.output
    assert "Write it as 2027-04-04-wikimedia-commons-campaigns-in-the-pacific instead? [Y/n]" in (
        result.stderr
    )
    assert written() == ["2027-04-04-wikimedia-commons-campaigns-in-the-pacific.toml"]
    kept = answer(runner, *args, lines=["", *REST, "n"])
    assert kept.exit_code == 0, kept.output
    assert "2027-04-05-commons.toml" in written()


# --- the other questions ------------------------------------------------------------------------


def test_every_answer_is_checked_where_it_is_typed(runner: CliRunner, empty_project: Path) -> None:
    Path("lc.toml").write_text('default_region = "ESEAP"\n')
    lines = [
        "",  # title: needed
        TITLE,
        "not a date",
        "2027-04-04T00:00Z",
        "confirmd",
        "confirmed",
        "5m",  # duration: too short
        "90m",
        "tactic",
        "technical",
        "ESAP",  # region: unknown
        "",  # the default, ESEAP
        "Indonesian",  # not a tag
        "id",
        "Japanese zh",
        "ja zh",
        "Ana Reyes",
        "Wikimedia Indonesia",
        "Trainer",
        "User:Ana_R",
        "Ben Tan",
        "",
        "",
        "",
        "",  # no more sharers
        "",  # registration link: a confirmed clinic needs one
        "meta.wikimedia.org/wiki/Event:X",
        "https://meta.wikimedia.org/wiki/Event:X",
        "How to run a photo campaign.",
    ]
    result = answer(runner, lines=lines)
    assert result.exit_code == 0, result.output
    err = result.stderr
    for reason in (
        "an answer is needed here",
        "'not a date' is not a date and time",
        "'confirmd' is not one of",
        "duration is 5 minutes",
        "'tactic' is not one of",
        "unknown region 'ESAP'",
        "'Indonesian' is not a BCP 47 language tag",
        "'Japanese' is not a BCP 47 language tag",
        "a confirmed clinic needs registration_url",
        "is not an http(s) link",
    ):
        assert reason in err, reason
    data = only_clinic()
    assert data["status"] == "confirmed" and data["duration"] == "1h30m"
    assert data["category"] == "technical" and data["regions"] == ["ESEAP"]
    assert data["language"] == "id" and data["interpretation"] == ["ja", "zh"]
    assert data["sharers"] == [
        {
            "name": "Ana Reyes",
            "affiliation": "Wikimedia Indonesia",
            "role": "Trainer",
            "username": "Ana R",
        },
        {"name": "Ben Tan"},
    ]
    assert data["registration_url"] == "https://meta.wikimedia.org/wiki/Event:X"
    assert data["description"] == "How to run a photo campaign."


def test_no_start_is_a_proposed_clinic(runner: CliRunner, empty_project: Path) -> None:
    result = answer(runner, "--title", "Lexemes", lines=["", *REST])
    assert result.exit_code == 0, result.output
    assert written() == ["proposed-lexemes.toml"]
    assert "Status" not in result.stderr


def test_a_bad_flag_fails_before_any_question(runner: CliRunner, empty_project: Path) -> None:
    flags = ["--language", "Japanese", "--region", "ESAP", "--registration-url", "zoom.us/x"]
    result = answer(runner, *flags, "--id", "My clinic", lines=[])
    assert result.exit_code == 3
    assert "--language: 'Japanese' is not a BCP 47 language tag" in result.stderr
    assert "--region: unknown region 'ESAP'" in result.stderr
    assert "--registration-url: 'zoom.us/x' is not an http(s) link" in result.stderr
    assert "--id: 'My clinic' is not a clinic id" in result.stderr
    assert "Title" not in result.stderr
    assert written() == []


class _InterruptedInput(io.BytesIO):
    """A terminal on which the person types these lines, then presses Ctrl-C."""

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        if not data:
            raise KeyboardInterrupt
        return data

    read1 = read


def test_ctrl_c_at_a_question_writes_nothing_and_exits_130(
    runner: CliRunner, empty_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        typer.testing, "make_input_stream", lambda text, charset: _InterruptedInput(text.encode())
    )
    result = invoke(runner, "new-clinic", input=f"{TITLE}\n2027-04-04T00:00Z\n")
    assert result.exit_code == 130
    assert result.stderr.endswith("\nlc: interrupted\n")
    assert "Status" in result.stderr  # interrupted at the third question
    assert written() == []


def test_input_ending_before_the_last_question_writes_nothing(
    runner: CliRunner, empty_project: Path
) -> None:
    result = answer(runner, lines=[TITLE, "2027-04-04T00:00Z"])
    assert result.exit_code == 2
    assert "the input ended before an answer to 'Status'; nothing was written" in result.stderr
    assert "\nlc: error: the input ended" in result.stderr  # not on the question's line
    assert written() == []


# --- dry run, the clinics folder, --clinics-dir -------------------------------------------------


def test_dry_run_prints_the_file_and_writes_nothing(runner: CliRunner, empty_project: Path) -> None:
    args = ["new-clinic", "--title", TITLE, "--start", "2027-04-04T00:00Z", "--no-input"]
    result = invoke(runner, *args, "-n")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Let's Connect Learning Clinic.")
    assert f'title = "{TITLE}"' in result.stdout and "start = 2027-04-04T00:00:00Z" in result.stdout
    path = "clinics/2027-04-04-wikimedia-commons-campaigns-in-the-pacific.toml"
    assert f"dry run: would write {path}; nothing was written" in result.stderr
    assert written() == []
    as_json = json.loads(invoke(runner, *args, "--dry-run", "--json").stdout)
    assert (as_json["path"], as_json["dry_run"]) == (path, True)
    assert as_json["text"].startswith("# Let's Connect")
    assert invoke(runner, *args).exit_code == 0
    again = invoke(runner, *args, "-n")
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_without_a_clinics_folder_it_says_how_to_start_one(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = answer(runner, lines=[TITLE])
    assert result.exit_code == 2
    assert "there is no clinics folder here (clinics does not exist)" in result.stderr
    assert "lc init" in result.stderr
    assert "Title" not in result.stderr  # nothing asked
    assert not (tmp_path / "clinics").exists()


def test_clinics_dir_works_after_the_command_too(runner: CliRunner, empty_project: Path) -> None:
    Path("other").mkdir()
    args = ["--title", TITLE, "--start", "2027-04-04T00:00Z", "--no-input", "--json"]
    after = invoke(runner, "new-clinic", *args, "--clinics-dir", "other")
    assert after.exit_code == 0, after.output
    assert json.loads(after.stdout)["path"].startswith("other/")
    listed = invoke(runner, "list", "--clinics-dir", "other", "--json")
    assert [item["id"] for item in json.loads(listed.stdout)] == [
        "2027-04-04-wikimedia-commons-campaigns-in-the-pacific"
    ]
    # After the command, it wins over the one before it.
    both = invoke(runner, "--clinics-dir", "nowhere", "list", "--clinics-dir", "other", "--json")
    assert both.exit_code == 0, both.output
    assert written() == []


# --- lc init ------------------------------------------------------------------------------------


def test_init_in_an_empty_folder_from_flags(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "liaison"
    result = invoke(
        runner,
        "init",
        str(folder),
        "--organiser-name",
        "Ana Reyes",
        "--organiser-email",
        "ana@example.org",
        "--region",
        "eseap",
        "--tz",
        "manila",
        "--no-input",
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "clinics", "lc.toml"]
    assert list((folder / "clinics").iterdir()) == []
    text = (folder / "lc.toml").read_text(encoding="utf-8")
    assert text.startswith("# lc's configuration for this folder")
    config = load_config(cwd=folder, environ={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert (config.organiser.name, config.organiser.email) == ("Ana Reyes", "ana@example.org")
    assert (config.default_region, config.ui.timezone) == ("ESEAP", "Asia/Manila")
    ignore = (folder / ".gitignore").read_text(encoding="utf-8").splitlines()
    for pattern in ("/.lc-mail/", "/invites/", "/announcements/", ".*.tmp"):
        assert pattern in ignore
    assert f"Next: cd {folder} && lc new-clinic" in result.stderr


def test_init_asks_and_checks_each_answer(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(
        runner,
        "init",
        input="\n".join(["Ana", "ana@", "ana@example.org", "ESAP", "SSA", "Africa/Lagoss", ""])
        + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "'ana@' is not an email address" in result.stderr
    assert "unknown region 'ESAP'" in result.stderr
    assert "unknown time zone 'Africa/Lagoss'" in result.stderr
    assert "[Europe/Berlin]" in result.stderr  # this computer's zone, the default
    config = load_config(cwd=tmp_path, environ={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert (config.default_region, config.ui.timezone) == ("SSA", "Europe/Berlin")


def test_init_refuses_to_overwrite_and_keeps_what_is_there(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(".gitignore").write_text("/build/\n/invites/\n", encoding="utf-8")
    Path("clinics").mkdir()
    Path("clinics/2027-04-04-x.toml").write_text("kept")
    assert invoke(runner, "init", "--no-input").exit_code == 0
    ignore = Path(".gitignore").read_text(encoding="utf-8")
    assert ignore.startswith("/build/\n/invites/\n\n# lc's private")
    assert ignore.count("/invites/") == 1 and "/.lc-mail/" in ignore
    assert Path("clinics/2027-04-04-x.toml").read_text() == "kept"
    before = Path("lc.toml").read_bytes()
    again = invoke(runner, "init", "--no-input", "--region", "SSA")
    assert again.exit_code == 2
    assert "lc.toml already exists" in again.stderr and "--force" in again.stderr
    assert Path("lc.toml").read_bytes() == before
    forced = invoke(runner, "init", "--no-input", "--region", "SSA", "--force")
    assert forced.exit_code == 0, forced.output
    assert (
        load_config(cwd=tmp_path, environ={"XDG_CONFIG_HOME": str(tmp_path / "xdg")}).default_region
        == "SSA"
    )
    assert Path(".gitignore").read_text(encoding="utf-8") == ignore  # nothing added twice


def test_a_new_folder_takes_its_first_clinic(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert (
        invoke(runner, "init", "--no-input", "--region", "ESEAP", "--tz", "Asia/Manila").exit_code
        == 0
    )
    result = answer(runner, "--title", TITLE, lines=["2027-04-04 08:00", "", "", *REST])
    assert result.exit_code == 0, result.output
    assert only_clinic()["start"] == datetime(2027, 4, 4, 0, 0, tzinfo=UTC)
    assert only_clinic()["regions"] == ["ESEAP"]
    assert invoke(runner, "validate").exit_code == 0


def test_ui_timezone_from_the_environment_and_a_bad_value(tmp_path: Path) -> None:
    environ = {"LC_UI_TIMEZONE": "tokyo", "XDG_CONFIG_HOME": str(tmp_path)}
    assert load_config(environ=environ, cwd=tmp_path).ui.timezone == "Asia/Tokyo"
    with pytest.raises(ConfigError, match=r"ui\.timezone: unknown time zone 'Asia/Tokio'"):
        load_config(environ={**environ, "LC_UI_TIMEZONE": "Asia/Tokio"}, cwd=tmp_path)
