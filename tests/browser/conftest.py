"""Browser tests drive the real Chromium (Debian's package) through Playwright."""

import os

import pytest
from playwright.sync_api import sync_playwright

from newsmuse.audit import CHROMIUM_ARGS

# Playwright's sync API runs an event loop in this thread; Django must still allow the
# live server's database setup from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.fail(
            f"Chromium is not at {executable}: install Debian's 'chromium' package "
            "(make test does this when it can) or set CHROMIUM."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
