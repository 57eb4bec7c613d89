"""The `lc` command line: a thin layer over the library (one module per command)."""

from letsconnect_cli.cli.app import app, main

__all__ = ["app", "main"]
