"""A warm start: an organisation the app builds first runs a settling period (``WARM_UP``
weeks, under the policy its scenario names), so that week 0 shows a settled organisation,
not the start-up transient of one just founded (nearly everyone autonomously motivated,
no task delivered yet). The app counts weeks from the end of it (``week``)."""

from __future__ import annotations

import weakref

from model.organisation import OrganisationModel

WARM_UP = 156
"""Weeks an organisation settles before week 0: three years, past its founding transient.
Burnout settles slowly (strain builds over months, and who burns out is partly who one
is): after ODD item 29, medians over seeds 0–29 of each run's mean over weeks 41–52 /
93–104 / 145–156 / 197–208 / 249–260: default 29 / 18 / 17 / 12 / 12 %, distributed team
26 / 16 / 12 / 11 / 10 %, heroic founder 54 / 52 / 45 / 42 / 40 %: by the third year
a third gone by default, then a slow drift down where there is a formal leader. A year's warm
start showed the room a much more burnt-out organisation than later weeks; three years
shows one near where it goes on.
Measured on 2 shared cores: 0.3 s for the default organisation, 0.6 s for a comparison;
drawing the page takes longer."""

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
