"""Template filters that print the rolling text the way a compilation of proposals reads:
contested words in square brackets followed by the attribution in braces, `[words]{EU, JPN}`,
alternatives as `[[a] | [b]{RUS}]`, and the status labels delegates use."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from consensio.engine.text.rolling import Block, Bracket, Option, Plain, Segment
from consensio.engine.text.status import Status

register = template.Library()


def _attribution(codes: tuple[str, ...], deletion: bool = False) -> str:
    words = ", ".join(codes)
    if deletion:
        words = _("delete: %(codes)s") % {"codes": words}
    return f'<span class="attribution">{{{escape(words)}}}</span>'


def _option(option: Option) -> str:
    if option.sponsors:
        cls, codes, attribution = "option", option.sponsors, _attribution(option.sponsors)
    elif option.deletion:
        cls, codes, attribution = "option base deletion", option.deletion, _attribution(option.deletion, True)
    else:
        cls, codes, attribution = "option base", (), ""
    return (
        f'<span class="{cls}" data-sponsors="{escape(" ".join(codes))}">'
        f'<span class="br">[</span>{escape(option.text)}<span class="br">]</span>{attribution}</span>'
    )


def _bracket(bracket: Bracket) -> str:
    inner = '<span class="or"> | </span>'.join(_option(o) for o in bracket.options)
    if len(bracket.options) > 1:
        inner = f'<span class="br">[</span>{inner}<span class="br">]</span>'
        cls = "bracket alternatives"
    else:
        cls = "bracket"
    return f'<span class="{cls}" data-sponsors="{escape(" ".join(bracket.sponsors))}">{inner}</span>'


@register.filter
def segments(content: tuple[Segment, ...]) -> SafeString:
    out = []
    for seg in content:
        out.append(escape(seg.text) if isinstance(seg, Plain) else _bracket(seg))
    return mark_safe("".join(out))  # every piece of text above is escaped


@register.filter
def status_label(status: Status | str) -> str:
    labels = {
        Status.OPEN: _("open"),
        Status.INFORMALLY_AGREED: _("agreed informally"),
        Status.AGREED_AD_REF: _("agreed ad ref"),
        Status.ADOPTED: _("adopted"),
        Status.DELETED: _("deleted"),
    }
    return labels.get(Status(status), str(status))


@register.filter
def codes(values: tuple[str, ...]) -> str:
    return ", ".join(values)


@register.filter
def block_sponsors(block: Block) -> str:
    from consensio.drafting.text import block_sponsors as sponsors

    return " ".join(sorted(sponsors(block)))


def _marks(node: Block) -> str:
    out = ""
    if node.status.value != "open":
        out += f'<span class="badge status-{node.status.value}">{escape(status_label(node.status))}</span> '
    if node.proposed_by:
        out += f'<span class="attribution">{escape(_("new"))}: {escape(codes(node.proposed_by))}</span> '
    if node.deletion_by:
        out += f'<span class="attribution">{escape(_("delete"))}: {escape(codes(node.deletion_by))}</span> '
    return out


def _block_html(node: Block, pk: object, prov_url: str) -> str:
    """One provision and its children, as the rolling text shows them.

    Written in Python rather than as a recursive template include: a convention-scale text
    has some 600 provisions, and an include per provision cost more than half of the page.
    """
    eid = escape(node.eid)
    ident = f"prov-{pk}-{eid}"
    status = node.status.value
    kind = node.kind.value
    link = f"{escape(prov_url)}{eid}/"
    if kind in ("chapter", "article"):
        tag = "h2" if kind == "chapter" else "h3"
        word = _("Chapter") if kind == "chapter" else _("Article")
        heading = f' — <span class="heading">{escape(node.heading)}</span>' if node.heading else ""
        marks = _marks(node).rstrip(" ")
        children = "".join(_block_html(child, pk, prov_url) for child in node.children)
        return (
            f'<section id="{ident}" class="prov {kind} status-{status}{" proposed" if node.proposed_by else ""}" '
            f'data-eid="{eid}" data-status="{status}">\n'
            f'<{tag}><a href="{link}">{escape(word)} {escape(str(node.num))}</a>{heading}'
            f'{" " + marks if marks else ""}</{tag}>\n{children}\n</section>'
        )
    if node.num:
        num = f"({node.num})" if kind == "subparagraph" else f"{node.num}." if kind == "paragraph" else str(node.num)
    else:
        num = "¶"
    classes = f"prov {kind} status-{status}"
    classes += " proposed" if node.proposed_by else ""
    classes += " proposed-deletion" if node.deletion_by else ""
    html = (
        f'<p id="{ident}" class="{classes}" data-eid="{eid}" data-status="{status}" '
        f'data-sponsors="{escape(block_sponsors(node))}"><a class="num" href="{link}">{escape(num)}</a> '
        f"{_marks(node)}{segments(node.content)}</p>"
    )
    if node.children:
        inner = "".join(_block_html(child, pk, prov_url) for child in node.children)
        html += f'\n<div class="subparagraphs" id="{ident}-sub">{inner}</div>'
    return html


@register.simple_tag(takes_context=True)
def block_html(context: template.Context, node: Block) -> SafeString:
    """The markup of `node` for the page and for its live fragment alike."""
    return mark_safe(_block_html(node, context["instrument"].pk, str(context["prov_url"])))  # all escaped above
