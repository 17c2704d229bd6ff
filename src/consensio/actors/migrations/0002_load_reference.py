"""Load the States, observers, the EU and the groups from the roster engine's reference data."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from consensio.actors.reference import sync_reference

    sync_reference(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
