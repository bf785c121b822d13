"""The workshop app in a real browser: Debian's chromium driven by Playwright.

In CI this test must run; elsewhere it skips, saying how to install what it needs.
Screenshots are saved in ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser test: install chromium (apt-get install "
                           "chromium); .ci/run does this")
    pytest.skip("no chromium: apt-get install chromium (Debian) to run the browser test",
                allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = _free_port()
    solara = Path(sys.executable).with_name("solara")
    server = subprocess.Popen(
        [str(solara), "run", "app.page", "--host", "127.0.0.1", "--port", str(port),
         "--production", "--no-check-version"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("the app did not start: " + server.stdout.read().decode()[-2000:])
    yield url
    server.terminate()
    server.wait(timeout=20)


def _open(app_url, width: int, height: int):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    tab = browser.new_page(viewport={"width": width, "height": height})
    failed = []
    tab.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
           else None)
    tab.goto(app_url, timeout=90_000)
    tab.get_by_text("Presets:").wait_for(timeout=90_000)
    tab.wait_for_function("document.querySelectorAll('svg text').length > 20", timeout=60_000)
    return playwright, browser, tab, failed


@pytest.fixture
def room(app_url):
    """The app as a projector shows it: 1280×720."""
    playwright, browser, tab, failed = _open(app_url, 1280, 720)
    yield tab, failed
    browser.close()
    playwright.stop()


@pytest.fixture
def page(app_url):
    playwright, browser, tab, _ = _open(app_url, 1500, 1200)
    yield tab
    browser.close()
    playwright.stop()


def _images(page) -> list[str]:
    return page.locator("img").evaluate_all("els => els.map(e => e.src)")


def _week(k: int) -> re.Pattern:
    return re.compile(rf"^Week {k}( |$)")


def _click_until(page, button: str, shows: str | re.Pattern, attempts: int = 4) -> None:
    """Click ``button`` until ``shows`` appears (right after a scenario is built the page
    re-renders once more, and a click can land on a button being replaced; a person would
    click again). A click that did land but was slow to show is pressed again: the page
    must then still show ``shows`` (a second "The leader leaves now" says since when the
    post is empty)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(attempts):
        page.get_by_role("button", name=button, exact=True).click()
        try:  # a busy machine may take seconds to answer a click
            page.get_by_text(shows).first.wait_for(timeout=15_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"pressing {button!r} never showed {shows!r}")


def _step(page, start: int, times: int) -> None:
    """Press Step ``times`` times, from week ``start``; the week counter must count along."""
    page.get_by_text(_week(start)).wait_for()
    for k in range(start + 1, start + times + 1):
        _click_until(page, "Step", _week(k))


CLIPPED_TEXT = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width < 50) continue;
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 ||
          r.bottom > box.bottom + 1) out.push(t.textContent.trim());
    }
  }
  return out;
}"""
"""Text of every chart label, tick or legend entry that reaches outside its chart."""

SMALL_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
    let scale = 1;  // what transforms (a floating label's, an SVG's) make of the size
    if (el instanceof SVGElement) {
      const m = el.getScreenCTM();
      scale = Math.hypot(m.a, m.b);
    } else if (el.offsetHeight > 0) {
      scale = el.getBoundingClientRect().height / el.offsetHeight;
    }
    const px = parseFloat(style.fontSize) * scale;
    if (px < 13.99) out.push(`${px.toFixed(1)} px: ${node.textContent.trim().slice(0, 40)}`);
  }
  return out;
}"""
"""Visible text of the page, HTML and SVG alike, under 14 px as the screen shows it (its
computed font size, scaled as transforms scale it)."""

BOXES = """() => [...document.querySelectorAll(
    'img, .workshop-charts svg, button, .workshop-tile, .workshop-levers, .v-select, '
    + '.workshop-explanation')]
  .filter(e => e.getBoundingClientRect().width > 0)
  .map(e => { const r = e.getBoundingClientRect();
              return [e.tagName, Math.round(r.x), Math.round(r.y), Math.round(r.width),
                      Math.round(r.height)]; })"""
