"""The States, group and statement pages, through HTTP, as each persona sees them."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from consensio.actors.models import Actor, Statement, StatementParty

pytestmark = pytest.mark.django_db


def test_reference_data_is_loaded_by_the_migration() -> None:
    assert Actor.objects.filter(un_member=True).count() == 193
    assert set(Actor.objects.filter(observer=True).values_list("key", flat=True)) == {"VAT", "PSE", "EU"}
    assert Actor.objects.filter(eu_member=True).count() == 27
    assert not Actor.objects.filter(observer=True, can_vote=True).exists()


def test_states_page_lists_members_by_regional_group(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with django_assert_num_queries(2 + 2):  # + 2: the page cache, first anonymous request
        response = client.get("/states/")
    assert response.status_code == 200
    html = response.content.decode()
    counts = dict(re.findall(r'<section class="region" id="rg-(\w+)">.*?data-count="(\d+)"', html, re.S))
    # Türkiye is counted with WEOG (its group for electoral purposes), the United States too.
    assert counts == {"AG": "54", "APG": "53", "EEG": "23", "GRULAC": "33", "WEOG": "29"}
    assert "African Group" in html
    assert "Kiribati" in html  # in no regional group, listed apart
    assert "193 Member States of the United Nations, by regional group." in html


def test_state_page_shows_its_groups_and_statements(persona, seed_text: str) -> None:  # type: ignore[no-untyped-def]
    from consensio.actors.actions import do_save_statement

    do_save_statement(None, title="Vienna forum", text=seed_text)
    response = Client().get("/states/aut/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Austria</h1>" in html
    assert "AUT" in html
    assert "Vienna forum" in html
    assert "Western European and Others" in html


def test_unknown_state_is_a_404_page_not_a_traceback() -> None:
    response = Client().get("/states/XYZ/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content


def test_statement_page_nests_the_eu_member_states(seed_text: str, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from consensio.actors.actions import do_save_statement

    statement = do_save_statement(None, title="Vienna forum", text=seed_text)
    with django_assert_num_queries(2 + 2):  # + 2: the page cache, first anonymous request
        response = Client().get(f"/statements/{statement.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "40 States" in html
    nested = re.search(r'<ol class="nested" data-under="EU">(.*?)</ol>', html, re.S)
    assert nested is not None
    assert nested.group(1).count("<li") == 27
    assert "Luxembourg" in nested.group(1)


class TestRecordingAStatement:
    url = "/statements/new/"

    def test_the_public_is_sent_to_log_in(self) -> None:
        response = Client().get(self.url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")

    @pytest.mark.parametrize("who", ["austria", "observer", "chair"])
    def test_only_the_secretariat_may_record(self, persona, who: str, seed_text: str) -> None:  # type: ignore[no-untyped-def]
        client = persona(who)
        assert client.get(self.url).status_code == 403
        response = client.post(self.url, {"title": "x", "text": seed_text, "action": "save"})
        assert response.status_code == 403
        assert Statement.objects.count() == 0

    def test_preview_shows_40_states_and_the_eu_without_saving(self, persona, seed_text: str) -> None:  # type: ignore[no-untyped-def]
        client = persona("secretariat")
        response = client.post(self.url, {"title": "Vienna", "text": seed_text, "action": "preview"})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="resolved-count">40 States<' in html
        assert 'data-key="EU"' in html
        assert html.count("listed-under") == 27
        assert "Names not recognised" not in html
        assert Statement.objects.count() == 0

    def test_save_stores_the_ordered_parties(self, persona, seed_text: str) -> None:  # type: ignore[no-untyped-def]
        client = persona("secretariat")
        response = client.post(self.url, {"title": "Vienna", "text": seed_text, "action": "save"})
        assert response.status_code == 302
        statement = Statement.objects.get()
        parties = list(statement.parties.order_by("position").select_related("actor", "listed_under"))
        assert [p.actor.key for p in parties[:5]] == ["ALB", "AUS", "CHL", "DOM", "EU"]
        assert sum(1 for p in parties if p.listed_under and p.listed_under.key == "EU") == 27
        assert parties[-1].actor.key == "USA"
        assert len(parties) == 41

    def test_an_unresolved_name_blocks_the_save_until_picked(self, persona) -> None:  # type: ignore[no-untyped-def]
        client = persona("secretariat")
        text = "Statement on behalf of Austria, Brazill and Japan."
        response = client.post(self.url, {"title": "T", "text": text, "action": "save"})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Brazill" in html and "pick one of the candidates" in html
        assert '<mark class="unresolved-name">Brazill</mark>' in html
        assert Statement.objects.count() == 0 and StatementParty.objects.count() == 0
        start = text.index("Brazill")
        response = client.post(self.url, {"title": "T", "text": text, "action": "save", f"pick-{start}": "BRA"})
        assert response.status_code == 302
        keys = list(Statement.objects.get().parties.order_by("position").values_list("actor__key", flat=True))
        assert keys == ["AUT", "BRA", "JPN"]

    def test_leaving_a_name_out_is_an_explicit_choice(self, persona) -> None:  # type: ignore[no-untyped-def]
        client = persona("secretariat")
        text = "Statement on behalf of Austria, Holland and Japan."
        start = text.index("Holland")
        response = client.post(self.url, {"title": "T", "text": text, "action": "save",
                                          f"pick-{start}": "__leave_out__"})
        assert response.status_code == 302
        keys = list(Statement.objects.get().parties.values_list("actor__key", flat=True))
        assert keys == ["AUT", "JPN"]

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"title": "T", "text": "   "}, "Paste the statement"),
            ({"title": "T", "text": "We thank the Chair for her work."}, "on behalf of"),
            ({"title": "", "text": "On behalf of Austria"}, "This field is required"),
        ],
    )
    def test_bad_input_is_a_form_error(self, persona, data: dict[str, str], message: str) -> None:  # type: ignore[no-untyped-def]
        client = persona("secretariat")
        response = client.post(self.url, {**data, "action": "save"})
        assert response.status_code == 400
        assert message in response.content.decode()
        assert Statement.objects.count() == 0

    def test_binary_upload_is_refused(self, persona) -> None:  # type: ignore[no-untyped-def]
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = persona("secretariat")
        upload = SimpleUploadedFile("s.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "text/plain")
        response = client.post(self.url, {"title": "T", "upload": upload, "action": "save"})
        assert response.status_code == 400
        assert Statement.objects.count() == 0

    def test_a_file_over_one_megabyte_is_refused(self, persona) -> None:  # type: ignore[no-untyped-def]
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = persona("secretariat")
        upload = SimpleUploadedFile("s.txt", b"On behalf of Austria. " + b"x" * 1_100_000, "text/plain")
        response = client.post(self.url, {"title": "T", "upload": upload, "action": "save"})
        assert response.status_code == 400
        assert "at most 1,000,000 bytes" in response.content.decode()
        assert Statement.objects.count() == 0

    def test_uploaded_utf16_file_is_read(self, persona, seed_text: str) -> None:  # type: ignore[no-untyped-def]
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = persona("secretariat")
        upload = SimpleUploadedFile("s.txt", seed_text.encode("utf-16"), "text/plain")
        response = client.post(self.url, {"title": "T", "upload": upload, "action": "save"})
        assert response.status_code == 302
        assert Statement.objects.get().parties.count() == 41


def test_login_is_rate_limited(make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("austria", "delegate", "AUT")
    client = Client()
    for _ in range(5):
        assert client.post("/login/", {"username": "austria", "password": "wrong"}).status_code == 400
    response = client.post("/login/", {"username": "austria", "password": "a-long-test-password-17"})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_language_switch_refuses_unknown_codes() -> None:
    response = Client().post("/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 400
    assert "Unknown language code" in response.content.decode()


def test_arabic_pages_are_right_to_left() -> None:
    client = Client()
    client.post("/language/", {"language": "ar", "next": "/"})
    html = client.get("/states/").content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
