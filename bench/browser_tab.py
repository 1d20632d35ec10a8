"""One real chromium tab beside the simulated ones: proof that the frames being counted are the
frames a student sees. Debian's chromium through playwright (never `playwright install`)."""

from __future__ import annotations

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.helpers import IDLE


def browser_missing() -> str | None:
    """Why the tab cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"chromium not found at {CHROMIUM} (set NNVIZ_CHROMIUM)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    return None


class BrowserTab:
    """A chromium tab on `url` that presses the button `play_key` and reads a metric."""

    def __init__(self, url: str, play_key: str, counter_label: str) -> None:
        self.url = url
        self.play_key = play_key
        self.counter_label = counter_label
        self._playwright = None
        self._browser = None
        self._page = None

    async def start(self, timeout_s: float) -> None:
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        self._page = await self._browser.new_page(viewport={"width": 1600, "height": 1000})
        self._page.set_default_timeout(timeout_s * 1000)
        await self._page.goto(self.url)
        await self._page.wait_for_selector('[data-testid="stMetric"]')
        await self._page.wait_for_selector(IDLE)
        css_key = "".join(c if c.isalnum() or c in "-_" else "-" for c in self.play_key)
        button = self._page.locator(f".st-key-{css_key} button").first
        # A click that lands while a run is being applied is now and then dropped: retry once.
        for _ in range(2):
            await button.click()
            try:
                await button.filter(has_text="Pause").wait_for(timeout=10_000)
                return
            except PlaywrightError:
                continue
        raise RuntimeError("the chromium tab's Play click did not start the run")

    async def counter(self) -> int | None:
        """The metric's integer value now, or None when it cannot be read."""
        page = self._page
        metric = page.locator('[data-testid="stMetric"]').filter(
            has=page.locator('[data-testid="stMetricLabel"]', has_text=self.counter_label)
        )
        from playwright.async_api import Error as PlaywrightError

        value = metric.locator('[data-testid="stMetricValue"]').first
        try:
            return int((await value.inner_text(timeout=10_000)).replace(",", ""))
        except (PlaywrightError, ValueError):
            return None

    async def close(self) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
