"""The app's figures: the network coloured by motivation, the continuum and the live
charts, each built once per model and brought up to date every step."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import matplotlib
import matplotlib.colors
import matplotlib.patches
import matplotlib.ticker
import matplotlib.transforms
import networkx as nx
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from mesa import Model

from app.comparison import organisations
from app.warmstart import warm_up_of, week
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

DOT_PX = (12, 24)
"""Diameters of the network's dots on screen, in pixels: from 12 (led nothing lately) to 24
(led 20 tasks or more); drawn at ``RENDER_DPI`` and shown at natural size, so every dot
has at least 10 px of colour inside its white rim, at the back of a room."""

STAR_PX = 34
"""The formal leader's star, in pixels: bigger than the biggest dot."""

DESK_PX = 8
"""An empty desk's grey ring, in pixels."""


def _area(px: float) -> float:
    """A marker's area in points², for a diameter in screen pixels at ``RENDER_DPI``."""
    return (px * 72 / RENDER_DPI) ** 2


SMOOTHING = 4
"""Weeks over which a noisy per-step count is averaged in the charts."""

CONTINUUM = {
    "amotivation": ("#9e9e9e", "Amotivated: sees no point in the work"),
    "external": ("#9ecae1", "External: works for rewards or to avoid trouble"),
    "introjected": ("#4292c6", "Introjected: works out of guilt or pressure"),
    "identified": ("#125da6", "Identified: values what the work is for"),
    "intrinsic": ("#08306b", "Intrinsic: enjoys the work itself"),
}
"""The regulations in continuum order, light to dark blue (ColorBrewer's Blues, taken at
CIE lightness 79, 58, 39 and 21, so neighbours differ by 18-21 points, as evenly as four
blues between a lightest still seen on white and navy allow; the two darkest were 14
apart, hard to tell apart on a projector: readable by the colour-blind, in greyscale and
on a washed-out projector), amotivation grey: a hue no policy and no other series uses, so on a
projector each colour means one thing."""

CHART_WIDTH = 6.2
"""A chart's width in inches (at the natural size of its SVG, 595 px: two to a row)."""

CHART_GAP = 8
"""Pixels between two charts on the page (``.workshop-charts``)."""

CHART_PT = {"title": 24, "panel_title": 18, "band": 50, "axes": 130, "bottom": 80}
"""A chart's rows from the top, in points: its title; the policies' names over their
panels (in a comparison); the band in which the events are labelled, between the title and
the plot, so that no label sits on the data; the plot; ticks, "week" and the legend."""

BAND_ROWS = 3
"""Rows of event labels in the band: events close together take another row."""

LABEL_CHAR_PT = 0.62 * 11
"""A generous width of one character of an event label (11 pt DejaVu Sans), to lay the
labels out without measuring them on every redraw."""

LABEL_GAP = 4
"""Points between an event's label and its line or another label."""

