"""The collaboration network: its structure (networkx, seeded) and its tie strengths.

The founding structure is built once; the strength of each tie in [0, 1] grows with
successful collaboration and fades without it. Working together makes ties where there
were none, whoever formed the team (``Ties.connect``), and a tie made at work that goes
unused for a year, or whose other end leaves, dissolves (``Ties.drop``;
``rules.learning.dissolves``): the network
settles instead of filling up. For speed, ties are kept as edge arrays: each undirected
tie appears twice in ``src``/``dst`` (once per direction), so a per-employee sum over
neighbours is one ``np.bincount(src, weights=...)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

INITIAL_TIE_WITHIN_TEAM = (0.3, 0.6)
INITIAL_TIE_ACROSS_TEAMS = (0.1, 0.3)
NEWCOMER_TIE = 0.1


def build_graph(
    kind: str, n: int, mean_degree: int, team_size: int, rewiring: float, rng: np.random.Generator
) -> nx.Graph:
    """A collaboration graph on nodes 0..n-1, seeded from ``rng``.

    Teams are consecutive blocks of ``team_size`` nodes (see ``team_of``), so that on the
    ring lattice of a small world (Watts & Strogatz 1998) team-mates are neighbours.
    ``scale_free`` is Barabási & Albert (1999); ``teams`` is a stochastic block model with
    about 80 % of each employee's ties inside the team.
    """
    seed = int(rng.integers(0, 2**31 - 1))
    if kind == "small_world":
        return nx.watts_strogatz_graph(n, mean_degree, rewiring, seed=seed)
    if kind == "scale_free":
        return nx.barabasi_albert_graph(n, max(1, mean_degree // 2), seed=seed)
    if kind == "teams":
        sizes = np.bincount(team_of(n, team_size))
        typical = int(np.median(sizes))
        within = min(0.8 * mean_degree, typical - 1)
        p_in = within / max(typical - 1, 1)
        outsiders = n - typical  # people outside a typical team
        p_out = min(1.0, max(mean_degree - within, 0.0) / outsiders) if outsiders > 0 else 0.0
        graph = nx.random_partition_graph(sizes.tolist(), p_in, p_out, seed=seed)
        return nx.Graph(graph)  # drop the partition attribute of the generator
    raise ValueError(f"network={kind!r} is not a known network kind")


def team_of(n: int, team_size: int) -> np.ndarray:
    """Formal team of each slot: consecutive blocks; a small remainder joins the last team."""
    teams = np.arange(n) // team_size
    n_full = max(n // team_size, 1)
    return np.minimum(teams, n_full - 1)


@dataclass
class Ties:
    """Tie strengths of an undirected graph, stored per edge, indexed both ways."""

    u: np.ndarray  # (E,) one end of each tie
    v: np.ndarray  # (E,) the other end
    strength: np.ndarray  # (E,) in [0, 1]
    src: np.ndarray  # (2E,) directed view: src -> dst
    dst: np.ndarray
    edge: np.ndarray  # (2E,) index of the undirected tie of each directed entry
    degree: np.ndarray  # (n,)
    n: int
    at_work: np.ndarray | None = None  # (E,) made by working together, not the founding's
    last_together: np.ndarray | None = None  # (E,) the last step its two worked together
    changes: int = 0  # how many times ties were made or dissolved (a view redraws on it)

    def __post_init__(self) -> None:
        if self.at_work is None:
            self.at_work = np.zeros(len(self.u), dtype=bool)
        if self.last_together is None:
            self.last_together = np.zeros(len(self.u), dtype=np.int64)

    @classmethod
    def from_graph(cls, graph: nx.Graph, team: np.ndarray, rng: np.random.Generator) -> Ties:
        n = graph.number_of_nodes()
        if graph.number_of_edges():
            edges = np.array(sorted((min(a, b), max(a, b)) for a, b in graph.edges()))
            u, v = edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64)
        else:
            u = v = np.zeros(0, dtype=np.int64)
        same_team = team[u] == team[v]
        strength = np.where(
            same_team,
            rng.uniform(*INITIAL_TIE_WITHIN_TEAM, size=len(u)),
            rng.uniform(*INITIAL_TIE_ACROSS_TEAMS, size=len(u)),
        )
        return cls._indexed(u, v, strength, n)

    @classmethod
    def _indexed(cls, u: np.ndarray, v: np.ndarray, strength: np.ndarray, n: int) -> Ties:
        e = np.arange(len(u))
        order = np.lexsort((np.concatenate([v, u]), np.concatenate([u, v])))
        src = np.concatenate([u, v])[order]
        dst = np.concatenate([v, u])[order]
        edge = np.concatenate([e, e])[order]
        degree = np.bincount(src, minlength=n)
        return cls(u, v, strength, src, dst, edge, degree, n)

    def connect(self, a: np.ndarray, b: np.ndarray, step: int = 0) -> int:
        """New ties between the pairs ``(a, b)`` that have none (strength ``NEWCOMER_TIE``),
        made at work at ``step``: collaborating creates a tie (Feld 1981: a shared focus of
        activity makes ties; Reagans & McEvily 2003). Returns how many were made.

        Ties stay sorted by ``(u, v)`` and the directed view by ``(src, dst)``; new ones are
        merged in (``searchsorted``), so a step that adds a few ties costs one pass.
        """
        n = self.n
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        key = sorted_unique((lo * n + hi)[lo != hi])
        if len(key) == 0:
            return 0
        keys = self.u * n + self.v
        pos = np.searchsorted(keys, key)
        known = pos < len(keys)
        known[known] = keys[pos[known]] == key[known]
        new, at = key[~known], pos[~known]
        if len(new) == 0:
            return 0
        u_new, v_new = new // n, new % n
        new_edge, kept = _insertion(at, len(keys))
        self.u = _merged(self.u, kept, u_new, new_edge)
        self.v = _merged(self.v, kept, v_new, new_edge)
        self.strength = _merged(self.strength, kept, NEWCOMER_TIE, new_edge)
        self.at_work = _merged(self.at_work, kept, True, new_edge)
        self.last_together = _merged(self.last_together, kept, step, new_edge)
        src_new = np.concatenate((u_new, v_new))
        dst_new = np.concatenate((v_new, u_new))
        order = np.argsort(src_new * n + dst_new)
        src_new, dst_new = src_new[order], dst_new[order]
        edge_new = np.concatenate((new_edge, new_edge))[order]
        d_at = np.searchsorted(self.src * n + self.dst, src_new * n + dst_new)
        d_new, d_kept = _insertion(d_at, len(self.src))
        self.src = _merged(self.src, d_kept, src_new, d_new)
        self.dst = _merged(self.dst, d_kept, dst_new, d_new)
        moved = np.flatnonzero(kept)  # each old tie's index among the new
        self.edge = _merged(moved[self.edge], d_kept, edge_new, d_new)
        self.degree = self.degree + np.bincount(src_new, minlength=n)
        self.changes += 1
        return len(new)

    def drop(self, gone: np.ndarray) -> int:
        """Remove the ties where ``gone`` (a mask over the ties) holds; both views stay
        sorted. Returns how many went."""
        if not gone.any():
            return 0
        keep = ~gone
        renumbered = np.cumsum(keep) - 1  # each kept tie's index among those kept
        directed = keep[self.edge]
        self.degree = self.degree - np.bincount(self.src[~directed], minlength=self.n)
        self.src, self.dst = self.src[directed], self.dst[directed]
        self.edge = renumbered[self.edge[directed]]
        self.u, self.v, self.strength = self.u[keep], self.v[keep], self.strength[keep]
        self.at_work, self.last_together = self.at_work[keep], self.last_together[keep]
        self.changes += 1
        return int(np.count_nonzero(gone))

    def strength_to(self, slot: int | np.ndarray) -> np.ndarray:
        """Strength of everyone's tie to ``slot`` (0 without a tie); to any of the slots
        given (slot numbers, never ``NO_LEADER``; each person tied to one of them at most:
        an organisation batch's formal leaders)."""
        out = np.zeros(self.n)
        if np.ndim(slot) == 0:
            mine = self.src == slot
        else:
            given = np.zeros(self.n, dtype=bool)
            given[slot] = True
            mine = given[self.src]
        out[self.dst[mine]] = self.strength[self.edge[mine]]
        return out

    def reset(self, slots: np.ndarray) -> None:
        """Newcomers in ``slots`` start with weak ties to everyone around them."""
        if len(slots) == 0:
            return
        newcomer = np.zeros(self.n, dtype=bool)
        newcomer[slots] = True
        touched = newcomer[self.u] | newcomer[self.v]
        self.strength[touched] = NEWCOMER_TIE


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` of whole numbers (the distinct values, ascending) by a sort
    and a comparison with the neighbour: numpy 2's ``unique`` hashes first and then
    sorts, three times as long on the few thousand keys of a batch's pairs."""
    ordered = np.sort(values)
    distinct = np.ones(len(ordered), dtype=bool)
    distinct[1:] = ordered[1:] != ordered[:-1]
    return ordered[distinct]


def _insertion(at: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Inserting before the sorted positions ``at`` of an array of ``length``, as
    ``np.insert`` does: where the new entries go, and a mask of where the old ones go."""
    new_to = at + np.arange(len(at))
    kept = np.ones(length + len(at), dtype=bool)
    kept[new_to] = False
    return new_to, kept


def _merged(old: np.ndarray, kept: np.ndarray, new: np.ndarray | float,
            new_to: np.ndarray) -> np.ndarray:
    """``old`` and ``new`` merged as ``_insertion`` placed them."""
    out = np.empty(len(kept), dtype=old.dtype)
    out[kept] = old
    out[new_to] = new
    return out
