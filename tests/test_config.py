"""Configuration precedence: flags > LC_* environment > ./lc.toml > the user's config file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.config import load_config, user_config_path
from letsconnect_cli.errors import ConfigError
from tests.conftest import invoke


def write_user_config(text: str) -> Path:
    path = user_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults(empty_project: Path) -> None:
    config = load_config()
    assert config.clinics_dir == Path("clinics")
    assert config.default_region is None
    assert config.organiser.email is None


def test_precedence(empty_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_user_config(
        'default_region = "SSA"\ntimezone = "Africa/Lagos"\n[organiser]\nname = "User"\nemail = "user@example.org"\n'
    )
    assert load_config().default_region == "SSA"
    Path("lc.toml").write_text(
        'default_region = "ESEAP"\n[organiser]\nemail = "team@example.org"\n'
    )
    config = load_config()
    assert (config.default_region, config.timezone) == ("ESEAP", "Africa/Lagos")
    assert (config.organiser.name, config.organiser.email) == ("User", "team@example.org")
    monkeypatch.setenv("LC_DEFAULT_REGION", "lac")
    monkeypatch.setenv("LC_ORGANISER_EMAIL", "env@example.org")
    config = load_config()
    assert (config.default_region, config.organiser.email) == ("LAC", "env@example.org")
    monkeypatch.setenv("LC_CLINICS_DIR", "from-env")
    assert load_config({"clinics_dir": Path("from-flag")}).clinics_dir == Path("from-flag")
    assert load_config().clinics_dir == Path("from-env")


def test_project_file_is_found_in_a_parent_and_paths_are_relative_to_it(
    empty_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("lc.toml").write_text('clinics_dir = "data/clinics"\n')
    (empty_project / "sub" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(empty_project / "sub" / "deeper")
    assert load_config().clinics_dir == Path("../../data/clinics")


def test_lc_config_names_another_file(empty_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = empty_project / "elsewhere.toml"
    other.write_text('default_region = "NWE"\n')
    monkeypatch.setenv("LC_CONFIG", str(other))
    assert load_config().default_region == "NWE"
    monkeypatch.setenv("LC_CONFIG", str(empty_project / "missing.toml"))
    with pytest.raises(ConfigError, match="not a file"):
        load_config()


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        (
            'default_regoin = "ESEAP"\n',
            "default_regoin (line 1): unknown key 'default_regoin'; did you mean 'default_region'?",
        ),
        ('default_region = "ASIA"\n', "unknown region 'ASIA'"),
        ('timezone = "Manilla"\n', "unknown time zone 'Manilla'"),
        ("clinics_dir = \n", "TOML syntax error"),
        (
            '[organiser]\nmail = "x@example.org"\n',
            "organiser.mail (line 2): unknown key 'mail'; did you mean 'email'?",
        ),
        ('[regions.ESEAP]\nmain_citys = ["Asia/Manila"]\n', "did you mean 'main_cities'?"),
    ],
)
def test_bad_configuration_names_file_line_and_key(
    empty_project: Path, text: str, phrase: str
) -> None:
    Path("lc.toml").write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert "lc.toml" in str(caught.value)
    assert phrase in str(caught.value)


def test_bad_configuration_is_a_usage_error_on_the_command_line(
    runner: CliRunner, empty_project: Path
) -> None:
    Path("lc.toml").write_text('default_regoin = "ESEAP"\n')
    result = invoke(runner, "list")
    assert result.exit_code == 2
    assert "bad configuration in" in result.stderr and "Traceback" not in result.output


def test_clinics_dir_flag_and_environment(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("clinics").rename("elsewhere")
    Path("lc.toml").unlink()
    assert invoke(runner, "list").exit_code == 4
    assert (
        len(json.loads(invoke(runner, "--clinics-dir", "elsewhere", "list", "--json").stdout)) == 5
    )
    monkeypatch.setenv("LC_CLINICS_DIR", "elsewhere")
    assert len(json.loads(invoke(runner, "list", "--json").stdout)) == 5


def test_timezone_setting_is_list_default(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_TIMEZONE", "Asia/Jakarta")
    data = json.loads(invoke(runner, "list", "--json").stdout)
    assert data[2]["start_local"] == "2023-04-02T13:00:00+07:00"
