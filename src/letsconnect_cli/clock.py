"""The time that goes into generated files: SOURCE_DATE_EPOCH when set (reproducible output), else
now. The one reading of SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/):
the invites' DTSTAMP, the emails' Date and the report's "generated" all use it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from letsconnect_cli.errors import UsageError


def source_date_epoch(environ: Mapping[str, str]) -> datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, None when unset or blank; UsageError when it is not a
    whole number of seconds since 1970."""
    text = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return None
    try:
        return datetime.fromtimestamp(int(text), UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"SOURCE_DATE_EPOCH={text!r} is not a time",
            hint="Give seconds since 1970-01-01 UTC (e.g. 1680400000), or unset it.",
        ) from None


def stamp(environ: Mapping[str, str], now: datetime | None = None) -> datetime:
    """SOURCE_DATE_EPOCH when set, else `now` (the current time); whole seconds, UTC."""
    moment = source_date_epoch(environ) or now or datetime.now(UTC)
    return moment.astimezone(UTC).replace(microsecond=0)
