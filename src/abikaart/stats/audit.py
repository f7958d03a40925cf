"""One audit over every table a report publishes, with the identities that tie them together.

A table checked on its own is not enough: a report also says that offered = answered + abandoned + callback
on every line, that the groups of a table add up to its total row, that two tables of the same month have the
same total, that a shift block is the sum of its hours and that this month's table and last month's add up to
a two-month figure.  An attacker who reads all of it solves an integer program; so does this module.  For each
hidden small cell (published "<10", so 1-9) it finds the smallest and largest raw value consistent with every
published figure and identity (scipy's HiGHS MILP).  A range narrower than 1-9 is a disclosure, not only an
exact recovery.  `Publication.secure` then suppresses further cells (shown "[c]") until none is narrowed, and
hides every rate whose numerator or denominator was suppressed, so the rate cannot give it back.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]

from abikaart.stats.disclosure import DEFAULT, SECONDARY, DisclosureConfig, ProtectedTable, count_interval

Key = tuple[str, Hashable, str]  # (table name, row label, column)
BIG = 10_000_000


class AuditError(RuntimeError):
    """The declared identities do not hold for the published figures (a bug in the report, not in the data)."""


@dataclass
class Publication:
    """The protected tables of one report (and, frozen, those already published) and their identities."""

    cfg: DisclosureConfig = DEFAULT
    tables: dict[str, ProtectedTable] = field(default_factory=dict)
    frozen: set[str] = field(default_factory=set)
    identities: list[tuple[Key, list[Key]]] = field(default_factory=list)
    suppressed: list[Key] = field(default_factory=list)
    structural: set[Key] = field(default_factory=set)

    def add(self, name: str, table: ProtectedTable, total_row: bool = False,
            row_identities: Sequence[tuple[str, Sequence[str]]] = (), frozen: bool = False) -> ProtectedTable:
        """Register a table; `total_row`: its last row is the sum of the others in every count column;
        `row_identities`: (total column, part columns) that hold on every row (offered = answered + ...)."""
        self.tables[name] = table
        if frozen:
            self.frozen.add(name)
        rows = list(table.values.index)
        if total_row:
            for col in table.counts:
                self.identities.append(((name, rows[-1], col), [(name, r, col) for r in rows[:-1]]))
        for total_col, part_cols in row_identities:
            for r in rows:
                self.identities.append(((name, r, total_col), [(name, r, c) for c in part_cols]))
        return table

    def freeze(self, earlier: Publication, prefix: str = "earlier:") -> None:
        """Take in a publication already out (last month's) as frozen tables with its identities, so the audit
        sees what a reader of both holds and suppresses only in this one."""
        for name, table in earlier.tables.items():
            self.add(f"{prefix}{name}", table, frozen=True)
        self.identities.extend(((f"{prefix}{t[0]}", t[1], t[2]), [(f"{prefix}{p[0]}", p[1], p[2]) for p in ps])
                               for t, ps in earlier.identities)

    def link(self, total: Key, parts: Iterable[Key]) -> None:
        """Declare one identity across tables: `total` is the sum of `parts` (a block and its hours)."""
        self.identities.append((total, list(parts)))

    def same(self, a: Key, b: Key) -> None:
        """Declare that two published cells are the same raw figure (the month's total in two tables)."""
        self.identities.append((a, [b]))

    def published(self, key: Key) -> tuple[str, float]:
        """The kind of a cell as a reader sees it ('shown', 'small', 'secondary') and its published value."""
        name, row, col = key
        table = self.tables[name]
        value = float(table.values.at[row, col])  # type: ignore[arg-type]
        if not math.isnan(value):
            return "shown", value
        return ("secondary" if table.display.at[row, col] == SECONDARY else "small"), value

    def _bounds(self, key: Key) -> tuple[int, int]:
        """What a reader knows of a cell's raw value from the cell alone."""
        kind, value = self.published(key)
        if kind == "secondary":
            return 0, BIG
        return count_interval(value, self.cfg)

    def ranges(self) -> dict[Key, tuple[int, int]]:
        """Feasible raw range of every hidden small cell that takes part in an identity."""
        out: dict[Key, tuple[int, int]] = {}
        for component, identities in self._components():
            small = [k for k in component if self.published(k)[0] == "small"]
            if not small:
                continue
            index = {k: i for i, k in enumerate(component)}
            a = np.zeros((len(identities), len(component)))
            for row, (total, parts) in enumerate(identities):
                a[row, index[total]] += 1
                for p in parts:
                    a[row, index[p]] -= 1
            lo, hi = zip(*(self._bounds(k) for k in component), strict=True)
            bounds = Bounds(np.array(lo, dtype=float), np.array(hi, dtype=float))
            cons = LinearConstraint(a, 0, 0)
            for key in small:
                c = np.zeros(len(component))
                c[index[key]] = 1
                found = []
                for sign in (1, -1):
                    res = milp(sign * c, constraints=cons, bounds=bounds, integrality=np.ones(len(component)))
                    if not res.success:
                        raise AuditError(f"the published figures of {key[0]} do not satisfy the declared "
                                         "identities: a table leaves out a group, or an identity is wrong")
                    found.append(round(sign * res.fun))
                out[key] = (int(found[0]), int(found[1]))
        return out

    def _components(self) -> list[tuple[list[Key], list[tuple[Key, list[Key]]]]]:
        """Cells linked by identities, in independent groups (smaller integer programs)."""
        parent: dict[Key, Key] = {}

        def find(k: Key) -> Key:
            parent.setdefault(k, k)
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        for total, parts in self.identities:
            for p in parts:
                parent[find(p)] = find(total)
        groups: dict[Key, list[Key]] = {}
        for k in list(parent):
            groups.setdefault(find(k), []).append(k)
        ids: dict[Key, list[tuple[Key, list[Key]]]] = {}
        for ident in self.identities:
            ids.setdefault(find(ident[0]), []).append(ident)
        return [(cells, ids[root]) for root, cells in groups.items()]

    def disclosures(self) -> dict[Key, tuple[int, int]]:
        """Hidden small cells narrowed below 1..threshold-1 by everything published."""
        full = (1, self.cfg.threshold - 1)
        return {k: r for k, r in self.ranges().items() if r != full}

    def secure(self, max_rounds: int = 500) -> list[Key]:
        """Suppress further cells until no hidden cell is narrowed; returns what was suppressed."""
        for _ in range(max_rounds):
            found = {k: r for k, r in self.disclosures().items() if k not in self.structural}
            if not found:
                self._hide_rates()
                return self.suppressed
            chosen = {k: self._choose(k) for k in found if k not in self.structural}
            if not any(chosen.values()):
                # Nothing left to suppress: the narrowing comes from the hidden cells themselves (two "<10"
                # groups add up to at least 2) or from figures published earlier; it is reported, not hidden.
                self.structural.update(chosen)
                continue
            for key in {c for c in chosen.values() if c is not None}:  # one per narrowed cell, then again
                self._suppress(key)
        raise RuntimeError("disclosure audit did not converge; publish fewer tables")

    def _choose(self, key: Key) -> Key | None:
        """The cell to suppress for a narrowed one: a shown cell of the nearest identity with it, totals first."""
        seen, frontier = {key}, {key}
        while frontier:
            candidates: list[tuple[int, float, Key]] = []
            reached: set[Key] = set()
            for total, parts in self.identities:
                cells = [total, *parts]
                if frontier.isdisjoint(cells):
                    continue
                reached.update(cells)
                for rank, k in enumerate(cells):
                    kind, value = self.published(k)
                    if kind == "shown" and k[0] not in self.frozen:
                        candidates.append((0 if rank == 0 else 1, -value, k))
            if candidates:
                return min(candidates, key=lambda c: (c[0], c[1], str(c[2])))[2]
            frontier = reached - seen
            seen |= reached
        return None

    def _suppress(self, key: Key) -> None:
        """Hide a cell as a secondary suppression."""
        name, row, col = key
        self.tables[name].values.at[row, col] = math.nan
        self.tables[name].display.at[row, col] = SECONDARY
        self.suppressed.append(key)

    def _hide_rates(self) -> None:
        """A rate beside a suppressed numerator or denominator would give it back: hide it."""
        for name, table in self.tables.items():
            if name in self.frozen:
                continue
            for rate, (num, den) in (table.rate_parts or {}).items():
                for row in table.values.index:
                    if any(c is not None and table.display.at[row, c] == SECONDARY for c in (num, den)):
                        table.values.at[row, rate] = math.nan
                        table.display.at[row, rate] = "–"
