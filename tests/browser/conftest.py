"""Fixtures of the browser tests: the live server, Chromium and its pages.

The tests drive Debian's Chromium (package ``chromium``) through Playwright,
launched from the system executable, so Playwright never downloads a browser.
``make test`` installs Chromium with apt-get when it runs as root. Without
Chromium every browser test is skipped with the reason shown in the summary.

One server and one browser serve the whole package; each test gets a fresh
browser context (its own cookies). When a test fails, a screenshot and the
page's HTML are saved under ``test-artifacts/`` at the top of the checkout.
"""

import os
import re
import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.live_server import DEMO_PASSWORD, build_app, prepare_database, serve
from tests.browser.pages import button, field
from tests.conftest import BROWSER_SMTP_PORT
from tests.mail_servers import RecordingHandler, start_server
from workflow import clock

# Where Debian's package puts the browser; FUDAO_TEST_CHROMIUM overrides it.
CHROMIUM = os.environ.get("FUDAO_TEST_CHROMIUM", "/usr/bin/chromium")
# Server-rendered pages load in well under a second, and the margin allows
# for a loaded CI machine. A failing wait costs this long, not Playwright's
# default of 30 seconds.
TIMEOUT_MS = 15_000

_REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item for the page fixture."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="package")
def chromium_path():
    """Return the Chromium executable, or skip when it is not installed."""
    found = shutil.which(CHROMIUM)
    if found is None:
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install the Debian package "
            "chromium (make test does so when run as root) or set "
            "FUDAO_TEST_CHROMIUM"
        )
    return found


@pytest.fixture(scope="package")
def live_server(chromium_path, tmp_path_factory):
    """Serve the app, prepared as by ``make run``, on a free loopback port."""
    app = build_app(tmp_path_factory.mktemp("live"), BROWSER_SMTP_PORT)
    prepare_database(app)
    server = serve(app)
    yield server
    server.stop()


@pytest.fixture(scope="package")
def browser(chromium_path):
    """Launch one headless Chromium for every test of the package."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path)
        yield chromium
        chromium.close()


@pytest.fixture
def page(request, browser, live_server):
    """Open a page in a fresh browser context addressed to the live server."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", accept_downloads=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = request.node.stash.get(_REPORTS, {}).get("call")
    if report is not None and report.failed:
        _save_artifacts(page, request)
    context.close()


def _save_artifacts(page, request):
    folder = request.config.rootpath / "test-artifacts"
    folder.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    page.screenshot(path=folder / f"{stem}.png", full_page=True)
    (folder / f"{stem}.html").write_text(page.content(), encoding="utf-8")


@pytest.fixture
def sign_in():
    """Sign ``page`` in as ``username`` through the sign-in form."""

    def sign_in_as(page, username, password=DEMO_PASSWORD):
        page.goto("/sign-in")
        field(page, "用户名").fill(username)
        field(page, "密码").fill(password)
        button(page, "登录").click()
        expect(page).not_to_have_url(re.compile(r"/sign-in"))

    return sign_in_as


@pytest.fixture
def workflow_clock():
    """Return ``clock.freeze`` for the server's workflow; unfreeze afterwards."""
    yield clock.freeze
    clock.unfreeze()


@pytest.fixture
def mailbox(live_server):
    """Run the SMTP server that receives the live server's emails."""
    handler = RecordingHandler()
    controller = start_server(handler, BROWSER_SMTP_PORT, smtputf8=False)
    yield handler
    controller.stop()
