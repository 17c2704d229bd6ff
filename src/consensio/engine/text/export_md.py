"""Plain-text export of the rolling text in the bracket notation (docs/bracket-notation.md).

The notation reads as Markdown-safe plain text, so the same file serves e-mail, a wiki or a
Word paste; it is the canonical form written by `notation.serialize`.
"""

from __future__ import annotations

from .notation import serialize
from .rolling import RollingText


def export_md(text: RollingText) -> str:
    """The rolling text in the bracket notation, one provision per line."""
    return serialize(text)
