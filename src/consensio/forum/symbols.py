"""The grammar of United Nations document symbols, such as ``A/AC.291/22/Rev.1``.

A symbol is read as slash-separated components:

    series / body... / number [/ modifier]...

- *series*: the parent organ's letter(s): ``A`` (General Assembly), ``E``, ``S``, ``ST``...
- *body*: one or more components naming the subsidiary body or the session, such as
  ``AC.291`` (an ad hoc committee), ``C.3``, ``CONF.234``, ``RES`` or a session number (``74``);
- *number*: the document's number in the body's series, either plain (``22``) or in a special
  series: ``L.15`` (limited distribution), ``CRP.1`` (conference room paper), ``WP.2`` (working
  paper), ``INF.1`` (information series), ``Misc.3``;
- *modifiers*, in any of the forms ``Rev.n`` (revision), ``Add.n`` (addendum), ``Corr.n``
  (corrigendum), ``Amend.n`` (amendment), each at most once.

Plain Python: no Django import, so the grammar can be tested and reused on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPECIAL_SERIES = {"L": "L", "CRP": "CRP", "WP": "WP", "INF": "INF", "MISC": "Misc"}
MODIFIERS = {"REV": "Rev", "ADD": "Add", "CORR": "Corr", "AMEND": "Amend"}

_SERIES = re.compile(r"[A-Z]{1,6}")
_BODY = re.compile(r"(?:[A-Z]{1,12}(?:\.\d{1,5})?|\d{1,5})")
_DOTTED = re.compile(r"([A-Za-z]+)\.(\d{1,5})")
MAX_LENGTH = 80


class SymbolError(ValueError):
    """A malformed symbol; the message names the component and says what was expected."""


@dataclass(frozen=True)
class Symbol:
    series: str
    body: tuple[str, ...]
    number: int
    special: str | None = None
    revision: int | None = None
    addendum: int | None = None
    corrigendum: int | None = None
    amendment: int | None = None
    modifier_order: tuple[str, ...] = ()

    @property
    def number_part(self) -> str:
        return f"{self.special}.{self.number}" if self.special else str(self.number)

    @property
    def base(self) -> str:
        """The symbol without revision, addendum or corrigendum: the document family."""
        return "/".join((self.series, *self.body, self.number_part))

    @property
    def body_code(self) -> str:
        """Series and body, e.g. ``A/AC.291``: what a negotiating body's documents share."""
        return "/".join((self.series, *self.body))

    def __str__(self) -> str:
        values = {"Rev": self.revision, "Add": self.addendum, "Corr": self.corrigendum, "Amend": self.amendment}
        mods = [f"{m}.{values[m]}" for m in self.modifier_order]
        return "/".join((self.base, *mods))


def parse_symbol(text: str) -> Symbol:
    """Parse and normalise a symbol, or raise SymbolError naming what is wrong."""
    raw = (text or "").strip()
    if not raw:
        raise SymbolError("The symbol is empty; give one such as A/AC.291/22.")
    if len(raw) > MAX_LENGTH:
        raise SymbolError(f"The symbol is {len(raw)} characters long; at most {MAX_LENGTH} are allowed.")
    if re.search(r"\s", raw):
        raise SymbolError(f"The symbol {raw!r} contains a space; components are separated by '/' only.")
    parts = raw.split("/")
    for i, part in enumerate(parts, start=1):
        if not part:
            raise SymbolError(f"Component {i} of {raw!r} is empty (two slashes in a row, or a slash at an end).")
    if len(parts) < 3:
        raise SymbolError(
            f"{raw!r} has {len(parts)} component(s); a symbol needs at least a series, a body and a number, "
            "as A/AC.291/22."
        )

    series = parts[0].upper()
    if not _SERIES.fullmatch(series):
        raise SymbolError(f"The series {parts[0]!r} must be one to six letters, such as A, E or ST.")

    # Modifiers are read from the end: Rev.n, Add.n, Corr.n, Amend.n.
    modifiers: dict[str, int] = {}
    order: list[str] = []
    rest = parts[1:]
    while rest:
        last = rest[-1]
        head = re.match(r"[A-Za-z]+", last)
        name = head.group(0).upper() if head else ""
        if name not in MODIFIERS:
            break
        canonical = MODIFIERS[name]
        found = _DOTTED.fullmatch(last)
        if not found or int(found.group(2)) < 1:
            raise SymbolError(f"{last!r} in {raw!r}: a {canonical} needs a number from 1, as {canonical}.1.")
        if canonical in modifiers:
            raise SymbolError(f"{raw!r} has {canonical} twice.")
        modifiers[canonical] = int(found.group(2))
        order.insert(0, canonical)
        rest = rest[:-1]
    if len(rest) < 2:
        raise SymbolError(f"{raw!r} lacks a body or a number before its modifiers, as A/AC.291/22/Rev.1.")

    number_text = rest[-1]
    special: str | None = None
    if number_text.isdigit():
        number = int(number_text)
    else:
        found = _DOTTED.fullmatch(number_text)
        if not found or found.group(1).upper() not in SPECIAL_SERIES:
            raise SymbolError(
                f"The document number {number_text!r} in {raw!r} is not a number, nor a special series "
                f"({', '.join(f'{s}.n' for s in SPECIAL_SERIES.values())}), nor a modifier (Rev.n, Add.n, Corr.n)."
            )
        special = SPECIAL_SERIES[found.group(1).upper()]
        number = int(found.group(2))
    if number < 1:
        raise SymbolError(f"The document number in {raw!r} must be 1 or more.")

    body = tuple(p.upper() for p in rest[:-1])
    for part in body:
        if not _BODY.fullmatch(part):
            raise SymbolError(
                f"The body component {part!r} in {raw!r} is not of the form AC.291, C.3, RES or a session number."
            )
    return Symbol(
        series=series, body=body, number=number, special=special,
        revision=modifiers.get("Rev"), addendum=modifiers.get("Add"), corrigendum=modifiers.get("Corr"),
        amendment=modifiers.get("Amend"), modifier_order=tuple(order),
    )
