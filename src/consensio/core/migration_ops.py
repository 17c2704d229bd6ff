"""Migration operations shared by the apps' migrations."""

from __future__ import annotations

from typing import Any

from django.db import migrations


class VendorSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor and is a no-op elsewhere (search storage
    differs: an FTS5 table on SQLite, tsvector columns and triggers on PostgreSQL)."""

    def __init__(self, vendor: str, sql: Any, reverse_sql: Any) -> None:
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)
