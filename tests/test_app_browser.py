"""The studio in a real headless Chromium: generate a song, write a sentence, see both results on the page.

Uses Debian's /usr/bin/chromium (never `playwright install`). Skipped when it is missing, unless
STUDIO_REQUIRE_BROWSER=1 (CI). STUDIO_SCREENSHOTS=1 saves samples/screenshots/{music,handwriting}_tab.png.
"""
import os
import socket
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "samples" / "screenshots"
TIMEOUT_MS = 60_000  # a cold CPU can take a while for the first song; the test itself is normally ~15 s

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def url():
    if not CHROMIUM.exists():
        if os.environ.get("STUDIO_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing but STUDIO_REQUIRE_BROWSER=1 (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed")
    pytest.importorskip("playwright")
    import app
    import app_actions

    demo = app.build_demo(app_actions.load_models())
    port = free_port()
    app.launch(demo, port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture()
def page(url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(url)
            yield page
        finally:
            browser.close()


def screenshot(page, name: str) -> None:
    if os.environ.get("STUDIO_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(500)  # let images and the waveform finish drawing
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_generate_a_song_and_write_a_sentence_in_the_browser(page):
    from playwright.sync_api import expect

    page.locator("#generate-btn").click()
    # gradio's waveform player keeps its <audio> in a shadow root; playwright's CSS engine pierces it
    page.wait_for_selector("#music-audio audio[src]", state="attached")
    assert page.locator("#music-audio a[download]").get_attribute("download") == "song_seed0_1.wav"
    expect(page.locator("#music-status")).to_contain_text("Generated 1 candidate(s)", timeout=TIMEOUT_MS)
    page.wait_for_selector("#music-score svg", state="attached")  # the engraved score renders just after
    screenshot(page, "music_tab.png")

    page.get_by_role("tab", name="Handwriting").click()
    page.locator("#hw-text textarea").fill("Hello from lstm-studio")
    page.locator("#write-btn").click()
    expect(page.locator("#hw-status")).to_contain_text("Wrote 1 line(s)", timeout=TIMEOUT_MS)
    page.wait_for_selector("#hw-preview .ink svg path", state="attached")
    assert page.locator("#hw-preview .ink svg path").count() > 3
    screenshot(page, "handwriting_tab.png")
