"""Joint statements: who delivers one, on whose behalf, and who aligns with it.

Pure Python (no Django). Reads the header of a statement as delivered at a UN
body ("Statement by Canada on behalf of …", "On behalf of the European Union
and its 27 Member States: Austria, …"), resolving every name through the
roster (`consensio.engine.roster`) and reporting what did not resolve.
"""

from consensio.engine.statements.model import (
    MAX_STATEMENT_BYTES,
    Entry,
    EntryKind,
    LineIndex,
    Position,
    Problem,
    StatementError,
    StatementParse,
    Unresolved,
    decode_statement_bytes,
)
from consensio.engine.statements.parse import parse_statement

__all__ = [
    "MAX_STATEMENT_BYTES",
    "Entry",
    "EntryKind",
    "LineIndex",
    "Position",
    "Problem",
    "StatementError",
    "StatementParse",
    "Unresolved",
    "decode_statement_bytes",
    "parse_statement",
]
