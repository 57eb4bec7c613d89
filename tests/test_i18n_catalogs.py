"""The label catalogs: every label translated in every language (or explicitly English), catalogs in
step with the templates and code, compiled .mo files in step with the .po sources, translations
marked as awaiting review by native speakers, and the catalogs and templates inside an installed
wheel."""

from __future__ import annotations

import gettext
import io
import os
import re
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from letsconnect_cli.announce.render import CATEGORY_MSGIDS
from letsconnect_cli.places.i18n import (
    CATALOGS,
    ENGLISH_FALLBACK,
    REVIEW_PENDING,
    resolve_language,
    review_status,
)
from letsconnect_cli.vocab import CATEGORY_LABELS
from tests.conftest import ROOT, SEED

LOCALE = ROOT / "src" / "letsconnect_cli" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def catalog(name: str):
    with (LOCALE / name / "LC_MESSAGES" / "lc.po").open("rb") as handle:
        return read_po(handle)


def extracted() -> set[str]:
    """The labels in the code and templates now, as `pybabel extract -F babel.cfg` finds them (its
    patterns, from src/: the walk stays out of the working tree's clinics/)."""
    method_map = [
        ("letsconnect_cli/**.py", "python"),
        ("letsconnect_cli/templates/announce/**.j2", "jinja2"),
    ]
    options = {
        "letsconnect_cli/templates/announce/**.j2": {
            "extensions": "jinja2.ext.i18n",
            "trimmed": "true",
        }
    }
    ids: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "src"), method_map, options
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_the_template_catalog_lists_exactly_the_labels_in_use():
    with (LOCALE / "lc.pot").open("rb") as handle:
        pot = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert extracted() == pot, (
        "run the extract/update/compile commands of the docs' Translations section (docs/developers/index.md)"
    )


@pytest.mark.parametrize("name", CATALOGS)
def test_every_label_is_translated_or_explicitly_english(name: str):
    entries = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog(name) if m.id}
    missing = []
    for msgid in sorted(extracted()):
        entry = entries.get(msgid)
        strings = (
            []
            if entry is None
            else ([entry.string] if isinstance(entry.string, str) else list(entry.string))
        )
        if (entry is None or not all(strings) or entry.fuzzy) and msgid not in ENGLISH_FALLBACK:
            missing.append(msgid)
    assert missing == [], (
        f"{name}: labels without a translation (and not in i18n.ENGLISH_FALLBACK): {missing}"
    )


@pytest.mark.parametrize("name", CATALOGS)
def test_translations_keep_the_placeholders(name: str):
    for entry in catalog(name):
        if not entry.id:
            continue
        source = entry.id if isinstance(entry.id, str) else entry.id[0]
        for string in [entry.string] if isinstance(entry.string, str) else entry.string:
            assert sorted(PLACEHOLDER.findall(string)) == sorted(PLACEHOLDER.findall(source)), (
                name,
                source,
                string,
            )


@pytest.mark.parametrize("name", CATALOGS)
def test_translations_are_marked_as_awaiting_review_without_the_fuzzy_flag(name: str):
    po = catalog(name)
    assert "AWAITING REVIEW BY NATIVE SPEAKERS" in po.header_comment
    assert all(not m.fuzzy for m in po if m.id)  # msgfmt and Babel would drop fuzzy entries
    assert review_status(name) == REVIEW_PENDING
    assert all(REVIEW_PENDING in m.user_comments for m in po if m.id)


@pytest.mark.parametrize("name", CATALOGS)
def test_the_compiled_catalog_matches_its_source(name: str):
    buffer = io.BytesIO()
    write_mo(buffer, catalog(name))
    buffer.seek(0)
    expected = gettext.GNUTranslations(buffer)
    with (LOCALE / name / "LC_MESSAGES" / "lc.mo").open("rb") as handle:
        shipped = gettext.GNUTranslations(handle)
    assert shipped._catalog == expected._catalog, (  # type: ignore[attr-defined]
        f"{name}: lc.mo is stale; run pybabel compile (docs/developers/index.md, Translations)"
    )


@pytest.mark.parametrize(
    ("tag", "name", "file_tag"),
    [
        ("ja", "ja", "ja"),
        ("zh", "zh_Hans", "zh-Hans"),
        ("zh-CN", "zh_Hans", "zh-Hans"),
        ("zh-Hant", "zh_Hant", "zh-Hant"),
        ("zh-TW", "zh_Hant", "zh-Hant"),
        ("zh-HK", "zh_Hant", "zh-Hant"),
        ("id", "id", "id"),
        ("ko", "ko", "ko"),
        ("th", "th", "th"),
        ("vi", "vi", "vi"),
        ("fil", "fil", "fil"),
        ("tl", "fil", "fil"),
        ("en", None, "en"),
        ("en-GB", None, "en-GB"),
    ],
)
def test_language_tags_find_their_catalog(tag: str, name: str | None, file_tag: str):
    language = resolve_language(tag)
    assert language.catalog == name and language.tag == file_tag and language.has_labels


def test_a_language_without_catalog_is_known_as_such():
    language = resolve_language("fr")
    assert language.catalog is None and not language.has_labels


def test_category_labels_are_the_vocabulary_labels():
    assert CATEGORY_MSGIDS == CATEGORY_LABELS


@pytest.mark.integration
@pytest.mark.slow
def test_an_installed_wheel_has_the_catalogs_and_templates(tmp_path: Path):
    """Build the wheel as pip would, install it alone, and announce in Japanese from it.

    Offline: pip uses the build backend of the test environment (setuptools, in the test extra)
    instead of downloading one into an isolated environment, and is told there is no index."""
    backend = version("setuptools")
    assert int(backend.split(".")[0]) >= 77, (
        f"setuptools {backend} cannot build lc (>= 77 needed): pip install -e '.[test]'"
    )
    offline = {**os.environ, "PIP_NO_INDEX": "1"}
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=offline,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in CATALOGS:
        assert f"letsconnect_cli/locale/{name}/LC_MESSAGES/lc.mo" in names
    for template in ("wikitext", "markdown", "text", "html", "email", "email-subject", "index"):
        assert f"letsconnect_cli/templates/announce/{template}.j2" in names
    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=offline,
    )
    assert install.returncode == 0, install.stderr
    work = tmp_path / "work"
    (work / "clinics").mkdir(parents=True)
    source = SEED / "clinics" / "2023-04-02-travel-scholarships.toml"
    (work / "clinics" / source.name).write_text(source.read_text())
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, letsconnect_cli\n"
            "assert letsconnect_cli.__file__.startswith(sys.argv[1]), letsconnect_cli.__file__\n"
            "from letsconnect_cli.cli import main\n"
            "sys.argv = ['lc', 'announce', '2023-04-02-travel-scholarships', '--lang', 'ja']\n"
            "main()",
            str(target),
        ],
        capture_output=True,
        text=True,
        cwd=work,
        env={
            "PYTHONPATH": str(target),
            "PATH": "/usr/bin:/bin",
            "NO_COLOR": "1",
            "HOME": str(tmp_path),
        },
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "2023年4月2日(日)" in run.stdout and "所要時間：" in run.stdout  # noqa: RUF001
