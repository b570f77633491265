from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="full_name_given",
            field=models.CharField(blank=True, max_length=200, verbose_name="name as given"),
        ),
    ]
