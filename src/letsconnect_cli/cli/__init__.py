"""The `lc` command line: a thin layer over the library (one module per command).

The command modules do not use `from __future__ import annotations`: Typer reads every command's
signature at each start, and string annotations would cost an `eval` each (about 40 ms in all).
Annotations of names imported only for type checking are quoted instead.
"""

from letsconnect_cli.cli.app import app, main

__all__ = ["app", "main"]
