"""Load the regional body, the 14 West Midlands councils with adult social services (ONS
GSS codes) and the districts of the three two-tier counties. Reference data, not demo."""

from decimal import Decimal

from django.db import migrations
from django.utils.text import slugify

from carerecruit.reference.data import COUNCILS, COUNTY_DISTRICTS, REGIONAL_BODY, WEST_MIDLANDS


def load(apps, schema_editor):
    Region = apps.get_model("reference", "Region")
    Organisation = apps.get_model("organisations", "Organisation")
    CouncilDistrict = apps.get_model("organisations", "CouncilDistrict")
    region = Region.objects.get(gss_code=WEST_MIDLANDS["gss_code"])
    Organisation.objects.update_or_create(
        slug=REGIONAL_BODY["slug"],
        defaults={"region": region, "kind": "regional", "name": REGIONAL_BODY["name"],
                  "short_name": REGIONAL_BODY["short_name"]},
    )
    for name, short, gss, council_type, la_no, _code, lat, long in COUNCILS:
        council, _ = Organisation.objects.update_or_create(
            gss_code=gss,
            defaults={"region": region, "kind": "council", "name": name, "short_name": short,
                      "slug": slugify(short), "council_type": council_type,
                      "old_la_number": la_no, "latitude": Decimal(lat),
                      "longitude": Decimal(long)},
        )
        for district_gss, district_name in COUNTY_DISTRICTS.get(gss, []):
            CouncilDistrict.objects.update_or_create(
                gss_code=district_gss, defaults={"council": council, "name": district_name}
            )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial"), ("reference", "0002_load_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
