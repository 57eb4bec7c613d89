"""Kept for habit: the command reference moved from the README to docs/reference/commands.md.

python scripts/update_readme.py          # the same as python scripts/build_docs.py
python scripts/update_readme.py --check  # the same as python scripts/build_docs.py --check
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.build_docs import main

if __name__ == "__main__":
    print(
        "note: the command reference is in docs/ now: python scripts/build_docs.py", file=sys.stderr
    )
    sys.exit(main(sys.argv[1:]))
