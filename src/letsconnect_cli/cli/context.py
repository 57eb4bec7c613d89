"""What every command gets from the root command: configuration, output streams, --debug."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from letsconnect_cli.config import Config


@dataclass
class AppContext:
    clinics_dir_flag: Path | None = None
    debug: bool = False
    _config: Config | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        """lc.toml, LC_* and flags merged; loaded on first use (it imports pydantic)."""
        if self._config is None:
            from letsconnect_cli.config import load_config

            self._config = load_config({"clinics_dir": self.clinics_dir_flag})
        return self._config

    @property
    def clinics_dir(self) -> Path:
        return self.config.clinics_dir

    @staticmethod
    def out() -> Console:
        """stdout: the command's data."""
        from letsconnect_cli.cli.output import console

        return console(soft_wrap=False)

    @staticmethod
    def err() -> Console:
        """stderr: messages, warnings, progress."""
        from letsconnect_cli.cli.output import console

        return console(stderr=True)


def app_context(ctx: typer.Context) -> AppContext:
    obj: Any = ctx.find_object(AppContext)
    if obj is None:  # a command invoked without the root callback (tests of one command)
        obj = AppContext()
        ctx.obj = obj
    return obj  # type: ignore[no-any-return]
