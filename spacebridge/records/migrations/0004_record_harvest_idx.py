from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("records", "0003_record_datestamp_idx")]

    operations = [
        migrations.RemoveIndex(model_name="record", name="record_datestamp_idx"),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(fields=["updated_at", "id", "status"], name="record_harvest_idx"),
        ),
    ]
