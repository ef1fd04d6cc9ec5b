from django.db import migrations

CATEGORIES = ["城乡建设", "交通出行", "教育", "医疗卫生", "社会保障", "生态环境", "安全生产", "企业发展", "其他"]
RULES = [("acknowledge", 2, True), ("handle", 15, True), ("unit", 15, True), ("reply", 5, True), ("rate", 15, False)]


def search_index(apps, schema_editor):
    """The Chinese search index (renda/opinions/search.py): FTS5 on SQLite, a GIN expression index on PostgreSQL."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE opinions_search USING fts5(search_text, content='', tokenize='unicode61')"
        )
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX opinions_search_gin ON opinions_opinion USING GIN (to_tsvector('simple', search_text))"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS opinions_search")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS opinions_search_gin")


def defaults(apps, schema_editor):
    Category = apps.get_model("opinions", "Category")
    DeadlineRule = apps.get_model("opinions", "DeadlineRule")
    for position, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(name=name, defaults={"position": position})
    for step, days, working in RULES:
        DeadlineRule.objects.get_or_create(step=step, category=None, defaults={"days": days, "working_days": working})


class Migration(migrations.Migration):
    dependencies = [("opinions", "0001_initial")]
    operations = [
        migrations.RunPython(search_index, drop_search_index),
        migrations.RunPython(defaults, migrations.RunPython.noop),
    ]
