"""Shell completion of lc's values: clinic ids, region codes, language tags and IANA zones.

`lc --install-completion` installs it for the current shell (bash, zsh, fish, PowerShell). Each
function gets what was typed so far and returns the candidates that start with it (Typer keeps
only those); none raises (a completion that fails shows nothing rather than a traceback in the
middle of a command line).
"""

from pathlib import Path
from typing import Any


def clinic_ids(ctx: Any, incomplete: str) -> list[str]:
    """The clinic ids of the clinics folder (--clinics-dir, LC_CLINICS_DIR, lc.toml, ./clinics)
    that start with what was typed."""
    try:
        from letsconnect_cli.clinic.clinics import clinic_paths
        from letsconnect_cli.config import load_config

        root = ctx.find_root() if ctx is not None else None
        # --clinics-dir after the command wins over the one before it, as when the command runs
        # (its callback keeps it in the context object rather than in the parameters).
        flag = getattr(ctx.obj, "clinics_dir_flag", None) if ctx is not None else None
        flag = flag or (root.params.get("clinics_dir") if root is not None else None)
        folder = load_config({"clinics_dir": Path(flag) if flag else None}).clinics_dir
        ids = [p.stem for p in clinic_paths(folder)]
    except Exception:  # completion never fails loudly: it shows nothing
        return []
    return [i for i in ids if i.startswith(incomplete)]


def region_codes(ctx: Any, incomplete: str) -> list[str]:
    from letsconnect_cli.places.regions import region_codes as codes

    return [code for code in codes() if code.startswith(incomplete.upper())]


def language_tags(ctx: Any, incomplete: str) -> list[str]:
    """The languages lc writes announcements in (its own labels), as BCP 47 tags."""
    from letsconnect_cli.places.i18n import CATALOGS, SOURCE_LANGUAGE

    tags = [SOURCE_LANGUAGE, *(catalog.replace("_", "-") for catalog in CATALOGS)]
    return [tag for tag in tags if tag.startswith(incomplete)]


def time_zones(ctx: Any, incomplete: str) -> list[str]:
    """IANA zone names, e.g. Asia/Manila."""
    from zoneinfo import available_timezones

    return sorted(zone for zone in available_timezones() if zone.startswith(incomplete))
