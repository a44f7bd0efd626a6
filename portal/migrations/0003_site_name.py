"""Name the default Site after the product: allauth uses it in email greetings and subjects."""

from __future__ import annotations

from django.db import migrations


def name_site(apps, schema_editor) -> None:
    Site = apps.get_model("sites", "Site")
    Site.objects.using(schema_editor.connection.alias).update_or_create(
        pk=1, defaults={"name": "Patchwise", "domain": "localhost:8000"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_authors_group"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
