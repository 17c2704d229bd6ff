"""The negotiating-text engine: instrument tree, proposals, statuses, compiled rolling text,
bracket notation, comparison and exports (Akoma Ntoso 3.0, DOCX, HTML). Pure Python; no Django."""
