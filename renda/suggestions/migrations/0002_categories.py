from django.db import migrations

CATEGORIES = ["经济发展", "城乡建设", "交通出行", "生态环境", "教育科技", "医疗卫生", "社会保障", "民主法治", "文化旅游", "其他"]


def add_categories(apps, schema_editor):
    Category = apps.get_model("suggestions", "Category")
    for kind in ("congress", "cppcc"):
        for position, name in enumerate(CATEGORIES):
            Category.objects.get_or_create(kind=kind, name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
