"""HTML rendering of the rolling text: escaped, semantic markup that a page or a template embeds.

Provisions are `<section>`s (chapters, articles) and `<p>`s with `id` = eId; a bracket is
`<span class="bracket" data-sponsors="EU JPN">` with its square brackets visible, each option a
`<span class="option" data-sponsors="...">` labelled "Alt 1", "Alt 2" when there are several;
attributions are `<sup class="sponsors">`. Status classes: `status-agreed_ad_ref` and the like.
The class names follow the bracket notation (docs/bracket-notation.md), so CSS can mirror it.
"""

from __future__ import annotations

from html import escape

from .rolling import Block, Bracket, Plain, RollingText, Segment
from .status import Status
from .tree import Kind

_STATUS_LABEL = {
    Status.INFORMALLY_AGREED: "agreed informally",
    Status.AGREED_AD_REF: "agreed ad ref",
    Status.ADOPTED: "adopted",
    Status.DELETED: "deleted",
}


def _codes(codes: tuple[str, ...]) -> str:
    return escape(" ".join(codes))


def segments_html(segments: tuple[Segment, ...]) -> str:
    out = []
    for seg in segments:
        if isinstance(seg, Plain):
            out.append(escape(seg.text))
            continue
        out.append(_bracket(seg))
    return "".join(out)


def _bracket(bracket: Bracket) -> str:
    many = len(bracket.options) > 1
    parts = []
    for n, option in enumerate(bracket.options, 1):
        label = f'<span class="alt">Alt {n}:</span> ' if many else ""
        sup = ""
        if option.sponsors:
            sup = f'<sup class="sponsors">{escape(", ".join(option.sponsors))}</sup>'
        elif option.deletion:
            sup = f'<sup class="sponsors deletion">delete: {escape(", ".join(option.deletion))}</sup>'
        kind = "option" if option.sponsors else "option base"
        codes = option.sponsors or option.deletion
        parts.append(
            f'<span class="{kind}" data-sponsors="{_codes(codes)}">{label}[{escape(option.text)}]{sup}</span>'
        )
    joiner = ' <span class="or">|</span> ' if many else ""
    inner = joiner.join(parts)
    if many:
        inner = f"[{inner}]"
    return f'<span class="bracket" data-sponsors="{_codes(bracket.sponsors)}">{inner}</span>'


def _classes(block: Block) -> str:
    classes = [block.kind.value]
    if block.status is not Status.OPEN:
        classes.append(f"status-{block.status.value}")
    if block.proposed_by:
        classes.append("proposed")
    if block.deletion_by:
        classes.append("proposed-deletion")
    return " ".join(classes)


def _marks(block: Block) -> str:
    marks = []
    if block.status in _STATUS_LABEL:
        marks.append(f'<span class="status">[{_STATUS_LABEL[block.status]}]</span>')
    if block.proposed_by:
        marks.append(f'<sup class="sponsors proposed">new: {escape(", ".join(block.proposed_by))}</sup>')
    if block.deletion_by:
        marks.append(f'<sup class="sponsors deletion">delete: {escape(", ".join(block.deletion_by))}</sup>')
    return " ".join(marks)


def _block(block: Block, out: list[str]) -> None:
    attrs = f'id="{escape(block.eid)}" class="{_classes(block)}"'
    marks = _marks(block)
    if block.kind in (Kind.CHAPTER, Kind.ARTICLE):
        word = "Chapter" if block.kind is Kind.CHAPTER else "Article"
        level = 2 if block.kind is Kind.CHAPTER else 3
        heading = f"{word} {escape(block.num)}"
        if block.heading:
            heading += f' <span class="heading">{escape(block.heading)}</span>'
        out.append(f"<section {attrs}><h{level}>{heading}{' ' + marks if marks else ''}</h{level}>")
        for child in block.children:
            _block(child, out)
        out.append("</section>")
        return
    num = ""
    if block.num and block.kind is not Kind.PREAMBLE_PARAGRAPH:
        shown = f"({block.num})" if block.kind is Kind.SUBPARAGRAPH else f"{block.num}."
        num = f'<span class="num">{escape(shown)}</span> '
    text = segments_html(block.content)
    out.append(f"<p {attrs}>{num}{marks + ' ' if marks else ''}{text}</p>")
    if block.children:
        out.append('<div class="subparagraphs">')
        for child in block.children:
            _block(child, out)
        out.append("</div>")


def render_html(text: RollingText, *, standalone: bool = False) -> str:
    """An `<article class="instrument">` fragment, or a whole page with `standalone=True`."""
    out = ['<article class="instrument">']
    if text.title:
        out.append(f"<h1>{escape(text.title)}</h1>")
    if text.preamble:
        out.append('<section class="preamble">')
        for block in text.preamble:
            _block(block, out)
        out.append("</section>")
    for block in text.body:
        _block(block, out)
    out.append("</article>")
    fragment = "\n".join(out) + "\n"
    if not standalone:
        return fragment
    style = (
        ".bracket .option{font-weight:600}.sponsors{color:#555}.alt{font-style:italic}"
        ".status{color:#276}.proposed{background:#eef}.proposed-deletion{text-decoration:line-through}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(text.title or 'Negotiating text')}</title><style>{style}</style></head><body>\n"
        f"{fragment}</body></html>\n"
    )
