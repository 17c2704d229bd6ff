"""The interface in the six UN languages: the language switch, the catalogues, dates and numbers.

English is the source language; Arabic, Chinese, French, Russian and Spanish come from the
catalogues in src/consensio/locale, regenerated and compiled by scripts/messages. The compiled .mo
files are committed, so these tests read them without GNU gettext installed.
"""

from __future__ import annotations

import ast
import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

import consensio

LOCALE = Path(consensio.__file__).parent / "locale"
STATIC = Path(consensio.__file__).parent / "static" / "consensio"

# language code (as the switch posts it) -> catalogue directory, text direction, strings that must
# appear translated on the home page and on the States page (193 Member States picks the plural form
# for 193: Arabic form 4, Russian "few").
LANGUAGES = {
    "ar": ("ar", "rtl", ["التفاوض بتوافق الآراء", "الدول والمجموعات", "تسجيل الدخول"],
           ["193 دولة عضوًا في الأمم المتحدة", "حسب المجموعة الإقليمية", "المراقبون"]),
    "zh-hans": ("zh_Hans", "ltr", ["以协商一致方式谈判", "国家和集团", "登录"],
                ["193 个联合国会员国", "按区域组分列", "观察员"]),
    "fr": ("fr", "ltr", ["Négocier par consensus", "États et groupes", "Se connecter"],
           ["193 États Membres de", "par groupe régional", "Observateurs"]),
    "ru": ("ru", "ltr", ["Переговоры на основе консенсуса", "Государства и группы", "Войти"],
           ["193 государства — члена Организации Объединенных Наций", "по региональным группам", "Наблюдатели"]),
    "es": ("es", "ltr", ["Negociar por consenso", "Estados y grupos", "Iniciar sesión"],
           ["193 Estados Miembros de las Naciones Unidas", "por grupo regional", "Observadores"]),
}


def _switch(client: Client, code: str, next_url: str) -> None:
    response = client.post("/language/", {"language": code, "next": next_url})
    assert response.status_code == 302, response.content[:300]
    assert response["Location"] == next_url