EVENT_COLOUR = "#455a64"

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
        self.drawn_ties = (id(ties), ties.changes)  # reading the segments back is slow
        self.people = ax.scatter(xy[:, 0], xy[:, 1], zorder=2, linewidths=0.5)
        self.star = ax.scatter([], [], s=_area(STAR_PX), marker="*", c="black", zorder=3)
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
        if self.drawn_ties != (id(ties), ties.changes):  # ties were made or dissolved
            self.edges.set_segments(np.stack([xy[ties.u], xy[ties.v]], axis=1))
            self.drawn_ties = (id(ties), ties.changes)
        self.edges.set_linewidths(0.3 + 1.5 * ties.strength)
        low, high = DOT_PX
        sizes = _area(low + (high - low) * np.sqrt(np.minimum(s.led_recently, 20) / 20))
        self.people.set_sizes(np.where(on, sizes, _area(DESK_PX)))
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
        self.figure = Figure(figsize=(5.0, 4.2) if n == 1 else (3.0 * n, 3.3))
        self.panels = []
        for k, org in enumerate(self.orgs.values()):
            ax = self.figure.add_axes((0.01 + k / n, 0.01, 1 / n - 0.02, 0.9))
            self.panels.append(NetworkPanel(org, ax))

    def _charts(self, title: str, limits: tuple[float, float] | None,
                panels: int | None = None, y_label: str | None = None,
                whole: bool = False) -> None:
        n = len(self.orgs) if panels is None else panels
        rows = CHART_PT
        top = rows["title"] + rows["band"] + (rows["panel_title"] if len(self.orgs) > 1 else 0)
        height = top + rows["axes"] + rows["bottom"]
        # two plots side by side take the width of two charts: room for each one's events
        self.figure = Figure(figsize=(CHART_WIDTH * n + (n - 1) * CHART_GAP / 96,
                                      height / 72))
        self.axes = list(self.figure.subplots(1, n, squeeze=False, sharey=True)[0])
        self.figure.subplots_adjust(left=0.12 / n, right=1 - 0.03 / n,
                                    bottom=rows["bottom"] / height, top=1 - top / height,
                                    wspace=0.08 * n)
        self.figure.suptitle(title, fontsize=TEXT["title"], y=1 - 4 / height, va="top")
        self.limits = limits
        self.figure.supxlabel("week", fontsize=TEXT["label"], y=40 / height)
        # the band's rows: points above the top of each plot
        self.rows = [3 + k * (rows["band"] - 4) / BAND_ROWS for k in range(BAND_ROWS)]
        for ax, policy in zip(self.axes, list(self.orgs)[:n], strict=True):
            if n > 1:  # above the band of event labels
                ax.set_title(policy, fontsize=TEXT["label"], color=policy_colour(policy),
                             pad=rows["band"])
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
        self._wash_out_the_past()

    def _wash_out_the_past(self) -> None:
        """Weeks before week 0 (a warm start's last ``PRELUDE_WEEKS``) under a white veil,
        said "before": the past, shown for reference."""
        self.before = []
        first = min(first_week(org) for org in self.orgs.values())
        if first >= 0:
            return
        for ax in self.axes:
            ax.axvspan(first, 0, facecolor="white", alpha=0.6, linewidth=0, zorder=5)
            self.before.append(ax.text(0.5 * first, 0.96, "before",
                                       transform=ax.get_xaxis_transform(), ha="center",
                                       va="top", fontsize=TEXT["tick"],
                                       color=EVENT_COLOUR, zorder=6, gid="before"))

    def _say_before_while_it_fits(self, first: int, last: int) -> None:
        """"before" only while the washed-out weeks are wide enough to hold the word."""
        for text in self.before:
            text.set_visible(-first >= 0.2 * (last - first))

    def _mark_events(self, plots: list[tuple]) -> None:
        """Each event of each plot (``(ax, marks, events, first, last)``) as a dotted line
        at its week and a label in the band above the plots, never on the data: beside its
        line where a row has room, else as near as there is room over the same plot, joined
        to its line by a dotted lead; labels and lines do not cross. Events of one week
        share a label."""
        figure_width = self.figure.get_figwidth() * 72  # points
        labels = []
        for ax, marks, events, first, last in plots:
            for artist in marks:
                artist.remove()
            marks.clear()
            box = ax.get_position()
            scale = (box.x0 * figure_width, box.width * figure_width, first,
                     max(1, last - first))  # weeks to points: left + (w - first) / span * width
            grouped: dict[int, list[str]] = {}
            for step, label in events:
                if first <= step <= last and label not in grouped.get(step, []):
                    grouped.setdefault(step, []).append(label)
            for step, said in grouped.items():
                x = scale[0] + (step - first) / scale[3] * scale[1]
                labels.append((x, step, ", ".join(said), ax, marks, scale))
        taken: list[list[tuple[float, float]]] = [[] for _ in range(BAND_ROWS)]
        lines: list[tuple[float, int]] = []
        # the latest first: each earlier one then climbs a row and keeps beside its line,
        # right of it (a staircase), where the band has the rows
        for x, step, label, ax, marks, (left, width, first, span) in sorted(
                labels, key=lambda item: -item[0]):
            wide = LABEL_CHAR_PT * len(label)
            # over its own plot (and the margin to its right, but not into the next plot)
            row, start = self._place(x, wide, left, min(left + width + 10, figure_width - 4),
                                     taken, lines)
            lift = self.rows[row]
            marks.append(ax.axvline(step, color=EVENT_COLOUR, linewidth=1.2, linestyle=":",
                                    ymax=1 + (lift + 7) / CHART_PT["axes"], clip_on=False))
            place = matplotlib.transforms.offset_copy(ax.get_xaxis_transform(),
                                                      fig=self.figure, y=lift,
                                                      units="points")
            def to_weeks(points, left=left, width=width, first=first, span=span):
                return first + (points - left) / width * span

            near = min(max(x, start), start + wide)  # the label's nearest point to its line
            if abs(near - x) > LABEL_GAP + 1:  # moved along its row: a lead to its line
                marks.extend(ax.plot([step, to_weeks(near)], [1.0, 1.0], color=EVENT_COLOUR,
                                     linewidth=1.2, linestyle=":", clip_on=False,
                                     scalex=False, scaley=False,  # a mark, not data
                                     transform=matplotlib.transforms.offset_copy(
                                         place, fig=self.figure, y=7, units="points")))
            marks.append(ax.text(to_weeks(start), 1.0, label, transform=place,
                                 fontsize=TEXT["tick"], va="bottom", ha="left",
                                 color=EVENT_COLOUR))

    @staticmethod
    def _place(x: float, wide: float, lo: float, hi: float,
               taken: list[list[tuple[float, float]]], lines: list[tuple[float, int]]
               ) -> tuple[int, float]:
        """The row and start (points) of a label ``wide`` points long for a line at ``x``,
        between ``lo`` and ``hi``: the free place nearest its line, right of its line before
        left of it, lowest row first. A
        row is free where the label meets no other label, no line rising past it, and its
        own line crosses no label below it. ``taken`` and ``lines`` are updated."""
        starts = {x + LABEL_GAP, x - LABEL_GAP - wide}
        for row in taken:
            for a, b in row:
                starts |= {b + LABEL_GAP, a - LABEL_GAP - wide}
        best = None
        for start in sorted(starts):
            start = min(max(start, lo), hi - wide)
            end = start + wide
            distance = max(0.0, start - x - LABEL_GAP, x - LABEL_GAP - end)
            for r, row in enumerate(taken):
                free = (all(end + LABEL_GAP <= a or b + LABEL_GAP <= start for a, b in row)
                        and not any(start - 2 <= u <= end + 2 for u, up in lines if up > r)
                        and not any(a - 2 <= x <= b + 2 for q in taken[:r] for a, b in q))
                # as near as can be, right of its line before left of it (a label ending
                # at its line reads as the label of the line before), lowest row first
                key = (distance, start < x, r)
                if free and (best is None or key < best[0]):
                    best = (key, r, start)
        if best is None:  # the band is full: beside its line in the least used row
            row = min(range(len(taken)), key=lambda r: len(taken[r]))
            start = min(max(x + LABEL_GAP, lo), hi - wide)
        else:
            _, row, start = best
        taken[row].append((start, start + wide))
        lines.append((x, row))
        return row, start

    def update(self) -> Figure:
        if self.kind == "network":
            for panel, (policy, org) in zip(self.panels, self.orgs.items(), strict=True):
                now = org.params.policy if len(self.orgs) == 1 else policy  # after a change
                panel.update(f"{now}, week {week(org)}")
            return self.figure
        if len(self.axes) < len(self.orgs):  # both organisations on one axes
            return self._update_overlay()
        plots = []
        for k, (ax, org) in enumerate(zip(self.axes, self.orgs.values(), strict=True)):
            df, first, last = flows(org), first_week(org), max(first_week(org) + 1, week(org))
            if self.kind == "continuum":
                self._stack(self.bands[k], df.loc[first:])
            else:
                for column, line in self.lines[k]:
                    shown = self._series(df, column).loc[first:]
                    line.set_data(shown.index, shown)
                self._rescale(ax)
            ax.set_xlim(first, last)
            self._say_before_while_it_fits(first, last)
            plots.append((ax, self.marks[k], events_of(org), first, last))
        self._mark_events(plots)
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
        """An output as the chart shows it: smoothed if the chart says so (over the weeks
        before the first shown, too)."""
        if column in CHARTS[self.kind].smoothed:
            return df[column].rolling(SMOOTHING, min_periods=1).mean()
        return df[column]

    def _rescale(self, ax) -> None:
        """A chart without fixed limits: from 0 to what the data need (at least 1, never a
        ±0.04 axis), still free to grow next step."""
        if self.limits is None:
            ax.relim(visible_only=True)
            ax.set_autoscaley_on(True)
            ax.autoscale_view(scalex=False)
            # fixed from here: a mark drawn after (an event's lead) must not rescale it
            ax.set_ylim(0.0, max(ax.get_ylim()[1], 1.0), auto=False)

    def _update_overlay(self) -> Figure:
        ax = self.axes[0]
        events = set()
        for (column, line), (policy, org) in zip(self.lines[0], self.orgs.items(),
                                                 strict=True):
            shown = self._series(flows(org), column).loc[first_week(org):]
            line.set_data(shown.index, shown)
            events |= {(step, label, policy) for step, label in events_of(org)}
        self._rescale(ax)
        org = next(iter(self.orgs.values()))
        first = first_week(org)
        last = max(first + 1, week(org))
        ax.set_xlim(first, last)
        self._say_before_while_it_fits(first, last)
        self._mark_events([(ax, self.marks[0], both_or_which(events, list(self.orgs)),
                            first, last)])
        return self.figure


