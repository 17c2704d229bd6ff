"""The page cache (consensio.core.pagecache): public pages for readers who are not logged in are
kept and served again until the journal moves, and nothing else is ever served from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from consensio.core import pagecache

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, **headers: str) -> Any:
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def test_a_second_anonymous_request_is_served_from_the_cache_with_one_query(
    forum: Any, django_assert_num_queries: Any
) -> None:
    client = Client()
    first = get(client, "/documents/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(1):  # the journal's last entry number, nothing else
        second = get(client, "/documents/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # The headers the middleware below the cache set on the first response come back with it.
    assert second["Content-Language"] == "en" and "Accept-Language" in second["Vary"]
    assert second["X-Frame-Options"] == "DENY"


def test_an_action_makes_the_next_request_render_afresh(forum: Any, docx_for_cache: bytes) -> None:
    from consensio.forum.actions import do_issue_document

    client = Client()
    assert b"A/AC.291/23" not in get(client, "/documents/").content
    assert get(client, "/documents/")["X-Page-Cache"] == "hit"
    do_issue_document(None, symbol="A/AC.291/23", title="Revised draft", doc_type="draft_text",
                      distribution="general", language="en", filename="t.docx", data=docx_for_cache,
                      body=forum.body)
    after = get(client, "/documents/")
    assert after["X-Page-Cache"] == "miss"
    assert b"A/AC.291/23" in after.content


@pytest.fixture
def docx_for_cache(make_docx: Any) -> bytes:
    return bytes(make_docx("A revised draft of the convention."))


def test_logged_in_readers_never_get_or_fill_the_cache(forum: Any, persona: Any) -> None:
    secretariat = persona("secretariat")
    page = f"/documents/{forum.restricted.pk}/"
    mine = secretariat.get(page)
    assert mine.status_code == 200 and "X-Page-Cache" not in mine
    assert b"Zanzibar" in mine.content
    assert len(pagecache.cache()) == 0
    # The public then asks for the same address: the restricted document stays restricted.
    theirs = Client().get(page)
    assert theirs.status_code == 404 and b"Zanzibar" not in theirs.content
    listing = get(Client(), "/documents/")
    assert b"Zanzibar" not in listing.content
    assert b"Zanzibar" in secretariat.get("/documents/").content


def test_the_list_cached_for_the_public_is_not_shown_to_a_delegate(forum: Any, persona: Any) -> None:
    austria = persona("austria")  # the account first: creating it moves the journal
    public = get(Client(), "/documents/")
    assert b"L.15" not in public.content
    assert get(Client(), "/documents/")["X-Page-Cache"] == "hit"
    delegate = austria.get("/documents/")
    assert "X-Page-Cache" not in delegate and b"L.15" in delegate.content


def test_each_language_has_its_own_entry(forum: Any) -> None:
    english = get(Client(), "/bodies/", HTTP_ACCEPT_LANGUAGE="en")
    french = get(Client(), "/bodies/", HTTP_ACCEPT_LANGUAGE="fr")
    assert french["X-Page-Cache"] == "miss" and french["Content-Language"] == "fr"
    assert english.content != french.content
    cookie = Client()
    cookie.cookies["django_language"] = "ar"
    arabic = get(cookie, "/bodies/")
    assert arabic["Content-Language"] == "ar" and b'dir="rtl"' in arabic.content
    assert get(Client(), "/bodies/", HTTP_ACCEPT_LANGUAGE="fr")["X-Page-Cache"] == "hit"


def test_pages_carry_no_csrf_token_and_set_no_cookie_for_the_public(forum: Any) -> None:
    response = get(Client(), "/documents/")
    assert b"csrfmiddlewaretoken" not in response.content
    assert not response.cookies
    assert pagecache.CSRF_PLACEHOLDER.encode() not in response.content


def test_a_page_with_a_posting_form_is_never_stored_and_gets_the_readers_token(rf: Any) -> None:
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string("<form method=post>{% csrf_token %}</form>")

    @pagecache.cached_page
    def view(request: Any) -> HttpResponse:
        return HttpResponse(template.render({}, request))

    middleware = pagecache.PageCacheMiddleware(view)
    request = rf.get("/with-form/")
    response = middleware(request)
    body = response.content.decode()
    assert pagecache.CSRF_PLACEHOLDER not in body
    assert 'name="csrfmiddlewaretoken" value="' in body
    assert "X-Page-Cache" not in response and len(pagecache.cache()) == 0


def test_the_floor_screen_gets_the_servers_clock_at_each_request(forum: Any) -> None:
    from consensio.floor.models import Floor

    meeting = forum.session.meetings.order_by("pk").first()
    Floor.objects.get_or_create(meeting=meeting)
    first = get(Client(), f"/floor/{meeting.pk}/").content.decode()
    second = Client().get(f"/floor/{meeting.pk}/")
    assert second["X-Page-Cache"] == "hit"
    assert pagecache.NOW_PLACEHOLDER not in first and pagecache.NOW_PLACEHOLDER not in second.content.decode()

    def clock(html: str) -> dt.datetime:
        return dt.datetime.fromisoformat(html.split('data-server-now="', 1)[1].split('"', 1)[0])

    assert clock(second.content.decode()) > clock(first)


def test_an_entry_does_not_outlive_a_clock_that_says_the_page_changes(forum: Any, settings: Any) -> None:
    client = Client()
    get(client, "/bodies/")
    assert get(client, "/bodies/")["X-Page-Cache"] == "hit"
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(microseconds=1)

    def ends_now(now: dt.datetime) -> dt.datetime:
        return soon

    pagecache.changes_at(ends_now)
    try:
        pagecache.clear()
        get(client, "/bodies/")  # stored with a lifetime that ends at `soon`
        assert get(client, "/bodies/")["X-Page-Cache"] == "miss"
    finally:
        pagecache._clocks.remove(ends_now)


def test_silence_procedures_register_their_deadline_as_a_clock() -> None:
    from consensio.decisions.apps import next_silence_deadline

    assert next_silence_deadline in pagecache._clocks


def test_turned_off_with_zero_seconds(forum: Any, settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    get(Client(), "/documents/")
    response = get(Client(), "/documents/")
    assert "X-Page-Cache" not in response and len(pagecache.cache()) == 0


def test_a_session_or_messages_cookie_bypasses_the_cache(forum: Any) -> None:
    get(Client(), "/bodies/")
    for name in ("sessionid", "messages"):
        client = Client()
        client.cookies[name] = "x"
        assert "X-Page-Cache" not in get(client, "/bodies/")


def test_the_cache_is_bounded_by_bytes_and_drops_the_least_recent() -> None:
    store = pagecache.PageCache(max_bytes=400)

    def entry(size: int) -> pagecache.Entry:
        return pagecache.Entry(version=1, expires=1e18, status=200, body=b"x" * size, headers=(), has_now=False)

    store.put(("a",), entry(100))
    store.put(("b",), entry(100))
    store.put(("c",), entry(100))
    assert store.get(("a",)) is not None  # now the most recent
    store.put(("d",), entry(100))
    store.put(("e",), entry(100))
    assert store.get(("b",)) is None and store.get(("a",)) is not None
    store.put(("huge",), entry(101))  # over a quarter of the budget: not kept
    assert store.get(("huge",)) is None


class TestLanguageSwitch:
    def test_get_sets_the_cookie_and_goes_back(self) -> None:
        response = Client().get("/language/", {"language": "fr", "next": "/bodies/"})
        assert response.status_code == 302 and response["Location"] == "/bodies/"
        assert response.cookies["django_language"].value == "fr"

    def test_an_outside_address_is_not_followed(self) -> None:
        response = Client().get("/language/", {"language": "fr", "next": "https://example.org/"})
        assert response.status_code == 302 and response["Location"] == "/"

    def test_an_unknown_code_is_refused(self) -> None:
        response = Client().get("/language/", {"language": "xx", "next": "/"})
        assert response.status_code == 400 and b"xx" in response.content
        assert "django_language" not in response.cookies
