"""A warm start: an organisation the app builds first runs a settling period (``WARM_UP``
weeks, under the policy its scenario names), so that week 0 shows a settled organisation,
not the start-up transient of one just founded (nearly everyone autonomously motivated,
no task delivered yet). The app counts weeks from the end of it (``week``)."""

from __future__ import annotations

import weakref

from model.organisation import OrganisationModel

WARM_UP = 104
"""Weeks an organisation settles before week 0: two years, past its founding transient.
Burnout settles slowly (strain builds over months, and who burns out is partly who one
is), so a one-year warm start showed the room a more burnt-out organisation than the
model's steady state. After ODD item 28 it settles later in the default scenario
(medians over seeds 0–29 of each run's mean over weeks 41–52 / 93–104 / 145–156 /
197–208 / 249–260: default 27 / 25 / 16 / 14 / 14 %, distributed team 26 / 16 / 12 / 11 /
10 %, heroic founder 53 / 51 / 43 / 39 / 36 %), so week 0 of the default scenario still
shows more burnout than its third year; a longer warm start would need the first
screen's seed chosen again (``scenarios.TYPICAL_SEED``), not done yet.
Measured on 2 shared cores: 0.2 s for the default organisation, 0.4 s for a comparison
(doubled from a year's warm start); drawing the page takes longer."""

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
