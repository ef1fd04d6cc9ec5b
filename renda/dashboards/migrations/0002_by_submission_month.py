"""Steps and open opinions keyed by the opinions' submission month (so a period of whole months reads the summary).

The old rows cannot be re-keyed (a step's row held its completion month, an open row no month): they are deleted and
`Freshness` reset, so the next `refresh_dashboards` rebuilds every table (a full run: about 3–4 minutes at 10 M
opinions, docs/performance.md). Until then the statistics page counts live, as on a new deployment.
"""

import datetime

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
            field=models.DateField(default=datetime.date(2000, 1, 1)),
            preserve_default=False,
        ),
    ]
