"""A real chromium opens the demo, the secretariat pastes the seed statement and sees 40 States and the EU.

A second, anonymous window on the statements list receives the new statement over the
websocket, without a reload.
"""

from __future__ import annotations

import pytest

from consensio.demo import DEMO_ACCOUNTS, seed_statement_text

pytestmark = pytest.mark.browser


def log_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    account = next(a for a in DEMO_ACCOUNTS if a.username == username)
    page.goto(f"{base}/login/")
    page.fill("#id_username", account.username)
    page.fill("#id_password", account.password)
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_secretariat_pastes_the_seed_statement(demo_server: str, browser) -> None:  # type: ignore[no-untyped-def]
    watcher = browser.new_context().new_page()
    watcher.goto(f"{demo_server}/statements/")
    watcher.wait_for_function("document.documentElement.dataset.live === 'open'")
    before = watcher.locator("#statement-list > li").count()

    page = browser.new_context().new_page()
    page.goto(f"{demo_server}/states/")
    assert page.locator("h1").inner_text() == "States and groups"
    log_in(page, demo_server, "secretariat")
    page.goto(f"{demo_server}/statements/new/")
    page.fill("#id_title", "Vienna as the forum (browser test)")
    page.fill("#id_text", seed_statement_text())
    page.click("#preview")
    page.wait_for_selector("#resolved-list")
    assert page.locator("#resolved-count").inner_text() == "40 States"
    assert page.locator('#resolved-list li[data-key="EU"]').inner_text().startswith("European Union")
    assert page.locator("#resolved-list li.listed-under").count() == 27
    assert page.locator("#resolved-list li").count() == 41
    assert page.locator("mark.unresolved-name").count() == 0

    page.click("#save")
    page.wait_for_selector("#parties")
    assert page.locator("#state-count").inner_text() == "40 States"
    assert page.locator('ol.nested[data-under="EU"] > li').count() == 27

    # The other window got the new statement over the websocket.
    watcher.wait_for_function(f"document.querySelectorAll('#statement-list > li').length === {before + 1}")
    assert "Vienna as the forum (browser test)" in watcher.locator("#statement-list > li").first.inner_text()