"""Where the pictures, charts, buttons, figures and controls sit on the page."""


def _dot_sizes(picture: bytes):
    """The across of each patch of a motivation colour in a picture of the network: its
    dots as the screen shows them."""
    import io

    import matplotlib.colors
    import numpy as np
    from PIL import Image
    from scipy import ndimage

    from app.figures import CONTINUUM

    colours = np.array([matplotlib.colors.to_rgb(c) for c, _ in CONTINUUM.values()]) * 255
    pixels = np.asarray(Image.open(io.BytesIO(picture)).convert("RGB"), dtype=float)
    distance = np.abs(pixels[:, :, None, :] - colours[None, None]).sum(axis=3).min(axis=2)
    patches = ndimage.find_objects(ndimage.label(distance < 30)[0])
    return np.array([max(a.stop - a.start, b.stop - b.start) for a, b in patches])

COVERED = """(names) => names.filter(name => {
  const button = [...document.querySelectorAll('button')].find(
      b => b.textContent.trim() === name);
  if (!button) return true;
  const r = button.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return !(hit && button.contains(hit));
})"""
"""The controls, of those named, that something else lies over (or that are missing)."""


def _fully_visible(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (box is not None and box["y"] >= 0 and box["x"] >= 0
            and box["y"] + box["height"] <= size["height"]
            and box["x"] + box["width"] <= size["width"])


def test_the_room_sees_the_story_at_1280_by_720(room):
    page, failed = room
    page.screenshot(path=ARTIFACTS / "00_first_screen_1280x720.png")
    # above the fold: the network and the four headline figures, nothing scrolled
    network = page.locator("img").first
    assert _fully_visible(page, network)
    for headline in ("Tasks delivered a week", "Autonomous motivation", "Burnt out",
                     "People leading lately"):
        assert _fully_visible(page, page.get_by_text(headline).first), headline
    assert network.bounding_box()["width"] >= 500  # the heart of the story, not a thumbnail
    # a settled organisation at week 0 (a warm start), not one just founded
    tasks = page.locator(".workshop-tile .value").first.inner_text()
    assert float(tasks) > 0, tasks
    out_of = page.locator(".workshop-tile .out-of").first.inner_text()
    assert out_of.startswith("of ") and out_of.endswith(" arriving"), out_of
    # the presets and their sentence, and the levers beside the network, in the first screen
    for preset in ("Heroic founder", "Turbulent market"):
        assert _fully_visible(page, page.get_by_role("button", name=preset))
    assert _fully_visible(page, page.locator(".workshop-explanation"))
    fostering = "A new organisation whose leader decides at first"
    _click_until(page, "Fostering independence", fostering)
    assert _fully_visible(page, page.get_by_text(fostering))
    levers = page.locator(".workshop-levers")
    change = page.get_by_role("button", name="Change it now, keep running")
    beside = network.bounding_box()  # right of the network, above the foot of its legend
    legend = page.locator(".workshop-legend").bounding_box()
    for control in (levers, change):
        assert _fully_visible(page, control)
        box = control.bounding_box()
        assert (box["x"] >= beside["x"] + beside["width"]
                and box["y"] < legend["y"] + legend["height"])
    assert levers.get_by_text("Leadership").count() == 1
    assert _fully_visible(page, page.locator(".workshop-legend"))
    # dots a back row can see: at least 10 px of colour each
    dots = _dot_sizes(network.screenshot())
    assert len(dots) >= 50 and float(np.median(dots)) >= 10, sorted(dots)
    # only the app's controls; nothing of the framework over them
    for framework in ("This website runs on Solara", "Play Interval", "Render Interval",
                      "Use Threads", "Model Parameters", "PAGE 0"):
        assert page.get_by_text(framework).count() == 0, framework
    controls = ["Step", "Play", "Reset", "The leader leaves now", "Market shock",
                "Heroic founder", "Distributed team"]
    assert page.evaluate(COVERED, controls) == []
    # every chart's text inside its chart, none too small for the back row
    _step(page, 0, 3)
    page.wait_for_timeout(1000)
    assert page.evaluate(CLIPPED_TEXT) == []
    assert page.evaluate(SMALL_TEXT) == []
    page.screenshot(path=ARTIFACTS / "01_room_1280x720.png")
    # Play goes at the pace asked for, Pause stops it; nothing on the page moves meanwhile
    still = page.evaluate(BOXES)
    page.get_by_role("button", name="Play", exact=True).click()
    page.get_by_text(re.compile(r"playing [0-9.]+ weeks a second")).wait_for(timeout=10_000)
    page.wait_for_timeout(2000)
    assert page.evaluate(BOXES) == still
    page.get_by_role("button", name="Pause", exact=True).click()
    page.wait_for_timeout(1000)
    week = int(re.search(r"Week (\d+)", page.get_by_text(re.compile(r"^Week \d+")).first
                         .inner_text()).group(1))
    assert week >= 5
    # the events, marked where they happened; the market shock message gone after Reset
    _click_until(page, "Market shock", f"Market shock at week {week}: demand jumped")
    _click_until(page, "The leader leaves now", f"The leader left at week {week}")
    _step(page, week, 2)
    page.wait_for_timeout(1000)
    assert page.evaluate(BOXES) == still  # a message came: it had its place kept
    charts = page.locator(".workshop-charts svg")
    for marked in ("market shock", "leader left"):
        assert charts.filter(has=page.locator("text", has_text=marked)).count() == (
            charts.count()), marked
    assert page.evaluate(SMALL_TEXT) == []
    page.screenshot(path=ARTIFACTS / "02_events_marked.png", full_page=True)
    _click_until(page, "Reset", _week(0))
    assert page.get_by_text("Market shock at week").count() == 0
    # the comparison too holds its networks, figures and levers in the first screen
    page.get_by_text("Comparison: heroic and distributed side by side").click()
    _click_until(page, "Build this organisation", "distributed: week 0")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    networks = page.locator("img").first.bounding_box()
    for control in (page.locator(".workshop-levers"),
                    page.get_by_role("button", name="Change it now, keep running"),
                    page.locator(".workshop-tiles")):
        assert _fully_visible(page, control)
        assert control.bounding_box()["x"] >= networks["x"] + networks["width"]
    assert page.evaluate(SMALL_TEXT) == []
    page.screenshot(path=ARTIFACTS / "07_comparison_1280x720.png")
    # offline: every bundled asset found
    assert failed == [], failed


CHARTS_IN_FIRST_ROW = """() => {
  const tops = [...document.querySelectorAll('.workshop-charts > div')]
    .map(e => Math.round(e.getBoundingClientRect().top));
  return tops.filter(t => t === tops[0]).length;
}"""
"""How many charts sit side by side in the first row of charts."""


@pytest.mark.parametrize(("width", "height", "charts"), [(1280, 720, 2), (1920, 1080, 3)])
def test_charts_fill_the_width_of_the_screen(app_url, width, height, charts):
    """As many charts to a row as the screen holds: two on a projector, three at 1920 px
    (a third of a wide screen was left empty), none running off it."""
    playwright, browser, tab, _ = _open(app_url, width, height)
    try:
        assert tab.evaluate(CHARTS_IN_FIRST_ROW) == charts
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        tab.screenshot(path=ARTIFACTS / f"08_charts_{width}x{height}.png", full_page=True)
    finally:
        browser.close()
        playwright.stop()


def test_workshop_in_a_browser(page):
    # the network and the charts are there
    page.get_by_text(_week(0)).wait_for()
    page.wait_for_function("document.querySelectorAll('img').length >= 1", timeout=30_000)
    page.screenshot(path=ARTIFACTS / "03_loaded.png")

    # a preset: its explanation shows
    _click_until(page, "Distributed team", "No boss")

    # five steps: the week counter moves and the network and charts change
    _step(page, 0, 5)
    page.get_by_text("distributed: week 5").wait_for()
    page.wait_for_timeout(1000)
    before = [*_images(page), page.locator("svg").nth(1).inner_html()]
    _step(page, 5, 1)
    page.wait_for_timeout(1500)
    after = [*_images(page), page.locator("svg").nth(1).inner_html()]
    assert all(a != b for a, b in zip(before, after, strict=True))

    # the leader leaves: under a heroic founder, the post is empty until a successor
    _click_until(page, "Heroic founder", "A capable founder decides everything")
    _step(page, 0, 2)
    page.get_by_text("a formal leader in post").wait_for()
    _click_until(page, "The leader leaves now", "The leader left at week 2")
    page.get_by_text("no formal leader: a successor in").wait_for()
    page.screenshot(path=ARTIFACTS / "04_leader_left.png")

    # a bad value: the page says why and keeps the running organisation
    seed = page.get_by_label("Seed (a whole number: the same seed gives the same run)")
    seed.fill("forty-two")
    seed.press("Enter")
    _click_until(page, "Build this organisation", "Not applied: seed='forty-two'")
    page.get_by_text("no formal leader: a successor in").wait_for()
    seed.fill("7")
    seed.press("Enter")

    # an intervention: the running organisation changes leadership, marked on every chart
    _click_until(page, "Build this organisation", _week(0))
    _step(page, 0, 3)
    page.get_by_label("Leadership").click(force=True)
    page.get_by_role("option", name="distributed", exact=True).click()
    _click_until(page, "Change it now, keep running", "Changed at week 3")
    _step(page, 3, 2)
    page.wait_for_timeout(1000)
    charts = page.locator(".workshop-charts svg").count()
    marked = page.locator(".workshop-charts svg", has=page.locator("text",
                                                                   has_text="changed"))
    assert charts >= 2 and marked.count() == charts, (marked.count(), charts)
    page.screenshot(path=ARTIFACTS / "06_changed_now.png", full_page=True)

    # under distributed leadership the one who led most leaves: marked on every chart too
    _click_until(page, "The leader leaves now", "The leader left at week 5: the one who led")
    _step(page, 5, 1)
    page.wait_for_timeout(1000)
    left = page.locator(".workshop-charts svg", has=page.locator("text",
                                                                 has_text="leader left"))
    assert left.count() == charts

    # comparison mode: both policies, side by side; no Leadership menu that does nothing
    page.get_by_text("Comparison: heroic and distributed side by side").click()
    _click_until(page, "Build this organisation",
                 "Comparison: heroic (left) and distributed (right)")
    page.get_by_text("heroic: week 0").wait_for()
    page.get_by_text("distributed: week 0").wait_for()
    assert page.get_by_label("Leadership").count() == 0
    _step(page, 0, 3)
    page.get_by_text("heroic: week 3").wait_for()
    page.get_by_text("distributed: week 3").wait_for()
    _click_until(page, "Market shock", "Market shock at week 3")
    _step(page, 3, 1)
    page.wait_for_timeout(1000)
    assert page.evaluate(CLIPPED_TEXT) == []
    assert page.evaluate(SMALL_TEXT) == []
    marked = page.locator(".workshop-charts svg", has=page.locator("text",
                                                                   has_text="market shock"))
    assert marked.count() == page.locator(".workshop-charts svg").count()
    dots = _dot_sizes(page.locator("img").first.screenshot())
    assert len(dots) >= 100 and float(np.median(dots)) >= 10, sorted(dots)
    page.screenshot(path=ARTIFACTS / "05_comparison.png", full_page=True)
