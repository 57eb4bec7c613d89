"""Published counts and the relations between them: a small stand-in for the disclosure model.

The figures added for the learning report (attendees, returning attendees, skills) declare their
counts and relations here with the calls of `privacy.Disclosure` of the disclosure-control work
(`count`, `implicit`, `free`, `row`, `equal`, `at_most`, then `suppress`, `shown`, `hidden`), so
they can be declared in that model unchanged. This stand-in applies the rules `privacy` applies
today: a count of 1 to K-1 people is hidden, and where a total is published, more parts are hidden
(smallest first) until the unpublished parts of it number at least K people or none.
"""

from __future__ import annotations

from dataclasses import dataclass

from letsconnect_cli.report.privacy import small

VISIBLE, PRIMARY, SECONDARY, IMPLICIT, FREE = range(5)


@dataclass
class _Cell:
    key: str
    value: int
    state: int = VISIBLE
    priority: int = 0
    primary: bool = True


class Cells:
    """Cells (counts of people) and the sums between them; `suppress` decides what is hidden."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.cells: list[_Cell] = []
        self.index: dict[str, int] = {}
        self._sums: list[tuple[int, list[int]]] = []

    def count(self, key: str, value: int, *, priority: int = 0, primary: bool = True) -> int:
        """A count the report publishes unless hidden; `primary`: hidden when small."""
        return self._cell(_Cell(key, value, VISIBLE, priority, primary))

    def implicit(self, key: str, value: int) -> int:
        """A count never shown, whose small values must not be worked out from the others."""
        return self._cell(_Cell(key, value, IMPLICIT, 0, False))

    def free(self, key: str, value: int) -> int:
        """An unpublished quantity that only links others."""
        return self._cell(_Cell(key, value, FREE, 0, False))

    def _cell(self, cell: _Cell) -> int:
        assert cell.key not in self.index, cell.key
        self.index[cell.key] = len(self.cells)
        self.cells.append(cell)
        return len(self.cells) - 1

    def row(self, terms: dict[int, float], lo: float = 0.0, hi: float = 0.0) -> None:
        """An inequality between cells: the disclosure model uses it; the stand-in does not."""

    def equal(self, total: int, parts: list[int]) -> None:
        self._sums.append((total, list(parts)))

    def at_most(self, part: int, whole: int) -> None:
        """part <= whole: used by the disclosure model only."""

    def hidden(self, key: str) -> bool:
        return key in self.index and self.cells[self.index[key]].state in (PRIMARY, SECONDARY)

    def secondary(self, key: str) -> bool:
        return key in self.index and self.cells[self.index[key]].state == SECONDARY

    def shown(self, key: str) -> int | None:
        cell = self.cells[self.index[key]]
        return None if cell.state in (PRIMARY, SECONDARY) else cell.value

    def suppress(self) -> None:
        if self.k <= 1:
            return
        for cell in self.cells:
            if cell.state == VISIBLE and cell.primary and small(cell.value, self.k):
                cell.state = PRIMARY
        changed = True
        while changed:
            changed = False
            for total, parts in self._sums:
                if self.cells[total].state != VISIBLE:
                    continue
                unknown = sum(self.cells[i].value for i in parts if self.cells[i].state != VISIBLE)
                if not small(unknown, self.k):
                    continue
                visible = [
                    (self.cells[i].priority, self.cells[i].value, i)
                    for i in parts
                    if self.cells[i].state == VISIBLE and self.cells[i].value > 0
                ]
                if not visible:
                    continue
                cell = self.cells[min(visible)[2]]
                cell.state = PRIMARY if small(cell.value, self.k) else SECONDARY
                changed = True
