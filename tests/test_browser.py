"""End to end in headless Chromium (Debian's, driven by Playwright through its executable path): the
served UI on a real uvicorn server, and the static site from `file://`. A reader opens the index,
searches for a name, opens the story, follows a summary citation and sees the cited words highlighted
in the article; the timeline is drawn; Tab reaches every link; with JavaScript off, the citation still
lands on highlighted words. A screenshot of the story page is left in `out/screenshots/` for review.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
#: The highlight of cited words (`--hl` in storyline.css).
HIGHLIGHT = "rgb(255, 224, 130)"
SCREENSHOTS = REPO / "out" / "screenshots"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not found (apt-get install chromium; CI does)"),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(seed_db) -> Iterator[str]:
    """The real server (uvicorn, as `storyline serve` runs it) on a free loopback port, in a thread."""
    import uvicorn

    from storyline.present.web import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(seed_db.path), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def static_site(seed_db, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from storyline.compare import brief_story
    from storyline.present import write_site
    from storyline.present.html import store_details
    from storyline.store import Store

    out = tmp_path_factory.mktemp("site")
    with Store(seed_db.path) as store:
        write_site([brief_story(store, seed_db.story)], out, store_details(store))
    return out


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    # A policy violation or a script error is a failure of the page, not noise.
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: problems.append(str(e)))
    yield opened
    context.close()
    assert not problems, problems


def _assert_timeline_drawn(page) -> None:
    dots = page.locator("#timeline-chart circle")
    assert dots.count() >= 3
    box = page.locator("#timeline-chart").bounding_box()
    assert box and box["width"] > 400 and box["height"] > 50


def _follow_a_citation(page) -> str:
    """Click the first summary citation; the article opens with the cited words highlighted in view."""
    chip = page.locator("#summary a.chip[href*='#ev-']").first
    anchor = chip.get_attribute("href").split("#")[1]
    chip.click()
    page.wait_for_url(f"**#{anchor}")
    page.wait_for_timeout(150)  # the script's scroll
    target = page.locator(f"[id='{anchor}']")
    assert target.evaluate("el => el.matches(':target')")
    assert target.evaluate("el => getComputedStyle(el).backgroundColor") == HIGHLIGHT
    assert target.evaluate("el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight }")
    return anchor


def _tab_reaches_every_link(page) -> None:
    """Tab from the top of the page until focus has been on every link a reader can see."""
    count = page.evaluate(
        """() => {
            const links = [...document.querySelectorAll('a[href]')].filter(a => a.checkVisibility());
            links.forEach((a, i) => a.setAttribute('data-tab', i));
            return links.length;
        }"""
    )
    assert count > 20
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    reached: set[str] = set()
    for _ in range(count + 40):
        page.keyboard.press("Tab")
        mark = page.evaluate("() => document.activeElement && document.activeElement.getAttribute('data-tab')")
        if mark is not None:
            reached.add(mark)
        if len(reached) == count:
            break
    missing = sorted(set(map(str, range(count))) - reached, key=int)
    assert not missing, f"{len(missing)} of {count} links never got the focus, e.g. {missing[:5]}"


def test_served_walk_search_story_citation_timeline_keyboard(page, server, seed_db):
    page.goto(f"{server}/")
    assert "1 story from 5 articles" in page.locator("main").inner_text()
    page.fill("#q", "Stoltenberg")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=Stoltenberg")
    assert page.locator("#article-results li").count() >= 2
    page.locator(f"#story-results a[href='/stories/{seed_db.story}']").click()
    page.wait_for_url(f"**/stories/{seed_db.story}")
    _assert_timeline_drawn(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "story.png"), full_page=True)
    _tab_reaches_every_link(page)
    _follow_a_citation(page)
    assert "/articles/" in page.url


def test_static_walk_from_file_with_and_without_javascript(page, browser, static_site):
    page.goto((static_site / "index.html").as_uri())
    # The filter box is the script's: shown once it runs, then narrowing the stories by a name.
    box = page.locator("#filter")
    assert box.is_visible()
    rows = page.locator("table.stories tbody tr")
    box.fill("zzzz-no-such-name")
    assert not rows.first.is_visible()
    box.fill("blinken")
    assert rows.first.is_visible()
    rows.first.locator("a.story-link").click()
    page.wait_for_url("**/stories/*.html")
    _assert_timeline_drawn(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "story-static.png"))
    story_url = page.url
    anchor = _follow_a_citation(page)
    assert page.url.startswith("file://") and page.url.endswith(f".html#{anchor}")

    # JavaScript off: the same citation lands on the same highlighted words (CSS :target alone).
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})
    try:
        plain = context.new_page()
        plain.goto(story_url)
        assert not plain.locator("#filter-box").count() or not plain.locator("#filter-box").is_visible()
        chip = plain.locator("#summary a.chip[href*='#ev-']").first
        anchor = chip.get_attribute("href").split("#")[1]
        chip.click()
        plain.wait_for_url(f"**#{anchor}")
        target = plain.locator(f"[id='{anchor}']")
        assert target.evaluate("el => getComputedStyle(el).backgroundColor") == HIGHLIGHT
    finally:
        context.close()
