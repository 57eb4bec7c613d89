"""Disclosure control: which counts a report may publish, so that no arithmetic on it gives back a
small one.

The report's figures are cells; what the report publishes about them are linear relations (a
region's countries and protected people sum to it, the clinics' rows to the totals, the people in
one clinic and in several to the participants, ...). A count of 1 to K-1 people is hidden (primary
suppression). Every hidden count looks the same ("hidden": a reader cannot tell a small one from one
hidden to protect it). Then, over all the relations together, the bounds each hidden cell can take
are narrowed (interval propagation: the attacker's arithmetic); while some hidden count, or a count
the report never shows on its own (the protected-country people of one region), is narrowed to
fewer than K possible values, at least one of them not zero and all below K (`protected`), one more
published cell is hidden (secondary suppression): one of the relation that narrowed it, the
smallest, the headline figures last. Deterministic: the same counts give the same hidden cells.

The test suite's auditor (tests/privacy) checks the outcome independently, with exact integer
programming, on the attacks of issue 16, the examples and generated data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

INF = math.inf
_EPS = 1e-9

VISIBLE, PRIMARY, SECONDARY, IMPLICIT, FREE = range(5)


def small(count: int, k: int) -> bool:
    """A count of people to hide: 1 to k-1 (k = 0 or 1 hides nothing)."""
    return 0 < count < k


def protected(lo: float, hi: float, k: int) -> bool:
    """The criterion: a count the report does not show is protected when what it shows leaves at
    least K values possible for it, or proves it is at least K, or allows none at all."""
    return lo <= 0 or lo >= k or hi - lo + 1 >= k


@dataclass
class Cell:
    key: str
    value: int
    state: int = VISIBLE
    priority: int = 0  # 0 hidden first, 1 headline figures, 2 only if nothing else can be
    hideable: bool = True
    primary: bool = True  # hidden when small (the spread of scores is not: see `figures`)


Row = tuple[dict[int, float], float, float]  # sum of coefficient * cell within [lo, hi]


class Disclosure:
    """Cells, relations, and the suppression over them."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.cells: list[Cell] = []
        self.index: dict[str, int] = {}
        self.rows: list[Row] = []
        self.rows_of: list[list[int]] = []

    # Building the model.
    def count(self, key: str, value: int, *, priority: int = 0, primary: bool = True) -> int:
        """A count the report publishes (unless hidden); `primary`: hidden when small."""
        return self._cell(Cell(key, value, VISIBLE, priority, True, primary))

    def implicit(self, key: str, value: int) -> int:
        """A count the report never shows on its own, but whose small values must stay unknown."""
        return self._cell(Cell(key, value, IMPLICIT, 0, False))

    def free(self, key: str, value: int) -> int:
        """An unpublished quantity that only links others (a sum of scores, of clinics visited)."""
        return self._cell(Cell(key, value, FREE, 0, False))

    def _cell(self, cell: Cell) -> int:
        assert cell.key not in self.index, cell.key
        self.index[cell.key] = len(self.cells)
        self.cells.append(cell)
        self.rows_of.append([])
        return len(self.cells) - 1

    def row(self, terms: dict[int, float], lo: float = -INF, hi: float = INF) -> None:
        number = len(self.rows)
        self.rows.append((terms, lo, hi))
        for i in terms:
            self.rows_of[i].append(number)

    def equal(self, total: int, parts: list[int]) -> None:
        terms = dict.fromkeys(parts, 1.0)
        terms[total] = -1.0
        self.row(terms, 0.0, 0.0)

    def at_most(self, part: int, whole: int) -> None:
        self.row({part: 1.0, whole: -1.0}, hi=0.0)

    # Reading it.
    def hidden(self, key: str) -> bool:
        return self.cells[self.index[key]].state in (PRIMARY, SECONDARY)

    def secondary(self, key: str) -> bool:
        return self.cells[self.index[key]].state == SECONDARY

    def shown(self, key: str) -> int | None:
        cell = self.cells[self.index[key]]
        return None if cell.state in (PRIMARY, SECONDARY) else cell.value

    # Suppression.
    def suppress(self) -> None:
        """Primary suppression, then secondary until no hidden small count can be narrowed."""
        if self.k <= 1:
            return
        for cell in self.cells:
            if cell.state == VISIBLE and cell.primary and small(cell.value, self.k):
                cell.state = PRIMARY
        added: list[int] = []
        for _ in range(len(self.cells) + 1):
            failing = self._failing()
            if failing is None:
                break
            choice = self._candidate(*failing)
            if choice is None:
                break  # nothing left to hide that could help
            cell = self.cells[choice]
            cell.state = PRIMARY if small(cell.value, self.k) else SECONDARY
            added.append(choice)
        # Hidden on the way, but not needed in the end (the greedy choice is not the best one):
        # shown again, the most important first.
        for i in sorted(added, key=lambda i: (-self.cells[i].priority, -self.cells[i].value, i)):
            cell = self.cells[i]
            if cell.state != SECONDARY:
                continue
            cell.state = VISIBLE
            if self._failing() is not None:
                cell.state = SECONDARY

    def _bounds(self, cell: Cell) -> tuple[float, float]:
        if cell.state == VISIBLE:
            return cell.value, cell.value
        if cell.state in (PRIMARY, SECONDARY):
            return 1, INF  # every hidden count looks the same: small or not, it is not zero
        return 0, INF

    def _propagate(self) -> tuple[list[float], list[float], list[int], list[int]]:
        """Bounds of every cell the relations allow, and for each the row that last narrowed it."""
        lo, hi = [], []
        for cell in self.cells:
            a, b = self._bounds(cell)
            lo.append(a)
            hi.append(b)
        why_lo = [-1] * len(self.cells)
        why_hi = [-1] * len(self.cells)
        variable = [c.state != VISIBLE for c in self.cells]
        queue = [r for r, (terms, _, _) in enumerate(self.rows) if any(variable[i] for i in terms)]
        queued = set(queue)
        steps = 0
        limit = 200 * (len(queue) + 1)
        while queue and steps < limit:
            steps += 1
            r = queue.pop(0)
            queued.discard(r)
            terms, row_lo, row_hi = self.rows[r]
            # The least and most each side of the row can be, and how many infinite parts.
            low_sum = high_sum = 0.0
            low_inf = high_inf = 0
            for i, a in terms.items():
                x, y = (lo[i], hi[i]) if a > 0 else (hi[i], lo[i])
                if math.isinf(x):
                    low_inf += 1
                else:
                    low_sum += a * x
                if math.isinf(y):
                    high_inf += 1
                else:
                    high_sum += a * y
            for i, a in terms.items():
                if not variable[i]:
                    continue
                x, y = (lo[i], hi[i]) if a > 0 else (hi[i], lo[i])
                # The rest of the row: its least and most, without this cell.
                rest_low = (
                    -INF
                    if low_inf - (1 if math.isinf(x) else 0)
                    else low_sum - (0 if math.isinf(x) else a * x)
                )
                rest_high = (
                    INF
                    if high_inf - (1 if math.isinf(y) else 0)
                    else high_sum - (0 if math.isinf(y) else a * y)
                )
                # a * cell within [row_lo - rest_high, row_hi - rest_low]
                lower_a = row_lo - rest_high
                upper_a = row_hi - rest_low
                if a > 0:
                    new_lo, new_hi = lower_a / a, upper_a / a
                else:
                    new_lo, new_hi = upper_a / a, lower_a / a
                changed = False
                if not math.isinf(new_lo):
                    new_lo = math.ceil(new_lo - _EPS)
                    if new_lo > lo[i]:
                        lo[i], why_lo[i], changed = new_lo, r, True
                if not math.isinf(new_hi):
                    new_hi = math.floor(new_hi + _EPS)
                    if new_hi < hi[i]:
                        hi[i], why_hi[i], changed = new_hi, r, True
                if changed:
                    for other in self.rows_of[i]:
                        if other != r and other not in queued:
                            queued.add(other)
                            queue.append(other)
        return lo, hi, why_lo, why_hi

    def _failing(self) -> tuple[int, list[int], list[int]] | None:
        """The first hidden small count the relations narrow down, with why, or None."""
        lo, hi, why_lo, why_hi = self._propagate()
        for i, cell in enumerate(self.cells):
            if cell.state in (PRIMARY, SECONDARY, IMPLICIT) and not protected(lo[i], hi[i], self.k):
                return i, why_lo, why_hi
        return None

    def _candidate(self, start: int, why_lo: list[int], why_hi: list[int]) -> int | None:
        """A published cell to hide, among those of the rows that narrowed `start`, of the rows
        that narrowed the unshown cells of those, and so on: the least important, then the
        nearest, then the smallest."""
        found: list[tuple[int, int, int, int]] = []
        seen_rows: set[int] = set()
        seen_cells = {start}
        level = [start]
        distance = 0
        while level:
            rows = []
            for i in level:
                for r in (why_lo[i], why_hi[i]):
                    if r >= 0 and r not in seen_rows:
                        seen_rows.add(r)
                        rows.append(r)
            following = []
            for r in rows:
                for j in self.rows[r][0]:
                    cell = self.cells[j]
                    if j in seen_cells:
                        continue
                    seen_cells.add(j)
                    if cell.state != VISIBLE:
                        following.append(j)
                    elif cell.hideable and cell.value:
                        found.append((cell.priority, distance, cell.value, j))
            level = following
            distance += 1
        if not found:  # narrowed by its marks alone: any published neighbour
            found = [
                (self.cells[j].priority, 0, self.cells[j].value, j)
                for r in self.rows_of[start]
                for j in self.rows[r][0]
                if self.cells[j].state == VISIBLE and self.cells[j].hideable and self.cells[j].value
            ]
        return min(found)[3] if found else None
