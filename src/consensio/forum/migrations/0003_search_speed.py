"""Faster document search on PostgreSQL (bench/README.md, "bench_search.py").

- `LanguageVersion.search_distribution`, a copy of the document's distribution, so that the
  search filters by access before ranking without joining forum_document; filled here for
  existing rows and by consensio.forum.search.index_version() from then on. On PostgreSQL a
  trigger on forum_document keeps it in step if a document's distribution is ever changed.
- PostgreSQL: `search_vector` stored inline in the row (STORAGE MAIN) instead of out of line
  in TOAST, where it landed beside the text of a few pages: every match and every ts_rank
  then read it back through the TOAST index. Existing vectors are rewritten so they move in.

On SQLite only the column is added and filled (its search uses the FTS5 table and a join).
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from consensio.core.migration_ops import VendorSQL


def copy_distributions(apps, schema_editor):
    Document = apps.get_model("forum", "Document")
    LanguageVersion = apps.get_model("forum", "LanguageVersion")
    LanguageVersion.objects.update(search_distribution=Subquery(
        Document.objects.filter(pk=OuterRef("document_id")).values("distribution")[:1]))


class Migration(migrations.Migration):
    dependencies = [("forum", "0002_search")]

    operations = [
        migrations.AddField(
            model_name="languageversion",
            name="search_distribution",
            field=models.CharField(blank=True, editable=False, max_length=10),
        ),
        migrations.RunPython(copy_distributions, migrations.RunPython.noop),
        VendorSQL(
            "postgresql",
            [
                "ALTER TABLE forum_languageversion ALTER COLUMN search_vector SET STORAGE MAIN",
                # A new value (|| builds one) is stored afresh, by the new storage rule.
                "UPDATE forum_languageversion SET search_vector = search_vector || ''::tsvector "
                "WHERE search_vector IS NOT NULL",
            ],
            ["ALTER TABLE forum_languageversion ALTER COLUMN search_vector SET STORAGE EXTENDED"],
        ),
        VendorSQL(
            "postgresql",
            [
                "CREATE FUNCTION forum_document_distribution_to_versions() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN "
                "UPDATE forum_languageversion SET search_distribution = NEW.distribution WHERE document_id = NEW.id; "
                "RETURN NULL; "
                "END $$",
                "CREATE TRIGGER forum_document_distribution_to_versions "
                "AFTER UPDATE OF distribution ON forum_document FOR EACH ROW "
                "WHEN (OLD.distribution IS DISTINCT FROM NEW.distribution) "
                "EXECUTE FUNCTION forum_document_distribution_to_versions()",
            ],
            [
                "DROP TRIGGER IF EXISTS forum_document_distribution_to_versions ON forum_document",
                "DROP FUNCTION IF EXISTS forum_document_distribution_to_versions()",
            ],
        ),
    ]
