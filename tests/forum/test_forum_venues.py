"""Venues, their sourced figures, and the session planner that compares them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from consensio.forum.actions import ForumRefused, do_save_venue, do_set_venue_figure
from consensio.forum.models import FigureKind, VenueFigure
from consensio.records.models import JournalEntry

pytestmark = pytest.mark.django_db

FIGURES = {
    # kind: (vienna, new york)
    FigureKind.CONFERENCE: (100, 200),
    FigureKind.INTERPRETATION: (1000, 900),
    FigureKind.DOCUMENTATION: (2, 3),
    FigureKind.SUBSISTENCE: (10, 20),
    FigureKind.TRAVEL: (50, 40),
}


@pytest.fixture
def venues(db: None) -> None:
    vienna = do_save_venue(None, key="vic", name="Vienna International Centre", city="Vienna")
    new_york = do_save_venue(None, key="unhq", name="United Nations Headquarters", city="New York")
    geneva = do_save_venue(None, key="palais", name="Palais des Nations", city="Geneva")
    for kind, (v, n) in FIGURES.items():
        do_set_venue_figure(None, vienna, kind=kind, amount=v, source=f"Source V {kind}", as_of=dt.date(2024, 1, 1))
        do_set_venue_figure(None, new_york, kind=kind, amount=n, source=f"Source N {kind}", as_of=dt.date(2024, 1, 1),
                            illustrative=True)
    do_set_venue_figure(None, geneva, kind=FigureKind.CONFERENCE, amount=1, source="G", as_of=dt.date(2024, 1, 1))


def test_the_comparison_adds_up_each_line(venues) -> None:  # type: ignore[no-untyped-def]
    rows = Client().get("/api/venues/compare", {"days": 10, "delegations": 5, "pages": 100}).json()
    by_venue = {r["venue"]: r for r in rows}
    # Vienna: 10×100 + 10×1000 + 100×2 + 10×5×10 + 5×50 = 1000 + 10000 + 200 + 500 + 250
    assert Decimal(by_venue["vic"]["total"]) == Decimal("11950")
    # New York: 2000 + 9000 + 300 + 1000 + 200
    assert Decimal(by_venue["unhq"]["total"]) == Decimal("12500")
    assert [r["venue"] for r in rows] == ["vic", "unhq", "palais"]  # incomplete Geneva last
    assert by_venue["palais"]["complete"] is False and len(by_venue["palais"]["missing"]) == 4
    assert by_venue["unhq"]["illustrative"] is True and by_venue["vic"]["illustrative"] is False
    line = next(x for x in by_venue["vic"]["lines"] if x["kind"] == "subsistence_per_day")
    assert line["quantity"] == 50 and line["source"] == "Source V subsistence_per_day"


def test_the_answer_depends_on_the_inputs_not_on_a_claim(venues) -> None:  # type: ignore[no-untyped-def]
    # Few delegations and no documents: New York's cheaper interpretation wins.
    rows = Client().get("/api/venues/compare", {"days": 10, "delegations": 0, "pages": 0}).json()
    assert rows[0]["venue"] == "unhq"


def test_planner_page_shows_sources(venues, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(2):
        response = Client().get("/venues/plan/", {"days": 10, "delegations": 5, "pages": 100})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lowest estimate with these figures: Vienna (11950.00 USD)." in html
    assert "Source V travel_per_delegation (2024-01-01)" in html
    assert html.index('data-venue="vic"') < html.index('data-venue="unhq"') < html.index('data-venue="palais"')
    assert "illustrative" in html


@pytest.mark.parametrize("params, message", [({"days": 0}, "days"), ({"days": 10, "delegations": -1}, "delegations")])
def test_bad_planner_inputs_are_clear_errors(venues, params, message) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/venues/plan/", params).status_code == 400
    response = Client().get("/api/venues/compare", params)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"].lower()


def test_venue_list(venues, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(2 + 2):  # + 2: the page cache, first anonymous request
        response = Client().get("/venues/")
    assert response.status_code == 200
    assert response.content.decode().count('<tr data-kind="') == 11


def test_the_secretariat_updates_a_figure_with_its_source(venues, persona) -> None:  # type: ignore[no-untyped-def]
    client = persona("secretariat")
    response = client.post("/venues/vic/figures/", {"kind": "subsistence_per_day", "amount": "312.50",
                                                     "source": "ICSC DSA circular, Vienna", "as_of": "2024-06-01"})
    assert response.status_code == 302
    figure = VenueFigure.objects.get(venue__key="vic", kind="subsistence_per_day")
    assert figure.amount == Decimal("312.50") and figure.as_of == dt.date(2024, 6, 1)
    assert JournalEntry.objects.filter(kind="forum.venue.figure").last().payload["source"] == "ICSC DSA circular, Vienna"


@pytest.mark.parametrize("who", ["austria", "observer"])
def test_only_the_secretariat_maintains_figures(venues, persona, who) -> None:  # type: ignore[no-untyped-def]
    response = persona(who).post("/venues/vic/figures/", {"kind": "subsistence_per_day", "amount": "1",
                                                          "source": "x", "as_of": "2024-06-01"})
    assert response.status_code == 403
    assert VenueFigure.objects.get(venue__key="vic", kind="subsistence_per_day").amount == Decimal(10)


def test_a_figure_without_a_source_is_refused(venues) -> None:  # type: ignore[no-untyped-def]
    from consensio.forum.models import Venue

    with pytest.raises(ForumRefused, match="Source: say where the figure comes from"):
        do_set_venue_figure(None, Venue.objects.get(key="vic"), kind="travel_per_delegation", amount=1, source=" ",
                            as_of=dt.date(2024, 1, 1))
