"""A real chromium on the demo: Austria tables a proposal, Brazil co-sponsors it, the rolling text
shows both in the bracket (also on a screen that was already open, without a reload), the
secretariat marks the paragraph agreed ad ref, takes a version, and the comparison shows the change.

The demo must include the drafting demo (consensio.drafting.demo.load_drafting_demo). To run this
against a server started by hand, set CONSENSIO_BROWSER_URL to its address.
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from consensio.demo import DEMO_ACCOUNTS

pytestmark = pytest.mark.browser

EID = "chp_3__art_22__para_1"  # Article 22 (Jurisdiction), paragraph 1: open in the demo
WORDS = " established by the browser test"


@pytest.fixture(scope="session")
def server(request: pytest.FixtureRequest) -> str:
    return os.environ.get("CONSENSIO_BROWSER_URL") or request.getfixturevalue("demo_server")


def log_in(browser, base: str, username: str):  # type: ignore[no-untyped-def]
    account = next(a for a in DEMO_ACCOUNTS if a.username == username)
    page = browser.new_context().new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", account.username)
    page.fill("#id_password", account.password)
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_table_cosponsor_agree_and_compare(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    watcher = browser.new_context().new_page()
    watcher.goto(f"{server}/texts/")
    watcher.click("#text-list a")
    text_url = watcher.url
    watcher.wait_for_function("document.documentElement.dataset.live === 'open'")

    austria = log_in(browser, server, "austria")
    austria.goto(f"{text_url}provisions/{EID}/")
    austria.select_option("#id_kind", "insert")
    austria.fill("#id_span", "on jurisdiction")
    austria.fill("#id_text", WORDS)
    austria.fill("#id_justification", "Browser test.")
    austria.click("#proposal-form button[type=submit]")
    expect(austria.locator('#proposals li[data-sponsor="AUT"]', has_text=WORDS.strip())).to_have_count(1)

    brazil = log_in(browser, server, "brazil")
    brazil.goto(f"{text_url}provisions/{EID}/")
    brazil.locator('#proposals li[data-sponsor="AUT"]', has_text=WORDS.strip()).locator(
        "button.cosponsor"
    ).click()
    item = brazil.locator('#proposals li[data-sponsor="AUT"]', has_text=WORDS.strip())
    expect(item.locator(".cosponsor-list")).to_have_text("BRA")

    # The rolling text names both, sponsor first; the screen opened before got it live.
    bracket = f"[{WORDS}]{{AUT, BRA}}"
    brazil.goto(text_url)
    paragraph = brazil.locator(f'p[data-eid="{EID}"]')
    assert bracket in paragraph.inner_text()
    watcher.wait_for_function(
        "([eid, want]) => { const p = document.querySelector(`p[data-eid='${eid}']`); "
        "return p && p.innerText.includes(want); }",
        arg=[EID, bracket],
    )

    secretariat = log_in(browser, server, "secretariat")
    secretariat.goto(f"{text_url}provisions/{EID}/")
    secretariat.select_option("#id_trigger", "agree_ad_ref")
    secretariat.click("#status-form button")
    expect(secretariat.locator("#provision-status")).to_have_text("agreed ad ref")
    secretariat.goto(text_url)
    assert secretariat.locator(f'p[data-eid="{EID}"]').get_attribute("data-status") == "agreed_ad_ref"
    secretariat.fill("#id_name", "Rev.2 (browser)")
    secretariat.click("#take-version button")
    expect(secretariat.locator("#versions")).to_contain_text("Rev.2 (browser)")

    secretariat.goto(f"{text_url}compare/")
    secretariat.select_option("#old", label="Rev.1")
    secretariat.select_option("#new", label="Rev.2 (browser)")
    secretariat.click("#compare-form button")
    expect(secretariat.locator("h1")).to_have_text("Comparison of Rev.1 with Rev.2 (browser)")
    change = secretariat.locator(f'#redline .change[data-eid="{EID}"]')
    expect(change).to_have_count(1)
    expect(change.locator(".note-status")).to_have_count(1)
