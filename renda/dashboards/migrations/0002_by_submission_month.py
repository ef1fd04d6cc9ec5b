"""Steps and open opinions keyed by the opinions' submission month (so a period of whole months reads the summary).

The old rows cannot be re-keyed (a step's row held its completion month, an open row no month): they are deleted and
`Freshness` reset, so the next `refresh_dashboards` rebuilds every table (a full run: about 5 minutes at 10 M
opinions, docs/performance.md). Until then the statistics page counts live, as on a new deployment. Two-node safe
(a new nullable column, small tables), but stop the old release's `refresh_dashboards` before migrating: an old run
in between would key steps the old way (docs/upgrading.md).
"""

from django.db import migrations, models


def reset(apps, schema_editor):
    apps.get_model("dashboards", "StepMonth").objects.all().delete()
    apps.get_model("dashboards", "OpenDue").objects.all().delete()
    apps.get_model("dashboards", "Freshness").objects.update(last_opinion=0, last_event=0, refreshed_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(reset, migrations.RunPython.noop),
        migrations.AddField(
            model_name="opendue",
            name="month",
            field=models.DateField(null=True),
        ),
    ]
