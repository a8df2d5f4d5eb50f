from django.db import migrations

TYPES = [
    ("publication", "Publication", "出版物", "Публикация"),
    ("dataset", "Dataset", "数据集", "Набор данных"),
    ("technology", "Technology", "技术", "Технология"),
    ("patent", "Patent", "专利", "Патент"),
    ("software", "Software", "软件", "Программное обеспечение"),
    ("clinical_protocol", "Clinical protocol", "临床方案", "Клинический протокол"),
    ("report", "Report", "报告", "Отчёт"),
    ("presentation", "Presentation", "演示文稿", "Презентация"),
]


def create_types(apps, schema_editor):
    RecordType = apps.get_model("records", "RecordType")
    for position, (code, en, zh, ru) in enumerate(TYPES):
        RecordType.objects.get_or_create(
            code=code, defaults={"position": position, "name": {"original": "en", "text": {"en": en, "zh": zh, "ru": ru}}}
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(create_types, migrations.RunPython.noop)]
