"""The activity kinds DOMAIN.md names; congress staff may add, rename or retire kinds in the admin."""

from django.db import migrations

KINDS = [
    # code, name, body ("" = both), supervision
    ("theme", "主题活动", "", False),
    ("research", "专题调研", "", False),
    ("inspection", "视察", "congress", True),
    ("law_check", "执法检查", "congress", True),
    ("inquiry", "专题询问", "congress", True),
    ("group", "代表小组活动", "congress", False),
    ("training", "培训", "", False),
    ("meeting", "会议", "", False),
    ("consultation", "协商议政", "cppcc", False),
    ("studio", "委员工作室活动", "cppcc", False),
]


def add_kinds(apps, schema_editor):
    Kind = apps.get_model("activities", "Kind")
    for position, (code, name, body, supervision) in enumerate(KINDS):
        Kind.objects.get_or_create(
            code=code, defaults={"name": name, "body": body, "is_supervision": supervision, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
