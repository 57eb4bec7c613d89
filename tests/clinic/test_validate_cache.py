"""The cache of `lc validate`: it never changes a result. Unchanged files come from it; an edited
or renamed file, other [slots] settings, another lc, another tz database are checked afresh; a
corrupt cache is ignored; --no-cache, `cache = false` and LC_CACHE=false leave it alone.
(conftest gives every test a cache folder of its own.)"""

from __future__ import annotations

import json
import os
import shutil
import zoneinfo
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

import letsconnect_cli
from letsconnect_cli.clinic import validation
from letsconnect_cli.clinic.validation import FileCheck, check_files
from letsconnect_cli.clinic.validation_cache import cache_folder, fingerprint, open_cache
from letsconnect_cli.slots import window
from tests.conftest import DATA, SEED_CLINICS, invoke

TRAVEL = "clinics/2023-04-02-travel-scholarships.toml"
COPYRIGHT = "clinics/2023-02-21-copyright-clinic-awareness-education.toml"


@pytest.fixture(autouse=True)
def before_the_seed_clinics(monkeypatch: pytest.MonkeyPatch) -> None:
    """As of New Year 2023, before the seed clinics: their time check still applies."""
    monkeypatch.setattr(validation, "current_time", lambda: datetime(2023, 1, 1, tzinfo=UTC))


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files lc checks afresh (not from the cache), in every run of the test."""
    seen: list[Path] = []
    real = validation.check_bytes

    def check_bytes(path: Path, data: bytes, win: object) -> validation.FileCheck:
        seen.append(path)
        return real(path, data, win)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "check_bytes", check_bytes)
    return seen


def cache_files() -> list[Path]:
    folder = cache_folder()
    return sorted(folder.glob("validate-*.json")) if folder.is_dir() else []


def run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = invoke(runner, "validate", *args)
    return result.exit_code, result.stdout


def with_broken_files(project: Path) -> None:
    for path in sorted((DATA / "broken").glob("*")):
        shutil.copy(path, project / "clinics" / path.name)


def test_unchanged_files_come_from_the_cache_with_the_same_output(
    runner: CliRunner, project: Path, checked: list[Path]
) -> None:
    with_broken_files(project)
    cold = run(runner, "--no-cache")
    assert not cache_files()  # --no-cache writes nothing
    first = run(runner)
    assert len(checked) == 2 * 22 and len(cache_files()) == 1
    checked.clear()
    warm = run(runner)
    assert checked == []  # every file from the cache
    assert cold == first == warm
    assert warm[0] == 3
    assert json.loads(invoke(runner, "validate", "--json").stdout) == json.loads(
        invoke(runner, "validate", "--json", "--no-cache").stdout
    )


def test_an_edited_file_is_checked_again(
    runner: CliRunner, project: Path, checked: list[Path]
) -> None:
    run(runner)
    checked.clear()
    path = project / TRAVEL
    path.write_text(
        path.read_text(encoding="utf-8").replace('status = "done"', 'status = "donne"'),
        encoding="utf-8",
    )
    code, out = run(runner)
    assert [p.name for p in checked] == [path.name]
    assert code == 3 and "did you mean 'done'?" in out
    assert (code, out) == run(runner, "--no-cache")


def test_a_renamed_file_is_checked_again(
    runner: CliRunner, project: Path, checked: list[Path]
) -> None:
    """The id is the file name: the same bytes under another name are another clinic."""
    run(runner)
    checked.clear()
    (project / TRAVEL).rename(project / "clinics/2023-04-09-travel-scholarships.toml")
    code, out = run(runner)
    assert [p.name for p in checked] == ["2023-04-09-travel-scholarships.toml"]
    assert "the file name says 2023-04-09 but the clinic starts 2023-04-02" in out
    assert (code, out) == run(runner, "--no-cache")


def test_other_slots_settings_check_again(
    runner: CliRunner, project: Path, checked: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "15:00-17:00 UTC is outside" in run(runner)[1]
    checked.clear()
    monkeypatch.setenv("LC_SLOTS_HOURS", "06:00-02:00")  # late evenings are fine now
    code, out = run(runner)
    assert len(checked) == 5
    assert "start: warning" not in out
    assert (code, out) == run(runner, "--no-cache")
    checked.clear()
    monkeypatch.setenv("LC_SLOTS_WARN", "false")
    assert run(runner) == run(runner, "--no-cache")
    assert len(checked) == 10


def test_a_duplicate_uid_is_found_when_both_files_come_from_the_cache(
    runner: CliRunner, project: Path, checked: list[Path]
) -> None:
    """Checks across files run over every file, each time; the time check's warning of a file
    that turns out to be broken is not shown."""
    source = (project / COPYRIGHT).read_text(encoding="utf-8")
    uid = source.split('uid = "', 1)[1].split('"', 1)[0]  # the file keeps its calendar UID
    (project / "clinics/2023-02-21-copyright-clinic-again.toml").write_text(source, "utf-8")
    first = run(runner)
    checked.clear()
    assert run(runner) == first
    assert checked == []
    code, out = first
    assert code == 3
    assert f"{uid} is also the UID of 2023-02-21-copyright-clinic-again" in out
    assert out.count("15:00-17:00 UTC is outside") == 1  # only the valid one warns


def test_a_corrupt_cache_is_ignored_and_replaced(
    runner: CliRunner, project: Path, checked: list[Path]
) -> None:
    expected = run(runner)
    (cache,) = cache_files()
    damages = [b"{not json", b"", b'{"format": 1, "fingerprint": 3}', b"\x00\xff" * 40]
    damages.append(b"[" * 100_000)  # too deep for the JSON reader
    for damage in damages:
        cache.write_bytes(damage)
        checked.clear()
        assert run(runner) == expected
        assert len(checked) == 5
        json.loads(cache.read_bytes())  # written again, whole
    document = json.loads(cache.read_bytes())
    for key in document["entries"]:
        document["entries"][key] = [True, "not a list", [], None, None]
    cache.write_text(json.dumps(document), encoding="utf-8")
    checked.clear()
    assert run(runner) == expected
    assert len(checked) == 5  # entries that make no sense are checked again


def test_the_cache_can_be_turned_off(
    runner: CliRunner, project: Path, checked: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_CACHE", "false")
    run(runner)
    run(runner)
    assert not cache_files() and len(checked) == 10
    monkeypatch.delenv("LC_CACHE")
    with (project / "lc.toml").open("a", encoding="utf-8") as config:
        config.write("\ncache = false\n")
    run(runner)
    assert not cache_files()


def test_a_cache_folder_that_cannot_be_written_is_left_alone(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = project / "not-a-folder"
    blocked.write_text("a file where the cache folder would be\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert run(runner) == run(runner, "--no-cache")


def test_the_cache_is_the_owners_alone(runner: CliRunner, project: Path) -> None:
    run(runner)
    (cache,) = cache_files()
    if os.name == "posix":
        assert cache.stat().st_mode & 0o077 == 0
        assert cache.parent.stat().st_mode & 0o077 == 0


def test_the_fingerprint_follows_lc_the_tz_database_and_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "letsconnect_cli"
    package.mkdir()
    module = package / "__init__.py"
    module.write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(letsconnect_cli, "__file__", str(module))
    tz = tmp_path / "zoneinfo"
    (tz / "Asia").mkdir(parents=True)
    (tz / "zone.tab").write_text("PH\t+1435+12100\tAsia/Manila\n", encoding="utf-8")
    monkeypatch.setattr(zoneinfo, "TZPATH", (str(tz),))
    first = fingerprint(window())
    assert fingerprint(window()) == first
    assert fingerprint(window("09:00-21:00")) != first
    assert fingerprint(None) != first
    module.write_text("x = 22\n", encoding="utf-8")  # another lc
    second = fingerprint(window())
    assert second != first
    (tz / "zone.tab").write_text("PH\t+1435+12100\tAsia/Manila\n# 2099a\n", encoding="utf-8")
    third = fingerprint(window())
    assert third != second
    (tz / "Asia" / "Manila").write_bytes(b"TZif2")  # a zone's file added or replaced
    assert fingerprint(window()) != third


def test_each_folder_has_its_own_cache_file(tmp_path: Path) -> None:
    one = open_cache(window(), [tmp_path / "a" / "x.toml"])
    two = open_cache(window(), [tmp_path / "b" / "x.toml"])
    assert one.path != two.path and one.fingerprint == two.fingerprint


def test_records_survive_the_cache_file_as_they_are(tmp_path: Path) -> None:
    folder = tmp_path / "clinics"
    folder.mkdir()
    for path in [*sorted(SEED_CLINICS.glob("*.toml")), *sorted((DATA / "broken").glob("*"))]:
        shutil.copy(path, folder / path.name)
    for item in check_files(sorted(folder.iterdir()), window()):
        assert FileCheck.from_plain(json.loads(json.dumps(item.to_plain()))) == item
    with pytest.raises((TypeError, ValueError)):
        FileCheck.from_plain([True, 3, (), None, None])


def test_what_depends_on_the_time_of_the_run_is_not_taken_from_the_cache(
    runner: CliRunner, project: Path, checked: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clinic's results are cached, but whether it is over is decided at each run: once over,
    its local hours are not checked, and a clinic still scheduled says to mark it done."""
    path = project / "clinics" / "2023-02-21-copyright-clinic-awareness-education.toml"
    path.write_text(path.read_text("utf-8").replace('"done"', '"scheduled"'), "utf-8")
    before = run(runner)[1]
    assert "15:00-17:00 UTC is outside" in before and "mark it done" not in before
    checked.clear()
    monkeypatch.setattr(validation, "current_time", lambda: datetime(2023, 2, 21, 17, tzinfo=UTC))
    code, after = run(runner)
    assert checked == []  # every file from the cache
    assert code == 0 and "15:00-17:00 UTC is outside" not in after
    assert (
        f"{path.relative_to(project)}:13: status: warning: this clinic ended on 2023-02-21 at "
        "17:00 UTC but its status is still 'scheduled': mark it done" in after
    )
    assert (code, after) == run(runner, "--no-cache")