def both_or_which(events: set[tuple[int, str, str]], policies: list[str]
                  ) -> list[tuple[int, str]]:
    """The events of organisations drawn on one plot: an event all of them had that week
    once, as it is ("market shock"); one only some had, saying which ("leader left
    (heroic)")."""
    out = []
    for step, label in sorted({(step, label) for step, label, _ in events}):
        had = [p for p in policies if (step, label, p) in events]
        out.append((step, label if len(had) == len(policies)
                    else f"{label} ({', '.join(had)})"))
    return out


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


LEGEND_WORDS = {
    "amotivation": "amotivated (sees no point)", "external": "external (rewards, trouble)",
    "introjected": "introjected (guilt, pressure)", "identified": "identified (values it)",
    "intrinsic": "intrinsic (enjoys it)",
}
"""The continuum in a few words each, for the legend under the network (the full words of
``CONTINUUM`` show on hovering)."""

NETWORK_LEGEND = "".join(
    f'<span title="{words}"><span style="color:{colour};font-size:20px">&#9679;</span> '
    f"{LEGEND_WORDS[name]}</span>" for name, (colour, words) in CONTINUUM.items()
) + ('<span><span style="font-size:20px">&#9733;</span> formal leader</span>'
     '<span><span style="color:#607d8b;font-size:24px">&#9679;</span> bigger dot: led more '
     "tasks lately</span>")
