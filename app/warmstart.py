"""A warm start: an organisation the app builds first runs a settling period (``WARM_UP``
weeks, under the policy its scenario names), so that week 0 shows an organisation at work,
not the start-up transient of one just founded (nearly everyone autonomously motivated,
no task delivered yet). The app counts weeks from the end of it (``week``)."""

from __future__ import annotations

import weakref

from experiments.simulate import SETTLING_WEEKS
from model.organisation import OrganisationModel

WARM_UP = SETTLING_WEEKS
"""Weeks an organisation settles before week 0: seven years, past its founding transient,
the warm-up every study runs (``experiments.simulate.SETTLING_WEEKS``, ODD item 30), so
the room sees an organisation at work as the studies read it. Burnout settles slowly
(strain builds over months, and who burns out is partly who one is): medians over seeds
0–29 of each run's mean over the last 12 weeks of years 1–8 (after ODD item 29): default
29 / 18 / 17 / 12 / 12 / 12 / 12 / 18 %, distributed team 26 / 16 / 12 / 11 / 10 / 9 /
10 / 10 %, heroic founder 54 / 52 / 45 / 42 / 40 / 41 / 39 / 34 %. A three-year warm
start (used until item 30) still showed the room the tail of the founding wave.
Measured on 2 shared cores: about 0.7 s for the default organisation, 1.4 s for a
comparison (1.1 s and 2.1 s measured again after ODD item 40); drawing the page takes
longer. The page builds in the background and says so meanwhile
(``app.page.WorkshopState.build_then``)."""

_settled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def settle(org: OrganisationModel, weeks: int = WARM_UP) -> None:
    """Run ``weeks`` weeks before week 0, every one recorded (cheap; the charts' averages
    at week 1 then read real weeks before it). Same seed, same settled organisation."""
    for _ in range(weeks):
        org.step()
    _settled[org] = warm_up_of(org) + weeks


def warm_up_of(org: OrganisationModel) -> int:
    """The weeks ``org`` settled before week 0 (0 for an organisation the app did not build)."""
    return _settled.get(org, 0)


def week(org: OrganisationModel) -> int:
    """The week ``org`` is in, as the page counts: steps since the end of its warm-up."""
    return org.steps - warm_up_of(org)
