"""Full-text search storage, one per database engine.

SQLite: an FTS5 virtual table `forum_search` whose rowid is the LanguageVersion id; the
do_* actions in consensio.forum.actions keep it in step. PostgreSQL: a GIN index on the
tsvector column `LanguageVersion.search_vector`, which the same actions fill.
"""

from django.db import migrations


class VendorSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor and is a no-op elsewhere."""

    def __init__(self, vendor, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]

    operations = [
        VendorSQL(
            "sqlite",
            "CREATE VIRTUAL TABLE forum_search USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 2')",
            "DROP TABLE IF EXISTS forum_search",
        ),
        VendorSQL(
            "postgresql",
            "CREATE INDEX forum_languageversion_search_gin ON forum_languageversion USING gin (search_vector)",
            "DROP INDEX IF EXISTS forum_languageversion_search_gin",
        ),
    ]
