"""Server-side cost of one step plus redraw in the workshop app (``make bench``).

Target: under 200 ms at 200 employees. A redraw is what the page renders each step: the
network (PNG, at the page's resolution), the continuum and every chart as inline SVG
(``app.page.inline_svg``), and the headline figures.
"""

from __future__ import annotations

import argparse
import io
import sys
import time

from app.comparison import ComparisonModel, organisations
from app.figures import (
    NETWORK_PNG,
    chart_figure,
    charts_of,
    continuum_figure,
    network_figure,
)
from app.page import HEADLINES, inline_svg
from model.organisation import OrganisationModel


def redraw(model) -> None:
    """What the page renders each step: the network as PNG, the charts as inline SVG, the
    headline figures."""
    network_figure(model).savefig(io.BytesIO(), **NETWORK_PNG)
    charts = [chart_figure(model, chart) for chart in charts_of(model)]
    for fig in (continuum_figure(model), *charts):
        inline_svg(fig)
    for org in organisations(model).values():
        for _, value_of, out_of in HEADLINES:
            value_of(org), out_of(org)


def ms_per_step(model, steps: int) -> tuple[float, float]:
    """(step ms, step + redraw ms), averaged over ``steps`` after 20 warm-up steps."""
    for _ in range(20):
        model.step()
    redraw(model)  # the layout is computed once per model, on the first draw
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    step_only = (time.perf_counter() - start) / steps * 1e3
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
        redraw(model)
    return step_only, (time.perf_counter() - start) / steps * 1e3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args(argv)
    print("workshop app, server side, per step (target: step + redraw < 200 ms at 200):")
    for label, model in (
        ("200 employees", OrganisationModel(n_employees=200, rng=1)),
        ("200 employees, comparison", ComparisonModel(n_employees=200, rng=1)),
        ("400 employees", OrganisationModel(n_employees=400, rng=1)),
    ):
        step, total = ms_per_step(model, args.steps)
        print(f"  {label:28s} step {step:6.1f} ms, step + redraw {total:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
