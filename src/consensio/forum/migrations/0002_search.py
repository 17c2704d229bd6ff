"""Full-text search storage, one per database engine.

SQLite: an FTS5 virtual table `forum_search` whose rowid is the LanguageVersion id; the
do_* actions in consensio.forum.actions keep it in step. PostgreSQL: a GIN index on the
tsvector column `LanguageVersion.search_vector`, which the same actions fill.
"""

from django.db import migrations

from consensio.core.migration_ops import VendorSQL


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
