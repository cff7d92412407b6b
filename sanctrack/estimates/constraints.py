"""The arithmetic under the estimates: claims as difference constraints.

Let ``P(d)`` be the quantity a transfer moved from the start of time up to day boundary
``d`` (a running total). Nothing moves backwards, so ``P`` never decreases:
``P(d) - P(d') <= 0`` for ``d < d'``. A claim over the window ``[s, e)`` with bounds
``low .. high`` says ``low <= P(e) - P(s) <= high``. Every statement is a difference
constraint ``P(v) - P(u) <= w``: an edge ``u -> v`` of weight ``w`` in a graph whose nodes
are the day boundaries that matter. Then, by the classic result on difference
constraints:

* the claims can all hold exactly when the graph has no negative cycle (and the claims
  on a negative cycle are ones that cannot hold together);
* the largest flow over ``[a, b)`` is the shortest path ``a -> b`` (none: unbounded);
* the smallest is minus the shortest path ``b -> a`` (never below 0, thanks to the
  "never decreases" edges).

These are exact bounds over every running total consistent with the claims: nothing is
attributed that the claims do not force, and nothing they allow is left out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

INF = math.inf


@dataclass(frozen=True, slots=True)
class Constraint:
    """``low <= P(end) - P(start) <= high`` (high None: unbounded); ``tag`` names it."""

    start: int
    end: int
    low: int
    high: int | None
    tag: int


Edge = tuple[int, int, int, int]  # from node, to node, weight, tag (-1: "never decreases")


class System:
    """Difference constraints over the day boundaries ``points`` (sorted, distinct)."""

    def __init__(self, points: Sequence[int], constraints: Sequence[Constraint]) -> None:
        self.index = {p: i for i, p in enumerate(points)}
        self.size = len(points)
        edges: list[Edge] = [(i + 1, i, 0, -1) for i in range(self.size - 1)]
        for c in constraints:
            s, e = self.index[c.start], self.index[c.end]
            if c.high is not None:
                edges.append((s, e, c.high, c.tag))
            if c.low > 0:
                edges.append((e, s, -c.low, c.tag))
        self.edges = edges
        self._distances: list[list[float]] | None = None

    def negative_cycle(self) -> set[int] | None:
        """The tags of the constraints on one negative cycle, or None if all can hold
        (Bellman-Ford from a virtual node joined to every node)."""
        dist = [0] * self.size
        pred = [-1] * self.size
        changed = -1
        for _ in range(self.size + 1):
            changed = -1
            for k, (u, v, w, _tag) in enumerate(self.edges):
                if dist[u] + w < dist[v]:
                    dist[v] = dist[u] + w
                    pred[v] = k
                    changed = v
            if changed < 0:
                return None
        node = changed
        for _ in range(self.size + 1):  # step back until surely on the cycle
            node = self.edges[pred[node]][0]
        tags: set[int] = set()
        current = node
        while True:
            u, _v, _w, tag = self.edges[pred[current]]
            if tag >= 0:
                tags.add(tag)
            current = u
            if current == node:
                return tags

    def distances(self) -> list[list[float]]:
        """All shortest paths (Floyd-Warshall; the systems are small). Needs no negative
        cycle."""
        if self._distances is None:
            n = self.size
            d: list[list[float]] = [[INF] * n for _ in range(n)]
            for i in range(n):
                d[i][i] = 0
            for u, v, w, _tag in self.edges:
                if w < d[u][v]:
                    d[u][v] = w
            for k in range(n):
                dk = d[k]
                for i in range(n):
                    dik = d[i][k]
                    if dik == INF:
                        continue
                    row = d[i]
                    for j in range(n):
                        through = dik + dk[j]
                        if through < row[j]:
                            row[j] = through
            self._distances = d
        return self._distances

    def bounds(self, start: int, end: int) -> tuple[int, int | None]:
        """(least, greatest) flow over ``[start, end)``; greatest None is unbounded."""
        if start == end:
            return 0, 0
        d = self.distances()
        a, b = self.index[start], self.index[end]
        high = d[a][b]
        return int(-d[b][a]), None if high == INF else int(high)
