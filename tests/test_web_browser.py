"""The dashboard in a real browser (Debian Chromium through Playwright) against `planwatch serve` (uvicorn).

No download: Playwright drives /usr/bin/chromium. A missing browser fails the tests in CI (CI=true) and skips
them elsewhere. Screenshots of every page go to tests/_artifacts/screenshots/ for a person to look at.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ingest_seeds

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).parent / "_artifacts" / "screenshots"
PASSWORD = "browser test password"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def _need_browser():
    problem = ""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "playwright is not installed (pip install -e '.[dev]')"
    if not problem and not os.path.exists(CHROMIUM):
        problem = f"{CHROMIUM} is missing (apt-get install chromium; make test does it as root)"
    if problem:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true and the browser tests cannot run: {problem}", pytrace=False)
        pytest.skip(f"skipped: {problem}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`planwatch serve` on a free 127.0.0.1 port over the ingested samples, with an editor account."""
    _need_browser()
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'planwatch.db'}"
    ingest_seeds(url)
    cli = [sys.executable, "-m", "planwatch"]
    subprocess.run(cli + ["users", "add", "editor1", "--role", "editor", "--password", PASSWORD, "--db", url],
                   check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen(cli + ["serve", "--host", "127.0.0.1", "--port", str(port), "--db", url],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/v1/me", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stdout.read().decode(errors="replace"))
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watch:
    """Every request and JS error of a page, to check that nothing leaves 127.0.0.1 and nothing breaks."""

    def __init__(self, page, base: str):
        self.base, self.requests, self.errors = base, [], []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def check(self, allow_errors: tuple[str, ...] = ()):
        outside = [u for u in self.requests if not (u.startswith(self.base) or u.startswith("data:"))]
        assert not outside, outside
        errors = [e for e in self.errors if not any(a in e for a in allow_errors)]
        assert not errors, errors


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    pg = ctx.new_page()
    pg.watch = Watch(pg, server)
    yield pg
    ctx.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_overview_cards_chart_and_no_outside_request(page, server):
    page.goto(server + "/")
    page.wait_for_function("window.planwatchStatusChart !== undefined")
    cards = page.locator("article.card")
    assert cards.count() >= 20
    assert "表2" in page.locator("h2").nth(1).inner_text()
    assert page.locator("article.card[data-indicator='地区生产总值'] .v").nth(2).inner_text() == "8200亿元"
    assert page.locator("#status-chart canvas").count() == 1
    shot(page, "01-overview")
    page.watch.check()


def test_follow_an_indicator_to_its_evidence_in_the_document(page, server):
    page.goto(server + "/")
    page.locator("article.card[data-indicator='常住人口城镇化率'] h3 a").click()
    page.wait_for_function("window.planwatchChart !== undefined")
    assert page.locator("#chart canvas").count() == 1
    series = page.evaluate("window.planwatchChart.getOption().series.length")
    assert series >= 2  # actuals and the target path
    shot(page, "02-indicator")
    # the 表2 target's quote → the document viewer, scrolled to it, its details shown
    link = page.locator("#targets tr", has_text="78").first.locator("td.num a").first
    link.click()
    page.wait_for_selector("mark.focus")
    focus = page.locator("mark.focus")
    assert focus.is_visible() and "78" in focus.inner_text()
    assert "常住人口城镇化率" in page.locator("#panel").inner_text()
    shot(page, "03-document-evidence")
    # clicking another highlighted number loads its details through htmx
    other = page.locator("mark.a").nth(3)
    cid = other.get_attribute("data-claim")
    other.click()
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{cid}']")
    page.watch.check()


def test_anonymous_visitor_reads_but_cannot_change(page, server):
    page.goto(server + "/commitments?year=2024")
    assert page.locator("#commitments tr[data-claim]").count() >= 20
    shot(page, "04-commitments")
    cid = page.locator("#commitments tr[data-claim]").first.get_attribute("data-claim")
    page.goto(server + f"/claims/{cid}")
    assert page.locator("form[action$='/confirm']").count() == 0  # no edit controls for anonymous visitors
    status = page.evaluate(f"fetch('/claims/{cid}/confirm', {{method: 'POST'}}).then(r => r.status)")
    assert status == 401
    api = page.evaluate(f"fetch('/api/v1/claims/{cid}/confirm', {{method: 'POST', headers: {{'Content-Type': 'application/json'}}, body: '{{}}'}}).then(r => r.status)")
    assert api == 401
    for name, path in (("05-documents", "/documents"), ("06-review", "/review"), ("07-search", "/search?q=粮食"),
                       ("08-login", "/login"), ("09-overview-en", "/?lang=en")):
        page.goto(server + path)
        shot(page, name)
    page.watch.check(allow_errors=("401",))


def test_editor_corrects_a_claim_and_sees_the_status_change(page, server):
    page.goto(server + "/login")
    page.fill("input[name=name]", "editor1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(server + "/")
    assert "editor1" in page.locator("header.top").inner_text()
    page.goto(server + "/commitments?year=2024&status=met")
    row = page.locator("#commitments tr[data-claim]").first
    cid = row.get_attribute("data-claim")
    row.locator("td.num a").first.click()  # the target in its document
    panel = page.locator(f"#panel .claim-panel[data-claim='{cid}']")
    panel.wait_for()
    assert panel.locator("[data-status='met']").count() == 1
    panel.locator("details.edit summary").click()
    value = panel.locator("form.edit-form input[name=value]")
    value.fill(str(float(value.input_value()) * 100 + 1000))
    panel.locator("form.edit-form input[name=reason]").fill("browser test")
    panel.locator("form.edit-form button[type=submit]").click()
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{cid}'] .ok")
    panel = page.locator(f"#panel .claim-panel[data-claim='{cid}']")
    assert panel.locator("[data-status='not_met']").count() == 1
    assert "browser test" in panel.locator(".history").inner_text()
    shot(page, "10-corrected-claim")
    page.goto(server + "/commitments?year=2024")
    assert page.locator(f"#commitments tr[data-claim='{cid}']").get_attribute("data-status") == "not_met"
    page.goto(server + "/history")
    assert "browser test" in page.locator("#history").inner_text()
    shot(page, "11-history")
    page.watch.check()
