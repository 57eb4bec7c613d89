"""`python -m letsconnect_cli` runs the `lc` command."""

from letsconnect_cli.cli import main

if __name__ == "__main__":
    main()
