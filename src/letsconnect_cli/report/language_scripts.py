"""The scripts of a language in the report's language table, when the exports named them.

A language counts once however it is written (`zh`, `zh-Hant` and `zh-Hans` are one row,
Chinese); its entry's `scripts` says how many people named each script (`{"Hant": 6}`), `{}`
when nobody did. Privacy as for every count: when any script's count is under K, or the
people of the language who named no script are 1 to K-1 (the language's count minus its
scripts would tell them), or the language's own count is hidden, `scripts` is null (a shown
count beside a hidden one would tell the hidden one by subtraction). With `--round` the script
counts are rounded like every published count.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from letsconnect_cli.report.privacy import rounded, small

#: Names of the scripts people write beside a language, for the text table.
SCRIPT_NAMES = {"Hant": "Traditional", "Hans": "Simplified"}


def add_scripts(
    entries: list[dict[str, Any]],
    forms: Counter[str],
    k: int,
    people: Counter[str],
    base: int | None = None,
) -> list[dict[str, Any]]:
    """The language entries, each with its `scripts`; `people` are the languages' own counts
    (before rounding), `base` the rounding of `--round`."""
    for entry in entries:
        language = entry["language"]
        scripts = {
            form.split("-", 1)[1]: n
            for form, n in sorted(forms.items())
            if form.split("-", 1)[0] == language
        }
        unnamed = people[language] - sum(scripts.values())
        if scripts and (
            entry["suppressed"] or any(small(n, k) for n in scripts.values()) or small(unnamed, k)
        ):
            entry["scripts"] = None
        else:
            entry["scripts"] = {script: rounded(n, base) for script, n in scripts.items()}
    return entries


def label(entry: dict[str, Any]) -> str:
    """'Chinese (Traditional 6, Simplified 5)'; the name alone when no script is shown."""
    scripts = entry.get("scripts")
    if not scripts:
        return str(entry["name"])
    parts = ", ".join(f"{SCRIPT_NAMES.get(s, s)} {n:,}" for s, n in scripts.items())
    return f"{entry['name']} ({parts})"
