"""Create the Authors role. Its permissions are (re)granted after every migrate, see PortalConfig."""

from __future__ import annotations

from django.db import migrations


def create_authors_group(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).get_or_create(name="Authors")


def remove_authors_group(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name="Authors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_authors_group, remove_authors_group)]
