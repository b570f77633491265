"""Load the West Midlands region and the ASC-WDS main job roles (reference data, not demo)."""

from django.db import migrations

from carerecruit.reference.data import JOB_ROLES, WEST_MIDLANDS


def load(apps, schema_editor):
    Region = apps.get_model("reference", "Region")
    JobRole = apps.get_model("reference", "JobRole")
    Region.objects.update_or_create(gss_code=WEST_MIDLANDS["gss_code"], defaults=WEST_MIDLANDS)
    for code, name, needs_swe, on_forms in JOB_ROLES:
        JobRole.objects.update_or_create(
            code=code,
            defaults={"name": name, "needs_swe_registration": needs_swe, "offered_on_forms": on_forms},
        )


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