def _html_attrs(html: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="(ltr|rtl)">', html)
    assert match, html[:300]
    return match.group(1), match.group(2)


@pytest.mark.django_db
@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_language_switch_translates_the_home_and_states_pages(code: str) -> None:
    _, direction, home_strings, states_strings = LANGUAGES[code]
    client = Client()
    _switch(client, code, "/")

    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert _html_attrs(html) == (code, direction)
    for text in home_strings:
        assert text in html, f"{code}: {text!r} missing on the home page"
    assert "Negotiating by consensus" not in html
    # The switch itself stays usable: the current language is the selected option.
    assert f'<option value="{code}" selected>' in html

    states = client.get("/states/")
    assert states.status_code == 200
    html = states.content.decode()
    assert _html_attrs(html) == (code, direction)
    for text in states_strings:
        assert text in html, f"{code}: {text!r} missing on the States page"
    assert "Member States of the United Nations" not in html


@pytest.mark.django_db
def test_english_is_served_without_a_choice_and_after_switching_back() -> None:
    client = Client()
    html = client.get("/states/").content.decode()
    assert _html_attrs(html) == ("en", "ltr")
    assert "193 Member States of the United Nations" in html

    _switch(client, "ar", "/states/")
    assert "193 Member States" not in client.get("/states/").content.decode()
    _switch(client, "en", "/states/")
    html = client.get("/states/").content.decode()
    assert _html_attrs(html) == ("en", "ltr")
    assert "193 Member States of the United Nations" in html


@pytest.mark.django_db
def test_an_unknown_language_is_refused_with_a_message() -> None:
    response = Client().post("/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 400
    assert "Unknown language code: xx" in response.content.decode()


@pytest.mark.django_db
def test_the_error_page_is_translated() -> None:
    client = Client()
    _switch(client, "fr", "/")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Il n&#x27;y a pas de page à cette adresse." in html or "Il n'y a pas de page à cette adresse." in html
    assert "Retour à la page d&#x27;accueil" in html or "Retour à la page d'accueil" in html


# --- The catalogues -----------------------------------------------------------------------------


def _unquote(literal: str) -> str:
    value = ast.literal_eval(literal)
    assert isinstance(value, str)
    return value


def read_po(path: Path) -> list[dict[str, object]]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list), fuzzy, flags."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, object] = {"msgstr": [], "flags": set()}
        field = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] = {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#~"):
                field = ""  # obsolete entries are not compiled
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and field:
                if field == "msgstr":
                    msgstr = entry["msgstr"]
                    assert isinstance(msgstr, list)
                    msgstr[-1] += _unquote(line)
                else:
                    entry[field] = str(entry[field]) + _unquote(line)
            else:
                keyword, _, literal = line.partition(" ")
                if keyword.startswith("msgstr"):
                    field = "msgstr"
                    msgstr = entry["msgstr"]
                    assert isinstance(msgstr, list)
                    msgstr.append(_unquote(literal))
                elif keyword in ("msgctxt", "msgid", "msgid_plural"):
                    field = keyword
                    entry[field] = _unquote(literal)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def compiled(entry: dict[str, object]) -> bool:
    """What msgfmt (and so Django) uses: translated and not fuzzy."""
    msgstr = entry["msgstr"]
    assert isinstance(msgstr, list)
    flags = entry["flags"]
    assert isinstance(flags, set)
    return entry["msgid"] != "" and all(msgstr) and "fuzzy" not in flags


def _nplurals(entries: list[dict[str, object]]) -> int:
    header = entries[0]
    assert header["msgid"] == ""
    msgstr = header["msgstr"]
    assert isinstance(msgstr, list)
    match = re.search(r"nplurals=(\d+);", msgstr[0])
    assert match, "the header has no Plural-Forms"
    return int(match.group(1))


PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_compiled_catalogue_matches_the_po_file(code: str) -> None:
    directory = LANGUAGES[code][0]
    po = LOCALE / directory / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run scripts/messages"
    entries = read_po(po)
    expected: dict[object, str] = {}
    for entry in entries:
        if not compiled(entry):
            continue
        msgid = str(entry["msgid"])
        key = f"{entry['msgctxt']}\x04{msgid}" if "msgctxt" in entry else msgid
        msgstr = entry["msgstr"]
        assert isinstance(msgstr, list)
        if "msgid_plural" in entry:
            expected.update({(key, i): form for i, form in enumerate(msgstr)})
        else:
            expected[key] = msgstr[0]
    with mo.open("rb") as f:
        catalogue = dict(gettext.GNUTranslations(f)._catalog)  # type: ignore[attr-defined]
    catalogue.pop("", None)
    assert catalogue == expected, f"{mo.name} of {directory} is stale: run scripts/messages"


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_translations_keep_placeholders_and_plural_forms(code: str) -> None:
    entries = read_po(LOCALE / LANGUAGES[code][0] / "LC_MESSAGES" / "django.po")
    nplurals = _nplurals(entries)
    for entry in entries:
        if not compiled(entry):
            continue
        msgid, msgstr = str(entry["msgid"]), entry["msgstr"]
        assert isinstance(msgstr, list)
        if "msgid_plural" in entry:
            assert len(msgstr) == nplurals, f"{code} {msgid!r}: {len(msgstr)} plural forms, not {nplurals}"
            allowed = set(PLACEHOLDER.findall(str(entry["msgid_plural"])))
            for form in msgstr:
                # A form may leave the count out ("دولتان", two States), but nothing else.
                assert set(PLACEHOLDER.findall(form)) <= allowed, (code, msgid, form)
                assert allowed - {"n"} <= set(PLACEHOLDER.findall(form)), (code, msgid, form)
        else:
            assert sorted(PLACEHOLDER.findall(msgstr[0])) == sorted(PLACEHOLDER.findall(msgid)), (code, msgid)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_asserted_strings_are_translated_and_not_fuzzy(code: str) -> None:
    entries = {str(e["msgid"]): e for e in read_po(LOCALE / LANGUAGES[code][0] / "LC_MESSAGES" / "django.po")}
    for msgid in ["Negotiating by consensus", "States and groups", "Log in", "Observers",
                  "%(n)s Member State of the United Nations, by regional group.", "Member States", "On behalf of",
                  "Gavel: it is so decided", "There is no page at this address."]:
        assert msgid in entries, f"{msgid!r} is not in the {code} catalogue"
        assert compiled(entries[msgid]), f"{code}: {msgid!r} is untranslated or fuzzy"


# --- Dates and numbers --------------------------------------------------------------------------

DATE_AND_NUMBERS = Template('{% load humanize %}{{ d|date:"DATE_FORMAT" }}|{{ n|intcomma }}|{{ n }}|{{ x }}')


@pytest.mark.parametrize(("code", "expected"), [
    ("en", "Nov. 5, 2026|1,234,567|1234567|0.5"),
    ("fr", "5 novembre 2026|1\xa0234\xa0567|1234567|0,5"),
    ("ru", "5 ноября 2026 г.|1\xa0234\xa0567|1234567|0,5"),
    ("es", "5 de noviembre de 2026|1\xa0234\xa0567|1234567|0,5"),
    ("zh-hans", "2026年11月5日|1234567|1234567|0.5"),
    ("ar", "5 نوفمبر، 2026|1234567|1234567|0,5"),
])
def test_dates_and_numbers_follow_the_language_but_plain_numbers_stay_machine_readable(
        code: str, expected: str) -> None:
    # A bare {{ n }} is not grouped: ids, data-* attributes, form values and URLs print numbers so.
    with translation.override(code):
        rendered = DATE_AND_NUMBERS.render(Context({"d": datetime.date(2026, 11, 5), "n": 1234567, "x": 0.5}))
    assert rendered == expected


# --- Right to left ------------------------------------------------------------------------------


def test_the_stylesheet_uses_logical_properties_only() -> None:
    """A physical left/right would not mirror in Arabic; inline-start/end does."""
    css = (STATIC / "consensio.css").read_text(encoding="utf-8")
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)|(?:text-align|float|clear)\s*:\s*(?:left|right)"
                          r"|(?<![-\w])(?:left|right)\s*:", css)
    assert physical == []
