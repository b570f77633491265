"""schema.org JobPosting on vacancy pages: Google's required and recommended properties,
the ASC-WDS contract type mapping, safe escaping, and no markup once a vacancy closes."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from carerecruit.reference.models import JobRole
from carerecruit.talentbank.tests.builders import make_vacancy
from carerecruit.vacancies.actions import do_close_vacancy
from carerecruit.vacancies.jobposting import (
    description_html,
    employment_type,
    json_ld_script,
    pounds_number,
    valid_through,
)
from carerecruit.vacancies.models import ContractType, PayUnit, Vacancy
from carerecruit.vacancies.tests.jsonld import job_posting_problems, json_ld_blocks


@pytest.mark.parametrize(
    ("contract", "hours", "expected"),
    [
        (ContractType.PERMANENT, Decimal("37.5"), "FULL_TIME"),
        (ContractType.PERMANENT, Decimal("30"), "FULL_TIME"),
        (ContractType.PERMANENT, Decimal("29.5"), "PART_TIME"),
        (ContractType.TEMPORARY, Decimal("37.5"), "TEMPORARY"),
        (ContractType.POOL_BANK, Decimal("12"), "PER_DIEM"),
        (ContractType.AGENCY, Decimal("40"), "CONTRACTOR"),
        (ContractType.OTHER, Decimal("40"), "OTHER"),
    ],
)
def test_employment_type_from_ascwds_contract_type(contract, hours, expected):
    assert employment_type(contract, hours) == expected


def test_valid_through_is_the_end_of_the_local_closing_day():
    assert valid_through(datetime.date(2027, 3, 30)) == "2027-03-30T23:59:59+01:00"  # BST
    assert valid_through(datetime.date(2027, 1, 15)) == "2027-01-15T23:59:59+00:00"  # GMT
    assert valid_through(datetime.date(2027, 3, 28)) == "2027-03-28T23:59:59+01:00"  # clocks went forward


def test_description_html_and_amounts():
    assert description_html("First line\nsecond line\n\n<script>alert(1)</script> & more") == (
        "<p>First line<br>second line</p><p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>"
    )
    assert description_html("") == ""
    assert (pounds_number(1275), pounds_number(2800000), pounds_number(1205)) == (12.75, 28000, 12.05)


def test_json_ld_script_cannot_be_broken_out_of():
    html = json_ld_script({"title": "</script><script>alert(1)</script>", "x": "a & b <!--"})
    assert html == (
        '<script type="application/ld+json">{"title":"\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)'
        '\\u003C/script\\u003E","x":"a \\u0026 b \\u003C!--"}</script>'
    )
    assert json_ld_blocks(html) == [{"title": "</script><script>alert(1)</script>", "x": "a & b <!--"}]


@pytest.mark.django_db
def test_vacancy_page_has_a_valid_job_posting(client, personas):
    personas.provider.website = "https://www.example-homecare.co.uk"
    personas.provider.save()
    vacancy = make_vacancy(
        personas.provider, reference="WAL-2026-0142", starts_on=timezone.localdate() + datetime.timedelta(days=40),
        description="Support older people at home.\n\nPaid travel time & mileage.",
    )
    response = client.get(f"/vacancies/{vacancy.code}/")
    assert response.status_code == 200
    (posting,) = json_ld_blocks(response.content.decode())
    assert job_posting_problems(posting) == []
    vacancy.refresh_from_db()
    assert posting == {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": "Care worker (home care)",
        "description": "<p>Support older people at home.</p><p>Paid travel time &amp; mileage.</p>",
        "identifier": {"@type": "PropertyValue", "name": "Example Home Care Ltd", "value": "WAL-2026-0142"},
        "datePosted": timezone.localdate().isoformat(),
        "validThrough": valid_through(vacancy.closing_date),
        "employmentType": "FULL_TIME",
        "hiringOrganization": {
            "@type": "Organization", "name": "Example Home Care Ltd", "sameAs": "https://www.example-homecare.co.uk",
        },
        "jobLocation": {"@type": "Place", "address": {
            "@type": "PostalAddress", "streetAddress": "1 Colmore Row", "addressLocality": "Birmingham",
            "addressRegion": "West Midlands", "postalCode": "B1 1BB", "addressCountry": "GB",
        }},
        "baseSalary": {"@type": "MonetaryAmount", "currency": "GBP", "value": {
            "@type": "QuantitativeValue", "minValue": 12.75, "maxValue": 13.5, "unitText": "HOUR",
        }},
        "directApply": True,
        "totalJobOpenings": 3,
        "url": f"http://testserver/vacancies/{vacancy.code}/",
        "jobStartDate": vacancy.starts_on.isoformat(),
    }


@pytest.mark.django_db
def test_single_rate_no_street_no_website_and_hostile_text(client, personas):
    vacancy = make_vacancy(
        personas.council_a, title="Social worker </script>", street_address="", pay_min_pence=3800000,
        pay_max_pence=None, pay_unit=PayUnit.YEAR, contract_type=ContractType.POOL_BANK,
        hours_per_week=Decimal("16"), job_role=JobRole.objects.get(code=6),
        description="<b>Bold</b> claims", number_of_posts=1,
    )
    page = client.get(f"/vacancies/{vacancy.code}/").content.decode()
    assert "</script>\",\"" not in page
    (posting,) = json_ld_blocks(page)
    assert job_posting_problems(posting) == []
    assert posting["title"] == "Social worker </script>"
    assert posting["description"] == "<p>&lt;b&gt;Bold&lt;/b&gt; claims</p>"
    assert posting["baseSalary"]["value"] == {"@type": "QuantitativeValue", "value": 38000, "unitText": "YEAR"}
    assert posting["employmentType"] == "PER_DIEM"
    assert posting["identifier"]["value"] == vacancy.code
    assert "streetAddress" not in posting["jobLocation"]["address"]
    assert "sameAs" not in posting["hiringOrganization"]
    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in page  # the visible page escapes it too


def test_validator_catches_missing_and_wrong_properties():
    assert "missing title" in job_posting_problems({})
    bad = {
        "@context": "https://schema.org/", "@type": "JobPosting", "title": "Care worker £12 apply now",
        "description": "", "datePosted": "yesterday", "hiringOrganization": {"name": "X"},
        "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressCountry": "UK"}},
        "validThrough": "2027-03-30T23:59:59", "employmentType": "SOMETIMES",
        "baseSalary": {"@type": "MonetaryAmount", "currency": "GBP",
                       "value": {"@type": "QuantitativeValue", "minValue": "12", "unitText": "FORTNIGHT"}},
        "directApply": "yes", "identifier": {"@type": "PropertyValue", "name": "X"}, "totalJobOpenings": 0,
    }
    assert job_posting_problems(bad) == [
        "title must be the job title only (no pay, codes or 'apply')",
        "description must be non-empty HTML",
        "datePosted must be an ISO 8601 date",
        "hiringOrganization must be an Organization with a name",
        "jobLocation.address.addressLocality missing",
        "jobLocation.address.addressRegion missing",
        "jobLocation.address.postalCode missing",
        "addressCountry must be GB",
        "validThrough must carry a time zone offset",
        "employmentType must be Google's values",
        "baseSalary amounts must be positive numbers",
        "baseSalary needs value, or minValue and maxValue",
        "baseSalary unitText must be HOUR, DAY, WEEK, MONTH or YEAR",
        "directApply must be a boolean",
        "identifier must be a PropertyValue with name and value",
        "totalJobOpenings must be a positive integer",
    ]


@pytest.mark.django_db
def test_closed_expired_and_draft_vacancies_have_no_markup(client, personas):
    closed = make_vacancy(personas.council_a)
    do_close_vacancy(closed)
    response = client.get(f"/vacancies/{closed.code}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "This vacancy has closed" in page
    assert json_ld_blocks(page) == [] and "ld+json" not in page
    assert client.get(f"/vacancies/{closed.code}/apply/").status_code == 410

    expired = make_vacancy(personas.council_a)
    Vacancy.objects.filter(pk=expired.pk).update(closing_date=timezone.localdate() - datetime.timedelta(days=1))
    response = client.get(f"/vacancies/{expired.code}/")
    assert response.status_code == 410 and "ld+json" not in response.content.decode()

    draft = make_vacancy(personas.council_a, open_it=False)
    assert client.get(f"/vacancies/{draft.code}/").status_code == 404
    assert client.get("/vacancies/nosuchcode/").status_code == 404
