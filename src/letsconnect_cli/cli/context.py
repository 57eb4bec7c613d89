"""What every command gets from the root command: configuration, the environment (variables,
streams, terminal, clock: `environment.Environment`), output consoles, --debug."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from letsconnect_cli.cli.environment import Environment, system_now

if TYPE_CHECKING:
    from rich.console import Console

    from letsconnect_cli.config import Config


def now() -> datetime:
    """The current time in UTC, for every command that asks "has it passed?" (tests pin it by
    replacing this function)."""
    return system_now()


@dataclass
class AppContext:
    clinics_dir_flag: Path | None = None
    debug: bool = False
    env: Environment = field(default_factory=Environment)
    _config: Config | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        """lc.toml, LC_* and flags merged; loaded on first use (it imports pydantic)."""
        if self._config is None:
            from letsconnect_cli.config import load_config

            self._config = load_config({"clinics_dir": self.clinics_dir_flag}, environ=self.env.env)
        return self._config

    def now(self) -> datetime:
        """Now, in UTC: the environment's clock when it has one, else the module's `now`."""
        return self.env.now() if self.env.clock is not None else now()

    def reset_config(self) -> None:
        """Forget the loaded configuration (a flag changed it)."""
        self._config = None

    @property
    def clinics_dir(self) -> Path:
        return self.config.clinics_dir

    def out(self) -> Console:
        """stdout: the command's data, control characters shown visibly; not wrapped at all
        when piped (see output.piped_width)."""
        from letsconnect_cli.cli.output import console, piped_width

        return console(soft_wrap=False, width=piped_width(env=self.env), env=self.env)

    def err(self) -> Console:
        """stderr: messages, warnings (`output.message`, `output.warning`), progress; not
        wrapped at all when piped."""
        from letsconnect_cli.cli.output import console, piped_width

        return console(stderr=True, width=piped_width(self.env.err, env=self.env), env=self.env)


def app_context(ctx: typer.Context) -> AppContext:
    obj: Any = ctx.find_object(AppContext)
    if obj is None:  # a command invoked without the root callback (tests of one command)
        obj = AppContext()
        ctx.obj = obj
    return obj  # type: ignore[no-any-return]
