"""The app's figures: the network coloured by motivation, the continuum and the live
charts, each built once per model and brought up to date every step."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import matplotlib
import matplotlib.colors
import matplotlib.patches
import matplotlib.ticker
import networkx as nx
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from mesa import Model

from app.comparison import organisations
from experiments.style import policy_colour
from model.codes import REGULATIONS
from model.organisation import OrganisationModel

# Charts go to the browser as SVG with text left as text: no glyphs to render on the server.
matplotlib.rcParams["svg.fonttype"] = "none"
# Titles sit where matplotlib puts them anyway (nothing is drawn above an axes here), so it
# need not look for overlaps on every redraw (with the fixed places of unused axis labels in
# ``LiveFigure._charts``, a tenth of a comparison's redraw).
matplotlib.rcParams["axes.titley"] = 1.0

RENDER_DPI = 100
"""Resolution of the network picture (PNG, shown at its natural size: crisp on a projector);
thousands of ties are cheaper as pixels than as vector shapes."""

NETWORK_PNG = {"format": "png", "dpi": RENDER_DPI, "pil_kwargs": {"compress_level": 1}}
"""How the network is saved for the page: zlib's fastest level encodes in a third less time
than the default (6) and, for a picture of flat colours, the file is no bigger."""

TEXT = {"title": 14, "label": 12, "tick": 11, "legend": 12}
"""Font sizes in points: at the natural size of an SVG chart a point is 1.33 screen pixels,
so the smallest text is at least 14 px (readable from the back of a room)."""

SMOOTHING = 4
"""Weeks over which a noisy per-step count is averaged in the charts."""

CONTINUUM = {
    "amotivation": ("#9e9e9e", "Amotivated: sees no point in the work"),
    "external": ("#9ecae1", "External: works for rewards or to avoid trouble"),
    "introjected": ("#6baed6", "Introjected: works out of guilt or pressure"),
    "identified": ("#3182bd", "Identified: values what the work is for"),
    "intrinsic": ("#08306b", "Intrinsic: enjoys the work itself"),
}
"""The regulations in continuum order, light to dark blue (ColorBrewer Blues, readable by
the colour-blind and in greyscale), amotivation grey: a hue no policy and no other series
uses, so on a projector each colour means one thing."""

SERIES = ("#222222", "#cc79a7", "#8c510a")
"""The colours of a chart's several series (needs, well-being): black, reddish purple and
brown (Okabe & Ito 2008), none of them a policy's or the continuum's."""
COLOURS = np.array([CONTINUUM[name][0] for name in REGULATIONS])
COLOURS_RGBA = matplotlib.colors.to_rgba_array(COLOURS)  # converted once, indexed each step

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
        self.n_ties = len(ties.u)  # counted here: reading the segments back is slow
        self.people = ax.scatter(xy[:, 0], xy[:, 1], zorder=2, linewidths=0.5)
        self.star = ax.scatter([], [], s=420, marker="*", c="black", zorder=3)
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
        if self.n_ties != len(ties.u):  # collaboration made new ties
            self.edges.set_segments(np.stack([xy[ties.u], xy[ties.v]], axis=1))
            self.n_ties = len(ties.u)
        self.edges.set_linewidths(0.3 + 1.5 * ties.strength)
        sizes = 40 + 140 * np.sqrt(np.minimum(s.led_recently, 20) / 20)
        self.people.set_sizes(np.where(on, sizes, 10))
        self.people.set_facecolors(np.where(on[:, None], COLOURS_RGBA[s.dominant_regulation],
                                            (1.0, 1.0, 1.0, 0.0)))
        self.people.set_edgecolors(np.where(on[:, None], (1.0, 1.0, 1.0, 1.0),
                                            (0.74, 0.74, 0.74, 1.0)))
        leader = self.model.leader
        self.star.set_offsets(xy[[leader]] if leader >= 0 else np.empty((0, 2)))
        self.ax.set_title(title, fontsize=TEXT["title"],
                          color=policy_colour(self.model.params.policy))


class LiveFigure:
    """A figure built once per model and brought up to date each step: rebuilding figures
    (ticks, texts, transforms) cost most of the redraw time. Each chart shows one thing on
    its own scale, noisy counts smoothed, and the events of the run (the leader leaving, a
    successor, a market shock) marked where they happened."""

    def __init__(self, model: Model, kind: str) -> None:
        self.orgs = organisations(model)
        self.kind = kind
        self.marks: list[list] = []
        if kind == "network":
            self._network()
        elif kind == "continuum":
            self._charts(CONTINUUM_TITLE, (0.0, 1.0), y_label="share of staff")
            # one band per regulation, stacked; only their outlines change each step
            self.bands = [[ax.add_collection(PolyCollection([], facecolors=COLOURS[j],
                                                            edgecolors="none"))
                           for j in range(len(REGULATIONS))] for ax in self.axes]
            self.figure.legend(
                handles=[matplotlib.patches.Patch(color=COLOURS[j], label=name)
                         for j, name in enumerate(REGULATIONS)],
                loc="lower center", ncol=len(REGULATIONS), fontsize=TEXT["tick"],
                frameon=False, bbox_to_anchor=(0.5, 0.0), handlelength=1.0,
                columnspacing=0.8)
        elif len(CHARTS[kind].series) == 1 and len(self.orgs) > 1:
            # one series, two organisations: both on one axes, in the policies' colours
            chart = CHARTS[kind]
            self._charts(chart.title, chart.limits, panels=1, whole=chart.whole)
            column = chart.series[0][0]
            self.lines = [[(column, self.axes[0].plot([], [], color=policy_colour(policy),
                                                      label=policy, linewidth=2.0)[0])
                           for policy in self.orgs]]
            self._legend([line for _, line in self.lines[0]])
        else:
            chart = CHARTS[kind]
            self._charts(chart.title, chart.limits, whole=chart.whole)
            self.lines = []
            for ax in self.axes:
                lines = []
                for k, (column, label) in enumerate(chart.series):
                    dashed = column.startswith("frus_")
                    colour = SERIES[k % len(SERIES)]
                    (line,) = ax.plot([], [], linestyle="--" if dashed else "-", color=colour,
                                      label=None if dashed else label, linewidth=2.0)
                    lines.append((column, line))
                self.lines.append(lines)
            if len(chart.series) > 1:
                self._legend([line for _, line in self.lines[0]
                              if not line.get_label().startswith("_")])

    def _legend(self, handles) -> None:
        """One legend for the figure, under the plots, never over the data or clipped."""
        self.figure.legend(handles=handles, loc="lower center", ncol=min(4, len(handles)),
                           fontsize=TEXT["legend"], frameon=False,
                           bbox_to_anchor=(0.5, 0.0))

    def _network(self) -> None:
        n = len(self.orgs)
        self.figure = Figure(figsize=(5.4, 4.6) if n == 1 else (3.8 * n, 3.7))
        self.panels = []
        for k, org in enumerate(self.orgs.values()):
            ax = self.figure.add_axes((0.01 + k / n, 0.01, 1 / n - 0.02, 0.9))
            self.panels.append(NetworkPanel(org, ax))

    def _charts(self, title: str, limits: tuple[float, float] | None,
                panels: int | None = None, y_label: str | None = None,
                whole: bool = False) -> None:
        n = len(self.orgs) if panels is None else panels
        self.figure = Figure(figsize=(6.2, 3.4))
        self.axes = list(self.figure.subplots(1, n, squeeze=False, sharey=True)[0])
        self.figure.subplots_adjust(left=0.12, right=0.97, bottom=0.32, top=0.82, wspace=0.08)
        self.figure.suptitle(title, fontsize=TEXT["title"])
        self.limits = limits
        self.figure.supxlabel("week", fontsize=TEXT["label"], y=0.17)
        for ax, policy in zip(self.axes, list(self.orgs)[:n], strict=True):
            if n > 1:
                ax.set_title(policy, fontsize=TEXT["label"], color=policy_colour(policy))
            ax.tick_params(labelsize=TEXT["tick"])
            # an axis without a label ("week" is the figure's) gets a fixed place for one,
            # so that no redraw measures its tick labels to place it
            ax.xaxis.set_label_coords(0.5, -0.15)
            if y_label is not None and ax is self.axes[0]:
                ax.set_ylabel(y_label, fontsize=TEXT["label"])
            else:
                ax.yaxis.set_label_coords(-0.15, 0.5)
            # few ticks: each is text to lay out on every redraw, and a room reads few
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=4, integer=True))
            ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=3,
                                                                     integer=whole))
            if limits is not None:
                ax.set_ylim(*limits)
            self.marks.append([])

    def _mark_events(self, ax, marks: list, org: OrganisationModel,
                     events: list[tuple[int, str]] | None = None) -> None:
        for artist in marks:
            artist.remove()
        marks.clear()
        last = max(2, org.steps)
        for k, (step, label) in enumerate(events_of(org) if events is None else events):
            marks.append(ax.axvline(step, color="#455a64", linewidth=1.2, linestyle=":"))
            height = 0.98 - 0.14 * (k % 3)  # events close together get their own line
            late = (step - 1) / (last - 1) > 0.6  # a late event's label goes to its left
            marks.append(ax.text(step, height, f"{label} " if late else f" {label}",
                                 transform=ax.get_xaxis_transform(), fontsize=TEXT["tick"],
                                 va="top", ha="right" if late else "left", color="#455a64",
                                 backgroundcolor=(1, 1, 1, 0.7)))

    def update(self) -> Figure:
        if self.kind == "network":
            for panel, (policy, org) in zip(self.panels, self.orgs.items(), strict=True):
                now = org.params.policy if len(self.orgs) == 1 else policy  # after a change
                panel.update(f"{now}, week {org.steps}")
            return self.figure
        if len(self.axes) < len(self.orgs):  # both organisations on one axes
            return self._update_overlay()
        for k, (ax, org) in enumerate(zip(self.axes, self.orgs.values(), strict=True)):
            df = history(org).iloc[1:]  # the founding state (step 0) has no flows yet
            if self.kind == "continuum":
                self._stack(self.bands[k], df)
            else:
                for column, line in self.lines[k]:
                    line.set_data(df.index, self._series(df, column))
                self._rescale(ax)
            self._mark_events(ax, self.marks[k], org)
            ax.set_xlim(1, max(2, org.steps))
        return self.figure

    @staticmethod
    def _stack(bands: list, df) -> None:
        """The continuum's bands stacked from amotivation up, as ``stackplot`` draws them."""
        x = df.index.to_numpy(dtype=float)
        top = np.cumsum([df[f"share_{name}"].to_numpy() for name in REGULATIONS], axis=0)
        bottom = np.concatenate((np.zeros((1, len(x))), top[:-1]))
        for band, lower, upper in zip(bands, bottom, top, strict=True):
            band.set_verts([np.column_stack((np.concatenate((x, x[::-1])),
                                             np.concatenate((upper, lower[::-1]))))])

    def _series(self, df, column: str):
        """An output as the chart shows it: smoothed if the chart says so."""
        if column in CHARTS[self.kind].smoothed:
            return df[column].rolling(SMOOTHING, min_periods=1).mean()
        return df[column]

    def _rescale(self, ax) -> None:
        """A chart without fixed limits: from 0 to what the data need (at least 1, never a
        ±0.04 axis), still free to grow next step."""
        if self.limits is None:
            ax.relim()
            ax.autoscale_view()
            ax.set_ylim(0.0, max(ax.get_ylim()[1], 1.0), auto=True)

    def _update_overlay(self) -> Figure:
        ax = self.axes[0]
        events = set()
        for (column, line), (policy, org) in zip(self.lines[0], self.orgs.items(),
                                                 strict=True):
            df = history(org).iloc[1:]
            line.set_data(df.index, self._series(df, column))
            events |= {(step, f"{label} ({policy})" if "leader" in label else label)
                       for step, label in events_of(org)}
        self._rescale(ax)
        org = next(iter(self.orgs.values()))
        self._mark_events(ax, self.marks[0], org, sorted(events))
        ax.set_xlim(1, max(2, org.steps))
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


