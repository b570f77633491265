"""The demo's workforce returns go through the real ASC-WDS import and give the
regional dashboard figures."""

import datetime
from decimal import Decimal

import pytest

from carerecruit.regional.datasets import UNRESTRICTED, Filters, build_dataset
from carerecruit.workforce.demo import load_demo_workforce
from carerecruit.workforce.models import WorkforceReturn

pytestmark = pytest.mark.django_db
AS_AT = datetime.date(2020, 4, 19)


def test_demo_returns_import_and_show(personas):
    assert load_demo_workforce(AS_AT) == 3
    assert load_demo_workforce(AS_AT) == 3  # again: replaces, no duplicates
    assert WorkforceReturn.objects.filter(status="current").count() == 3
    rows = {r["council_gss"]: r for r in build_dataset(
        "councils", viewer=UNRESTRICTED, filters=Filters(datetime.date(2020, 4, 20), datetime.date(2020, 6, 7))).rows}
    birmingham = rows["E08000025"]
    # 44 + 8 + 1 + 68 + 10 + 2 staff records; 4+1+0+6+1+0 vacancies.
    assert (birmingham["filled_posts"], birmingham["reported_vacancies"]) == (133, 12)
    assert birmingham["vacancy_rate"] == Decimal("8.3")
    walsall = rows["E08000030"]
    assert walsall["published_year"] == "2023/24"
    assert walsall["filled_posts"] == 62