"""The network's legend in plain words, drawn by the browser under the picture."""


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
    """Note an event the facilitator caused (e.g. a market shock) at this week."""
    _events.setdefault(org, []).append((week(org), label))


def events_of(org: OrganisationModel) -> list[tuple[int, str]]:
    """The run's events by week, from week 0 on: those recorded (a leader who left when
    asked, under any policy, in the week it was asked), and the formal leader's departures
    and successions read from the outputs (so a scheduled departure is marked too), but for
    a change of policy, which the intervention's own mark already says."""
    df = history(org)
    present, weeks = df["formal_leader_present"].to_numpy(), df.index.to_numpy()
    changes = np.flatnonzero(np.diff(present) != 0) + 1
    handed_over = {step + 1 - warm_up_of(org) for step, what in org.interventions
                   if "policy" in what}
    recorded = _events.get(org, [])
    pressed = {step + 1 for step, label in recorded if label == "leader left"}
    found = [(int(weeks[i]), "leader left" if present[i] == 0 else "successor")
             for i in changes if weeks[i] not in handed_over
             and not (present[i] == 0 and weeks[i] in pressed)]  # marked when pressed
    return sorted(event for event in found + recorded if event[0] >= 0)


_history: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def history(model: OrganisationModel):
    """The model-level outputs so far indexed by week (those of a warm-up before week 0),
    built once per step however many charts ask."""
    cached = _history.get(model)
    if cached is None or cached[0] != model.steps:
        df = model.datacollector.get_model_vars_dataframe()
        df.index = df.index - warm_up_of(model)
        cached = (model.steps, df)
        _history[model] = cached
    return cached[1]


def flows(model: OrganisationModel):
    """The weeks that had a week's flows (tasks delivered, exits): all but the founding
    state."""
    return history(model).iloc[1:]


PRELUDE_WEEKS = 13
"""Weeks of the warm-up a chart shows before week 0, washed out: the last quarter of the
organisation as it was, so that at week 0 the room sees where each line stands, not an
empty chart, and what changes after is seen against it."""


def first_week(model: OrganisationModel) -> int:
    """The first week a chart shows: ``PRELUDE_WEEKS`` before week 0 after a warm start,
    else week 1 (the founding state has no flows yet)."""
    return -min(PRELUDE_WEEKS, warm_up_of(model) - 1) if warm_up_of(model) else 1


def continuum_figure(model: Model) -> Figure:
    """Share of employees at each point of the continuum over time (stacked)."""
    return live_figure(model, "continuum")


def chart_figure(model: Model, chart: str) -> Figure:
    return live_figure(model, chart)


