"""The workshop app (Solara around the model, a page of its own): ``make app`` serves
``app/page.py``.

- ``scenarios``: the default scenario, presets, controls (read from ``Parameters``)
- ``comparison``: heroic and distributed side by side on one seed
- ``warmstart``: seven years' settling before week 0 (the studies' warm-up), and the week
  the page counts
- ``figures``: the network and the live charts
- ``page``: the page, its panels and what a session holds
- ``about.md``: the About panel
"""
