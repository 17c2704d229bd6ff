"""Reading negotiating-text files of any supported format, and turning a rolling text back into
an instrument and proposals (what `consensio text import` stores).

Formats: the bracket notation (UTF-8 text), Akoma Ntoso 3.0 XML, DOCX written in the notation.
The format is recognised from the content (a zip package is DOCX, XML is Akoma Ntoso), not from
the file name alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from .errors import ImportFormatError
from .notation import any_sponsor, parse
from .proposals import CoSponsorship, Proposal, ProposalKind
from .rolling import Block, Plain, RollingText, clean_text
from .status import Status
from .tree import BODY, PREAMBLE, Instrument, Kind


class Format(StrEnum):
    NOTATION = "notation"
    AKN = "akn"
    DOCX = "docx"


def detect(data: bytes, name: str = "") -> Format:
    if data[:4] == b"PK\x03\x04" or name.lower().endswith(".docx"):
        return Format.DOCX
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return Format.AKN
    return Format.NOTATION


def read_text(
    data: bytes, name: str = "", is_known_sponsor: Callable[[str], bool] = any_sponsor
) -> RollingText:
    """Parse a file's bytes in whichever supported format they are."""
    fmt = detect(data, name)
    if fmt is Format.DOCX:
        from .export_docx import import_docx

        return import_docx(data, is_known_sponsor)
    if fmt is Format.AKN:
        from .export_akn import import_akn

        return import_akn(data)
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"not UTF-8 text at byte {exc.start}") from None
    return parse(source, is_known_sponsor)


@dataclass
class Negotiation:
    """An instrument with its live proposals and provision statuses, as imported."""

    instrument: Instrument
    proposals: list[Proposal] = field(default_factory=list)
    statuses: dict[str, Status] = field(default_factory=dict)
    unattributed: list[str] = field(default_factory=list)
    """eIds of provisions with brackets that name no sponsor (imported as plain text)."""


def to_negotiation(text: RollingText, *, at: datetime, id_prefix: str = "P") -> Negotiation:
    """Base text + proposals that compile back to `text`: a sponsored option becomes a proposal
    (insert, replace, or deletion of the base wording), a `new:` provision an added provision,
    a `delete:` provision a deletion; sponsors after the first become co-sponsors in order."""
    result = Negotiation(Instrument(text.title))
    counter = [0]

    def proposal(kind: ProposalKind, provision: str, sponsors: tuple[str, ...], **fields: object) -> None:
        counter[0] += 1
        cos = tuple(
            CoSponsorship(code, at + timedelta(microseconds=k)) for k, code in enumerate(sponsors[1:], 1)
        )
        result.proposals.append(
            Proposal(
                id=f"{id_prefix}{counter[0]:05d}",
                kind=kind,
                provision=provision,
                sponsor=sponsors[0],
                tabled_at=at,
                cosponsors=cos,
                **fields,  # type: ignore[arg-type]
            )
        )

    def words(block: Block) -> None:
        pos = 0
        for seg in block.content:
            if isinstance(seg, Plain):
                pos += len(seg.text)
                continue
            base = [o for o in seg.options if not o.sponsors]
            if len(base) > 1:
                raise ImportFormatError(f"{block.eid}: a bracket with two unattributed wordings")
            if base:
                start, end = pos, pos + len(base[0].text)
                if base[0].deletion:
                    proposal(
                        ProposalKind.DELETE,
                        block.eid,
                        base[0].deletion,
                        start=start,
                        end=end,
                        quoted=base[0].text,
                    )
                if len(seg.options) == 1 and not base[0].deletion and block.eid not in result.unattributed:
                    result.unattributed.append(block.eid)
            else:
                start = end = pos
            for option in seg.options:
                if option.sponsors:
                    kind = ProposalKind.REPLACE if base else ProposalKind.INSERT
                    proposal(
                        kind,
                        block.eid,
                        option.sponsors,
                        start=start,
                        end=end,
                        text=option.text,
                        quoted=base[0].text if base else "",
                    )
            pos = end

    def add(blocks: tuple[Block, ...], parent: str, proposed_parent: tuple[str, ...]) -> None:
        previous = parent
        for block in blocks:
            sponsors = block.proposed_by or proposed_parent
            if sponsors:
                proposal(
                    ProposalKind.ADD_PROVISION,
                    previous,
                    sponsors,
                    text=clean_text(block.content),
                    heading=block.heading,
                    new_eid=block.eid,
                    new_kind=block.kind.value,
                    new_parent=parent,
                )
                add(block.children, block.eid, sponsors)
            else:
                result.instrument.add(
                    block.kind,
                    clean_text(block.content),
                    heading=block.heading,
                    parent=parent,
                    eid=block.eid,
                )
                if block.status is not Status.OPEN:
                    result.statuses[block.eid] = block.status
                if block.deletion_by:
                    proposal(ProposalKind.DELETE_PROVISION, block.eid, block.deletion_by)
                if block.kind not in (Kind.CHAPTER, Kind.ARTICLE):
                    words(block)
                add(block.children, block.eid, ())
            previous = block.eid

    add(text.preamble, PREAMBLE, ())
    add(text.body, BODY, ())
    return result


def import_file(
    data: bytes,
    name: str = "",
    *,
    at: datetime,
    is_known_sponsor: Callable[[str], bool] = any_sponsor,
) -> Negotiation:
    """Any supported file → instrument, proposals and statuses (for `consensio text import`)."""
    return to_negotiation(read_text(data, name, is_known_sponsor), at=at)
