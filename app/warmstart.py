"""A warm start: an organisation the app builds first runs a settling period (``WARM_UP``
weeks, under the policy its scenario names), so that week 0 shows a settled organisation,
not the start-up transient of one just founded (nearly everyone autonomously motivated,
no task delivered yet). The app counts weeks from the end of it (``week``)."""

from __future__ import annotations

import weakref

from model.organisation import OrganisationModel

WARM_UP = 52
"""Weeks an organisation settles before week 0: a year, long enough for its first tasks to
be delivered and its people to have felt the policy. Measured on 2 shared cores: 0.1–0.2 s
for 20 to 400 employees, twice that for a comparison (up to 1.5 s while a test suite ran
beside it); drawing the page takes longer."""

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
