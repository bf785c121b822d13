"""The app's figures: the network coloured by motivation, the continuum and the live
charts, each built once per model and brought up to date every step."""

from __future__ import annotations

import weakref

import matplotlib
import matplotlib.colors
import matplotlib.patches
import networkx as nx
import numpy as np
from matplotlib.figure import Figure
from mesa import Model

from app.comparison import organisations
from experiments.style import policy_colour
from model.codes import REGULATIONS
from model.organisation import OrganisationModel

# Charts go to the browser as SVG with text left as text: no glyphs to render on the server.
matplotlib.rcParams["svg.fonttype"] = "none"

RENDER_DPI = 72
"""Resolution of the network picture (PNG): thousands of ties are cheaper as pixels."""

CONTINUUM = {
    "amotivation": ("#9e9e9e", "Amotivated: sees no point in the work"),
    "external": ("#d73027", "External: works for rewards or to avoid trouble"),
    "introjected": ("#fc8d59", "Introjected: works out of guilt or pressure"),
    "identified": ("#91cf60", "Identified: values what the work is for"),
    "intrinsic": ("#1a9850", "Intrinsic: enjoys the work itself"),
}
COLOURS = np.array([CONTINUUM[name][0] for name in REGULATIONS])

# ----------------------------------------------------------------------------- drawing
_layouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def layout_of(model: OrganisationModel) -> np.ndarray:
    """Node positions, computed once per model and kept: the picture does not jump."""
    if model not in _layouts:
        graph = model.grid.G
        if graph.number_of_nodes() <= 600:
            pos = nx.spring_layout(graph, seed=1, iterations=60)
        else:
            pos = nx.circular_layout(graph)
        _layouts[model] = np.array([pos[i] for i in range(graph.number_of_nodes())])
    return _layouts[model]


class NetworkPanel:
    """One organisation's network drawn once; each step only colours, sizes and the leader's
    star change (employees coloured by dominant regulation, sized by how often they led
    lately; empty desks as small grey rings)."""

    def __init__(self, model: OrganisationModel, ax) -> None:
        from matplotlib.collections import LineCollection

        self.model, self.ax = model, ax
        xy = layout_of(model)
        ties = model.ties
        self.edges = LineCollection(np.stack([xy[ties.u], xy[ties.v]], axis=1),
                                    colors="#607d8b", alpha=0.35)
        ax.add_collection(self.edges)
        self.people = ax.scatter(xy[:, 0], xy[:, 1], zorder=2, linewidths=0.5)
        self.star = ax.scatter([], [], s=260, marker="*", c="black", zorder=3)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_aspect("equal")
        ax.autoscale_view()
        for spine in ax.spines.values():
            spine.set_visible(False)

    def update(self, title: str) -> None:
        s, xy = self.model.state, layout_of(self.model)
        on = s.active
        ties = self.model.ties
        if len(self.edges.get_segments()) != len(ties.u):  # collaboration made new ties
            self.edges.set_segments(np.stack([xy[ties.u], xy[ties.v]], axis=1))
        self.edges.set_linewidths(0.3 + 1.5 * ties.strength)
        sizes = 14 + 70 * np.sqrt(np.minimum(s.led_recently, 20) / 20)
        self.people.set_sizes(np.where(on, sizes, 10))
        self.people.set_facecolors(np.where(on[:, None],
                                            matplotlib.colors.to_rgba_array(
                                                COLOURS[s.dominant_regulation]),
                                            (1.0, 1.0, 1.0, 0.0)))
        self.people.set_edgecolors(np.where(on[:, None], (1.0, 1.0, 1.0, 1.0),
                                            (0.74, 0.74, 0.74, 1.0)))
        leader = self.model.leader
        self.star.set_offsets(xy[[leader]] if leader >= 0 else np.empty((0, 2)))
        self.ax.set_title(title, fontsize=9, color=policy_colour(self.model.params.policy))