@dataclass(frozen=True)
class Chart:
    """A live chart: its title, its lines (output, label), its y-range (None: from 0 to
    what the data need), the outputs smoothed over ``SMOOTHING`` weeks, and whether the
    comparison (heroic beside distributed) shows it too."""

    title: str
    series: list[tuple[str, str]]
    limits: tuple[float, float] | None = (0.0, 1.0)
    smoothed: tuple[str, ...] = ()
    in_comparison: bool = True
    whole: bool = False  # a count of people or things: whole-number ticks


CONTINUUM_TITLE = "Where motivation sits on the continuum"

ALL_OR_NONE = (0.0, 1.05)
"""The range of a share that often sits at exactly 1 (a heroic leader staffs every team):
a little headroom keeps its line off the axes' frame."""

CHARTS: dict[str, Chart] = {
    "delivered": Chart("Tasks delivered per week (4-week average)",
                       [("tasks_completed", "delivered")], None, ("tasks_completed",)),
    "needs": Chart("Needs: satisfied (solid), frustrated (dashed)", [
        ("sat_autonomy", "autonomy"), ("sat_competence", "competence"),
        ("sat_relatedness", "relatedness"), ("frus_autonomy", "autonomy"),
        ("frus_competence", "competence"), ("frus_relatedness", "relatedness")]),
    "wellbeing": Chart("Well-being", [
        ("mean_vitality", "vitality"), ("mean_exhaustion", "exhaustion"),
        ("burnout_share", "share burnt out")]),
    "leading": Chart("People who led a task lately", [("leaders_active", "people")], None,
                     whole=True),
    "handover": Chart("New teams the formal leader staffed (share, 4-week average)",
                      [("leader_staffed_share", "share")], ALL_OR_NONE,
                      ("leader_staffed_share",), in_comparison=False),  # 1 and 0 there
    "centralisation": Chart("Leadership centralisation (1 = one leader)",
                            [("leadership_centralization", "centralisation")], ALL_OR_NONE),
    "exits": Chart("People leaving per week (4-week average)", [("exits", "exits")], None,
                   ("exits",)),
}
"""The live charts, in page order: one thing each, on its own scale."""


def charts_of(model: Model) -> list[str]:
    """The charts a model's page shows, in page order."""
    single = len(organisations(model)) == 1
    return [name for name, chart in CHARTS.items() if single or chart.in_comparison]


_events: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def record_event(org: OrganisationModel, label: str) -> None:
    """Note an event the facilitator caused (e.g. a market shock) at this step."""
    _events.setdefault(org, []).append((org.steps, label))


def events_of(org: OrganisationModel) -> list[tuple[int, str]]:
    """The run's events by step: those recorded, and the formal leader's departures and
    successions read from the outputs (so a scheduled departure is marked too), but for a
    change of policy, which the intervention's own mark already says."""
    present = history(org)["formal_leader_present"].to_numpy()
    changes = np.flatnonzero(np.diff(present) != 0) + 1
    handed_over = {step + 1 for step, what in getattr(org, "interventions", [])
                   if "policy" in what}
    found = [(int(step), "leader left" if present[step] == 0 else "successor")
             for step in changes if step not in handed_over]
    return sorted(found + _events.get(org, []))


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


