"""``sent_at`` on grading jobs: empty while a job waits in the outbox for the broker."""

from django.db import migrations, models
from django.db.models import F


def existing_jobs_were_sent(apps, schema_editor) -> None:
    """Rows from before the outbox were handed to the broker when they were made."""
    for name in ("Submission", "ExploitAttempt"):
        model = apps.get_model("labs", name)
        model.objects.using(schema_editor.connection.alias).update(sent_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("labs", "0004_exploit_target"),
    ]

    operations = [
        migrations.AddField(
            model_name="exploitattempt",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="submission",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(existing_jobs_were_sent, migrations.RunPython.noop),
    ]