class LiveFigure:
    """A figure built once per model and brought up to date each step: rebuilding figures
    (ticks, texts, transforms) cost most of the redraw time."""

    def __init__(self, model: Model, kind: str) -> None:
        self.orgs = organisations(model)
        self.kind = kind
        if kind == "network":
            self._network()
        elif kind == "continuum":
            self._charts("Where motivation sits on the continuum")
            for ax in self.axes:
                ax.set_ylim(0, 1)
            handles = [matplotlib.patches.Patch(color=COLOURS[j], label=name)
                       for j, name in enumerate(REGULATIONS)]
            self.axes[0].set_ylabel("share of employees", fontsize=8)
            self.axes[-1].legend(handles=handles[::-1], loc="upper left", fontsize=7,
                                 bbox_to_anchor=(1.0, 1.0), frameon=False)
        else:
            title, series = CHARTS[kind]
            self._charts(title)
            self.lines = []
            for ax in self.axes:
                lines = []
                for k, (column, label) in enumerate(series):
                    dashed = kind == "needs" and column.startswith("frus_")
                    colour = f"C{k % 3}" if kind == "needs" else f"C{k}"
                    (line,) = ax.plot([], [], linestyle="--" if dashed else "-", color=colour,
                                      label=None if dashed else label, linewidth=1.3)
                    lines.append((column, line))
                self.lines.append(lines)
            self.axes[-1].legend(fontsize=7, frameon=False, loc="upper left",
                                 bbox_to_anchor=(1.0, 1.0))

    def _network(self) -> None:
        n = len(self.orgs)
        self.figure = Figure(figsize=(3.4 * n, 3.6))
        self.panels = []
        for k, org in enumerate(self.orgs.values()):
            ax = self.figure.add_axes((0.01 + k / n, 0.02, 1 / n - 0.02, 0.88))
            self.panels.append(NetworkPanel(org, ax))

    def _charts(self, title: str) -> None:
        n = len(self.orgs)
        self.figure = Figure(figsize=(5.6, 3.5))
        self.axes = list(self.figure.subplots(1, n, squeeze=False, sharey=True)[0])
        self.figure.subplots_adjust(left=0.11, right=0.8 if n == 1 else 0.86, bottom=0.14,
                                    top=0.82, wspace=0.08)
        self.figure.suptitle(title, fontsize=10)
        for ax, policy in zip(self.axes, self.orgs, strict=True):
            ax.set_title(policy, fontsize=9, color=policy_colour(policy))
            ax.set_xlabel("step", fontsize=8)
            ax.tick_params(labelsize=7)

    def update(self) -> Figure:
        if self.kind == "network":
            for panel, (policy, org) in zip(self.panels, self.orgs.items(), strict=True):
                panel.update(f"{policy}, step {org.steps}")
            return self.figure
        for k, (ax, org) in enumerate(zip(self.axes, self.orgs.values(), strict=True)):
            df = history(org)
            if self.kind == "continuum":
                for collection in list(ax.collections):
                    collection.remove()
                ax.stackplot(df.index, [df[f"share_{name}"].to_numpy() for name in REGULATIONS],
                             colors=COLOURS)
            else:
                for column, line in self.lines[k]:
                    line.set_data(df.index, df[column])
                ax.relim()
                ax.autoscale_view()
            ax.set_xlim(0, max(1, df.index[-1]))
        return self.figure


_live: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def live_figure(model: Model, kind: str) -> Figure:
    """The up-to-date figure of ``kind`` ("network", "continuum" or a chart) for a model."""
    figures = _live.setdefault(model, {})
    if kind not in figures:
        figures[kind] = LiveFigure(model, kind)
    return figures[kind].update()


def network_figure(model: Model) -> Figure:
    """The network(s), one panel per organisation (the legend is ``NETWORK_LEGEND``)."""
    return live_figure(model, "network")


NETWORK_LEGEND = "".join(
    f'<div style="margin:2px 0"><span style="color:{colour};font-size:18px">&#9679;</span> '
    f"{words}</div>" for colour, words in CONTINUUM.values()
) + ('<div style="margin:2px 0"><span style="font-size:18px">&#9733;</span> Formal leader'
     '</div><div style="margin:2px 0"><span style="color:#607d8b;font-size:22px">&#9679;'
     "</span> Bigger dot: led more tasks lately</div>")
"""The network's legend in plain words, drawn by the browser beside the picture."""


CHARTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "needs": ("Needs: satisfied (solid) and frustrated (dashed)", [
        ("sat_autonomy", "autonomy"), ("sat_competence", "competence"),
        ("sat_relatedness", "relatedness"), ("frus_autonomy", "autonomy"),
        ("frus_competence", "competence"), ("frus_relatedness", "relatedness")]),
    "work": ("Work: tasks completed per step and backlog", [
        ("tasks_completed", "completed / step"), ("backlog", "backlog (open tasks)")]),
    "leadership": ("Leadership: who leads", [
        ("leaders_active", "people who led lately"),
        ("leadership_centralization", "centralisation (1 = one leader)")]),
    "wellbeing": ("Well-being: vitality, exhaustion, burnt out", [
        ("mean_vitality", "vitality"), ("mean_exhaustion", "exhaustion"),
        ("burnout_share", "share burnt out")]),
}

_history: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def history(model: OrganisationModel):
    """The model-level outputs so far, built once per step however many charts ask."""
    cached = _history.get(model)
    if cached is None or cached[0] != model.steps:
        cached = (model.steps, model.datacollector.get_model_vars_dataframe())
        _history[model] = cached
    return cached[1]


def continuum_figure(model: Model) -> Figure:
    """Share of employees at each point of the continuum over time (stacked)."""
    return live_figure(model, "continuum")


def chart_figure(model: Model, chart: str) -> Figure:
    return live_figure(model, chart)


