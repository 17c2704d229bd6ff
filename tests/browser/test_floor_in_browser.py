"""Three people on the floor at once, in a real chromium: the chair, the delegate of Austria and
the delegate of Brazil (and the public screen beside them).

The chair puts a question, Austria objects, the chair's gavel is refused with the engine's
ruling, Austria withdraws, the chair gavels; every screen shows the decision without a
reload. Then a recorded vote: both delegates vote, the chair closes and announces, and every
board shows the result.
"""

from __future__ import annotations

import pytest

from consensio.demo import DEMO_ACCOUNTS
from consensio.floor.demo import FIRST, SECOND

pytestmark = pytest.mark.browser
WAIT = 15_000


def log_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    account = next(a for a in DEMO_ACCOUNTS if a.username == username)
    page.goto(f"{base}/login/")
    page.fill("#id_username", account.username)
    page.fill("#id_password", account.password)
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{base}/")


def open_screen(browser, url: str, username: str | None = None, base: str = ""):  # type: ignore[no-untyped-def]
    page = browser.new_context().new_page()
    if username:
        log_in(page, base, username)
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.live === 'open'", timeout=WAIT)
    page.evaluate("window.__noReload = true")
    return page


def sees(page, region: str, text: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "([id, text]) => { const el = document.getElementById(id); return !!el && el.textContent.includes(text); }",
        arg=[region, text],
        timeout=WAIT,
    )


def press(page, selector: str, *, refused: bool = False) -> str:  # type: ignore[no-untyped-def]
    """Click a control and wait for the answer the page shows (``floor.js`` posts without a reload)."""
    page.evaluate("document.getElementById('floor-message').textContent = ''")
    page.click(selector, timeout=WAIT)
    page.wait_for_function("document.getElementById('floor-message').textContent.trim() !== ''", timeout=WAIT)
    box = page.locator("#floor-message")
    text = box.inner_text()
    assert ("error" in (box.get_attribute("class") or "")) is refused, text
    return text


def test_three_screens_follow_a_consensus_then_a_recorded_vote(demo_server: str, browser) -> None:  # type: ignore[no-untyped-def]
    index = browser.new_context().new_page()
    index.goto(f"{demo_server}/floor/")
    href = index.locator("#floors a").first.get_attribute("href")
    assert href and href.startswith("/floor/")
    meeting = href.strip("/").split("/")[1]
    now, board, decided = f"floor-{meeting}-now", f"floor-{meeting}-board", f"floor-{meeting}-decided"

    chair = open_screen(browser, f"{demo_server}/floor/{meeting}/chair/", "chair", demo_server)
    austria = open_screen(browser, f"{demo_server}/floor/{meeting}/delegate/", "austria", demo_server)
    brazil = open_screen(browser, f"{demo_server}/floor/{meeting}/delegate/", "brazil", demo_server)
    public = open_screen(browser, f"{demo_server}/floor/{meeting}/")
    screens = [chair, austria, brazil, public]
    for page in screens:
        sees(page, now, FIRST)

    press(chair, "#step-put")
    for page in screens:
        sees(page, now, "Is there any objection?")

    press(austria, "#step-object")
    for page in screens:
        sees(page, now, "Objection standing: Austria")

    refusal = press(chair, "#step-gavel", refused=True)
    assert "objection" in refusal.lower(), refusal
    sees(public, now, "Objection standing: Austria")  # nothing was decided

    press(austria, "#step-withdraw-objection")
    for page in screens:
        page.wait_for_function(
            "id => !document.getElementById(id).textContent.includes('Objection standing')",
            arg=now,
            timeout=WAIT,
        )
    press(chair, "#step-gavel")
    for page in screens:
        sees(page, now, "It is so decided.")
        sees(page, decided, FIRST)

    # The recorded vote on the second question.
    chair.wait_for_selector("#step-gavel", state="detached", timeout=WAIT)  # the controls caught up
    chair.wait_for_timeout(300)
    chair.select_option("#take-up-question", label=SECOND)
    press(chair, "#take-up")
    for page in screens:
        sees(page, now, SECOND)
    press(chair, "#step-put")
    sees(austria, now, "Is there any objection?")
    press(austria, "#step-object")
    sees(chair, now, "Objection standing: Austria")
    press(chair, "#step-record-exhausted")
    press(austria, "#step-request-vote")
    press(chair, "#step-open-voting")
    for page in screens:
        sees(page, board, "Voting is open")
    press(austria, "#vote-yes")
    press(brazil, "#vote-no")
    for page in screens:
        sees(page, board, "2 ballots cast")
    assert public.locator(f'#{board} tr[data-member="AUT"].voted').count() == 1
    assert public.locator(f'#{board} tr[data-member="BRA"].voted').count() == 1
    austria.wait_for_selector("#our-vote", timeout=WAIT)
    press(chair, "#step-close-voting")
    for page in screens:
        sees(page, board, "Voting is closed")
    press(chair, "#step-announce")
    for page in screens:
        sees(page, board, "Result announced.")
        assert page.locator(f'#{board} td[data-count="yes"]').inner_text() == "1"
        assert page.locator(f'#{board} td[data-count="no"]').inner_text() == "1"
        sees(page, decided, SECOND)
        assert page.evaluate("window.__noReload === true")  # every screen followed without a reload
