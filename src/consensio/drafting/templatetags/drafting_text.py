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
