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
         "--production"],
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


@pytest.fixture
def page(app_url):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1500, "height": 1200})
        tab.goto(app_url, timeout=90_000)
        tab.get_by_text("Presets for a workshop").wait_for(timeout=90_000)
        yield tab
        browser.close()


def _images(page) -> list[str]:
    return page.locator("img").evaluate_all("els => els.map(e => e.src)")


def _counter(k: int) -> re.Pattern:
    """SolaraViz's own step counter: "Step: k" (Mesa 3.3) or "Time: k.0" (Mesa 3.5)."""
    return re.compile(rf"^(Step: {k}|Time: {k}\.0)$")


def _click_until(page, button: str, shows: str | re.Pattern, attempts: int = 4) -> None:
    """Click ``button`` until ``shows`` appears. Right after the page (or SolaraViz, which
    is rebuilt when a scenario is applied) renders, its effects re-render it once more and
    a click can land on a button that is being replaced; a person would click again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(attempts):
        page.get_by_role("button", name=button, exact=True).click()
        try:
            page.get_by_text(shows).first.wait_for(timeout=5_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"pressing {button!r} never showed {shows!r}")


def _step(page, start: int, times: int) -> None:
    """Press Step ``times`` times, from step ``start``; the sidebar must count along."""
    page.get_by_text(_counter(start)).wait_for()
    for k in range(start + 1, start + times + 1):
        _click_until(page, "Step", _counter(k))


def test_workshop_in_a_browser(page):
    # the network and the charts are there
    page.get_by_text(_counter(0)).wait_for()
    page.wait_for_function("document.querySelectorAll('img').length >= 6", timeout=30_000)
    page.screenshot(path=ARTIFACTS / "01_loaded.png")

    # a preset: its explanation shows and its policy is described
    _click_until(page, "Distributed team", "No boss")
    page.get_by_text("Distributed: anyone may take the lead").wait_for()

    # five steps: the step counter moves and the charts change
    _step(page, 0, 5)
    page.get_by_text("distributed: step 5").wait_for()
    page.wait_for_timeout(1000)
    page.screenshot(path=ARTIFACTS / "02_five_steps.png")
    # every step redraws: the network and all five charts change again
    before = _images(page)
    _step(page, 5, 1)
    page.wait_for_timeout(1500)
    after = _images(page)
    assert len(after) >= 6
    assert sum(a != b for a, b in zip(before, after, strict=True)) >= 6

    # the leader leaves: under a heroic founder, the post is empty until a successor
    _click_until(page, "Heroic founder", "A capable founder decides everything")
    _step(page, 0, 2)
    page.get_by_text("a formal leader in post").wait_for()
    _click_until(page, "The leader leaves now", "The leader left.")
    page.get_by_text("no formal leader: a successor in").wait_for()
    page.screenshot(path=ARTIFACTS / "03_leader_left.png")

    # a bad value: the page says why and keeps the running organisation
    seed = page.get_by_label("Seed (a whole number: the same seed gives the same run)")
    seed.fill("forty-two")
    seed.press("Enter")
    _click_until(page, "Build this organisation", "Not applied: seed='forty-two'")
    page.get_by_text("no formal leader: a successor in").wait_for()
    seed.fill("7")
    seed.press("Enter")

    # comparison mode: both policies, side by side
    page.get_by_text("Comparison: heroic and distributed side by side").click()
    _click_until(page, "Build this organisation",
                 "Comparison: heroic (left) and distributed (right)")
    page.get_by_text("heroic: step 0").wait_for()
    page.get_by_text("distributed: step 0").wait_for()
    _step(page, 0, 3)
    page.get_by_text("heroic: step 3").wait_for()
    page.get_by_text("distributed: step 3").wait_for()
    page.wait_for_timeout(1000)
    page.screenshot(path=ARTIFACTS / "04_comparison.png", full_page=True)
