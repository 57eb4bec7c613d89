"""`lc slots` proposes no start that has passed: its tests run at a pinned now, before the
clinics of their dates (2023), unless a test pins another."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from letsconnect_cli.cli import context

PINNED_NOW = datetime(2023, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def pinned_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(context, "now", lambda: PINNED_NOW)
    return PINNED_NOW
