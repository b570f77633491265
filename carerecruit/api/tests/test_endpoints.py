"""Every endpoint's exact answer for the small region, pagination, filters and bad
parameters."""

import datetime

import pytest

from carerecruit.reference.models import JobRole
from carerecruit.vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

ZERO = {
    "impressions": 0, "platform_clicks": 0, "clicks": 0, "visits": 0, "form_starts": 0,
    "applications": 0, "shortlisted": 0, "placed": 0, "retained_6m": 0, "spend_pence": 0,
}


def test_campaigns(personas, region, make_token, api):
    response = api(make_token(personas.council_a), "/api/v1/campaigns/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    assert body["results"] == [{
        "slug": "come-back-to-care",
        "name": "Come Back to Care",
        "status": "live",
        "accepting_applications": True,
        "audience": "Former social workers",
        "starts_on": "2020-04-20",
        "ends_on": "2030-05-31",
        "owner": region.campaign.owner.short_name,
        "job_roles": [
            {"code": 6, "name": JobRole.objects.get(code=6).name},
            {"code": 15, "name": JobRole.objects.get(code=15).name},
        ],
        "partner_councils": ["E08000025", "E08000026"],
        "microsite_url": "http://testserver/c/come-back-to-care/",
        "funnel_url": "http://testserver/api/v1/campaigns/come-back-to-care/funnel/",
    }]


def test_a_live_campaign_past_its_end_date_is_not_accepting_applications(personas, region, make_token, api, client):
    from carerecruit.campaigns.models import Campaign

    region.campaign.ends_on = datetime.date(2020, 5, 31)
    region.campaign.save()
    [row] = api(make_token(personas.council_a), "/api/v1/campaigns/").json()["results"]
    assert (row["status"], row["ends_on"], row["accepting_applications"]) == ("live", "2020-05-31", False)
    # As the microsite says.
    microsite = client.get(row["microsite_url"].removeprefix("http://testserver"))
    assert microsite.context["applications_closed"] is True
    Campaign.objects.filter(pk=region.campaign.pk).update(ends_on=None, status=Campaign.Status.CLOSED)
    [row] = api(make_token(personas.council_a), "/api/v1/campaigns/").json()["results"]
    assert (row["status"], row["accepting_applications"]) == ("closed", False)


def test_campaign_filters(personas, region, make_token, api):
    from carerecruit.testing.factories import make_campaign

    make_campaign("winter-care", name="Winter care", starts_on=datetime.date(2021, 1, 1),
                  ends_on=datetime.date(2021, 3, 31))
    secret = make_token(personas.council_a)

    def slugs(**params):
        response = api(secret, "/api/v1/campaigns/", **params)
        assert response.status_code == 200, response.json()
        return [c["slug"] for c in response.json()["results"]]

    assert slugs() == ["come-back-to-care", "winter-care"]
    assert slugs(start="2031-01-01") == []
    assert slugs(end="2020-12-31") == ["come-back-to-care"]
    assert slugs(start="2021-02-01", end="2021-02-01") == ["come-back-to-care", "winter-care"]
    assert slugs(council="E08000026") == ["come-back-to-care"]
    assert slugs(council="E08000028") == []  # Sandwell takes no part
    assert slugs(role=6) == ["come-back-to-care", "winter-care"]
    assert slugs(role=8) == []


def test_funnel_by_day_and_channel(personas, region, make_token, api):
    # The regional body runs the campaign: its token sees every figure exactly (a
    # council's token sees small people counts as "<5": test_funnel_suppressed...).
    response = api(make_token(personas.regional_body), "/api/v1/campaigns/come-back-to-care/funnel/",
                   start="2020-04-20", end="2020-04-28")
    assert response.status_code == 200
    body = response.json()
    assert body["steps"] == [
        "impressions", "platform_clicks", "clicks", "visits", "form_starts", "applications",
        "shortlisted", "placed", "retained_6m",
    ]
    assert (body["campaign"], body["start"], body["end"], body["granularity"]) == (
        "come-back-to-care", "2020-04-20", "2020-04-28", "day")
    day21 = {**ZERO, "impressions": 1000, "platform_clicks": 40, "clicks": 5, "visits": 3, "form_starts": 2,
             "applications": 1, "spend_pence": 5000}
    assert body["totals"] == {**day21, "visits": 5}
    assert len(body["periods"]) == 9
    assert body["periods"][0] == {"period": "2020-04-20", "start": "2020-04-20", "end": "2020-04-20", **ZERO}
    assert body["periods"][1] == {"period": "2020-04-21", "start": "2020-04-21", "end": "2020-04-21", **day21}
    assert body["periods"][8] == {"period": "2020-04-28", "start": "2020-04-28", "end": "2020-04-28",
                                  **ZERO, "visits": 2}
    assert body["channels"] == [
        {"channel": "facebook", "label": "Facebook", **day21},
        {"channel": "direct", "label": "Direct or untracked", **ZERO, "visits": 2},
    ]


def test_funnel_by_week(personas, region, make_token, api):
    body = api(make_token(personas.council_a), "/api/v1/campaigns/come-back-to-care/funnel/",
               start="2020-04-20", end="2020-04-28", granularity="week").json()
    assert [(p["period"], p["start"], p["end"], p["clicks"], p["visits"]) for p in body["periods"]] == [
        ("2020-W17", "2020-04-20", "2020-04-26", 5, 3),
        ("2020-W18", "2020-04-27", "2020-04-28", 0, 2),
    ]


def test_funnel_unknown_campaign_and_bad_parameters(personas, region, make_token, api):
    secret = make_token(personas.council_a)
    response = api(secret, "/api/v1/campaigns/no-such-campaign/funnel/")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "message": "No such campaign"}
    path = "/api/v1/campaigns/come-back-to-care/funnel/"
    response = api(secret, path, granularity="month")
    assert response.status_code == 400
    assert response.json()["parameters"] == {"granularity": ["Use day or week."]}
    response = api(secret, path, start="2020-01-01", end="2021-06-01")
    assert response.status_code == 400
    assert response.json()["parameters"] == {"end": ["A period can be at most 366 days long."]}
    response = api(secret, path, council="E08000025")
    assert response.status_code == 400
    assert response.json()["parameters"] == {
        "council": ["This endpoint does not take this parameter. It takes: start, end, granularity."]
    }
    response = api(secret, path, granularity=["week", "day"])
    assert response.status_code == 400
    assert response.json()["parameters"] == {"granularity": ["Give this parameter once, not 2 times."]}
    response = api(secret, "/api/v1/regional/councils/", end=["2020-01-01", "2020-02-02"])
    assert response.status_code == 400
    assert response.json()["parameters"] == {"end": ["Give this parameter once, not 2 times."]}


@pytest.mark.parametrize(("params", "parameter", "message"), [
    ({"start": "21/04/2020"}, "start", "Enter a date as YYYY-MM-DD, for example 2020-04-01."),
    ({"start": "2020-02-30"}, "start", "Enter a date as YYYY-MM-DD, for example 2020-04-01."),
    ({"start": ""}, "start", "Enter a date as YYYY-MM-DD, for example 2020-04-01."),
    ({"end": "yesterday"}, "end", "Enter a date as YYYY-MM-DD, for example 2020-04-01."),
    ({"start": "2020-05-01", "end": "2020-04-01"}, "end", "The end date must be the same as or after the start date."),
    ({"council": "Birmingham"}, "council", "Enter a council's ONS GSS code, for example E08000025."),
    ({"council": "E08999999"}, "council", "No council has the GSS code E08999999."),
    ({"council": ""}, "council", "Enter a council's ONS GSS code, for example E08000025."),
    # A trailing newline is a bad value, never echoed back in the message.
    ({"council": "E08000025\n"}, "council", "Enter a council's ONS GSS code, for example E08000025."),
    ({"council": "E08999999\n"}, "council", "Enter a council's ONS GSS code, for example E08000025."),
    ({"start": "2020-01-01\n"}, "start", "Enter a date as YYYY-MM-DD, for example 2020-04-01."),
    ({"role": "carer"}, "role", "Enter an ASC-WDS main job role code: a whole number, for example 7."),
    ({"role": "999"}, "role", "There is no ASC-WDS main job role with code 999."),
    ({"page": "0"}, "page", "Enter a page number: a whole number from 1."),
    ({"page_size": "501"}, "page_size", "Enter a whole number from 1 to 500."),
    ({"councl": "E08000025"}, "councl",
     "This endpoint does not take this parameter. It takes: start, end, council, role, page, page_size."),
    ({"start": ["2020-01-01", "2020-02-02"]}, "start", "Give this parameter once, not 2 times."),
    ({"council": ["E08000025", "E08000026"]}, "council", "Give this parameter once, not 2 times."),
    ({"council": ["E08000025", "nonsense"]}, "council", "Give this parameter once, not 2 times."),
    ({"role": ["6", "6", "6"]}, "role", "Give this parameter once, not 3 times."),
    ({"page": ["1", "2"]}, "page", "Give this parameter once, not 2 times."),
])
@pytest.mark.parametrize("path", ["/api/v1/campaigns/", "/api/v1/vacancies/", "/api/v1/placements/"])
def test_bad_parameters_answer_400_naming_them(personas, make_token, api, path, params, parameter, message):
    response = api(make_token(personas.council_a), path, **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 400, "code": "invalid_parameter", "message": "Check the query parameters.",
        "parameters": {parameter: [message]},
    }


def test_pagination_is_stable(personas, region, make_token, api):
    from carerecruit.testing.factories import make_campaign

    for n in range(5):
        make_campaign(f"campaign-{n}", name=f"Campaign {n}")
    secret = make_token(personas.council_a)
    first = api(secret, "/api/v1/campaigns/", page_size=2).json()
    assert first["count"] == 6
    assert [c["slug"] for c in first["results"]] == ["campaign-0", "campaign-1"]
    assert first["next"] == "http://testserver/api/v1/campaigns/?page=2&page_size=2"
    last = api(secret, "/api/v1/campaigns/", page_size=2, page=3).json()
    assert [c["slug"] for c in last["results"]] == ["campaign-4", "come-back-to-care"]
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/v1/campaigns/?page=2&page_size=2"
    beyond = api(secret, "/api/v1/campaigns/", page_size=2, page=4)
    assert beyond.status_code == 404
    assert beyond.json()["code"] == "not_found"


def _vacancy(campaign, organisation, council, title, *, role=8, published=None, **extra):
    from django.utils import timezone

    return Vacancy.objects.create(
        organisation=organisation, campaign=campaign, title=title, job_role_id=role, contract_type=1,
        hours_per_week="37.5", pay_min_pence=1275, pay_unit="HOUR", town="Birmingham", postcode="B1 1BB",
        council_area=council, closing_date=datetime.date(2099, 1, 31), description="Care for people.",
        status=extra.pop("status", Vacancy.Status.OPEN), published_at=published or timezone.now(), **extra,
    )


def test_vacancies(personas, region, make_token, api):
    from carerecruit.insights.tests.helpers import utc

    a = _vacancy(region.campaign, personas.council_a, personas.council_a, "Care worker",
                 published=utc(2026, 3, 1, 23, 30), pay_max_pence=1350)
    _vacancy(region.campaign, personas.provider, personas.council_b, "Senior care worker", role=7,
             published=utc(2026, 3, 5, 9))
    _vacancy(region.campaign, personas.council_a, personas.council_a, "Draft job", status=Vacancy.Status.DRAFT)
    secret = make_token(personas.council_b)
    body = api(secret, "/api/v1/vacancies/").json()
    assert [v["title"] for v in body["results"]] == ["Senior care worker", "Care worker"]
    assert body["results"][1] == {
        "code": a.code, "url": f"http://testserver/vacancies/{a.code}/", "title": "Care worker",
        "employer": personas.council_a.name, "council_gss": "E08000025", "council_name": "Birmingham",
        "job_role_code": 8, "job_role_name": a.job_role.name, "contract_type_code": 1, "contract_type": "Permanent",
        "hours_per_week": 37.5, "pay_min_pence": 1275, "pay_max_pence": 1350, "pay_unit": "HOUR",
        "town": "Birmingham", "postcode": "B1 1BB", "number_of_posts": 1,
        "published_on": "2026-03-01", "closing_date": "2099-01-31", "starts_on": None,
    }

    def titles(**params):
        return [v["title"] for v in api(secret, "/api/v1/vacancies/", **params).json()["results"]]

    assert titles(council="E08000025") == ["Care worker"]
    assert titles(role=7) == ["Senior care worker"]
    assert titles(end="2026-03-01") == ["Care worker"]  # 23:30 UTC on 1 March is still 1 March (GMT)
    assert titles(end="2026-02-28") == []
    assert titles(start="2099-02-01") == []


def test_placements_for_council_a(personas, region, make_token, api):
    rows = api(make_token(personas.council_a), "/api/v1/placements/").json()["results"]
    base = {"month": "2026-01", "job_role_code": 8, "job_role_name": rows[0]["job_role_name"]}
    pending = {"retention_6m_due": 0, "retention_6m_in_post": 0, "retention_6m_left": 0, "retention_6m_rate": None,
               "retention_12m_due": 0, "retention_12m_in_post": 0, "retention_12m_left": 0, "retention_12m_rate": None}
    assert rows == [
        # Its own small numbers in full.
        {"council_gss": "E08000025", "council_name": "Birmingham", **base, "placements": 2,
         "retention_3m_due": 2, "retention_3m_in_post": 2, "retention_3m_left": 0, "retention_3m_rate": 100.0,
         **pending},
        # Coventry's: 6 placements shown, 5 in post shown, 1 left suppressed, the rate withheld.
        {"council_gss": "E08000026", "council_name": "Coventry", **base, "placements": 6,
         "retention_3m_due": 6, "retention_3m_in_post": 5, "retention_3m_left": "<5", "retention_3m_rate": "withheld",
         **pending},
    ]


def test_placements_for_council_b_and_the_regional_body(personas, region, make_token, api):
    rows = api(make_token(personas.council_b), "/api/v1/placements/").json()["results"]
    assert [(r["council_gss"], r["placements"], r["retention_3m_due"], r["retention_3m_left"], r["retention_3m_rate"])
            for r in rows] == [("E08000025", "<5", "<5", 0, "withheld"), ("E08000026", 6, 6, 1, 83.3)]
    rows = api(make_token(personas.regional_body), "/api/v1/placements/").json()["results"]
    assert [(r["placements"], r["retention_3m_rate"]) for r in rows] == [(2, 100.0), (6, 83.3)]
    # A regional-body token made by someone who is not (or no longer) a regional admin
    # is suppressed like everyone else's.
    rows = api(make_token(personas.regional_body, maker=personas.campaign_manager), "/api/v1/placements/").json()["results"]
    assert [(r["placements"], r["retention_3m_rate"]) for r in rows] == [("<5", "withheld"), (6, "withheld")]


def test_placement_filters(personas, region, make_token, api):
    secret = make_token(personas.council_a)

    def councils(**params):
        return [r["council_gss"] for r in api(secret, "/api/v1/placements/", **params).json()["results"]]

    assert councils(council="E08000026") == ["E08000026"]
    assert councils(role=8) == ["E08000025", "E08000026"]
    assert councils(role=7) == []
    assert councils(start="2026-01-05", end="2026-01-05") == ["E08000025", "E08000026"]
    assert councils(start="2026-01-06") == []


def test_workforce(personas, region, make_token, api):
    rows = api(make_token(personas.council_a), "/api/v1/workforce/").json()["results"]
    name = rows[0]["job_role_name"]
    assert rows == [
        {"council_gss": "E08000025", "council_name": "Birmingham", "job_role_code": 8, "job_role_name": name,
         "as_at": "2026-03-31", "workplaces": 1, "filled_posts": 4, "directly_employed": 3, "permanent": 3,
         "temporary": 0, "pool_bank": 0, "agency": 1, "other_contract": 0, "starters": 2, "leavers": 1,
         "vacancies": 2, "vacancy_rate": rows[0]["vacancy_rate"], "turnover_rate": rows[0]["turnover_rate"]},
        {"council_gss": "E08000026", "council_name": "Coventry", "job_role_code": 8, "job_role_name": name,
         "as_at": "2026-03-31", "workplaces": 1, "filled_posts": 50, "directly_employed": 50, "permanent": 40,
         "temporary": 10, "pool_bank": 0, "agency": 0, "other_contract": 0, "starters": 8, "leavers": 6,
         "vacancies": 5, "vacancy_rate": 9.1, "turnover_rate": 12.0},
    ]
    # Its own rates in full: 2 vacancies of 4 posts + 2 = 33.3%; 1 leaver of 3 = 33.3%.
    assert (rows[0]["vacancy_rate"], rows[0]["turnover_rate"]) == (33.3, 33.3)
    rows = api(make_token(personas.council_b), "/api/v1/workforce/", council="E08000025").json()["results"]
    assert [(r["filled_posts"], r["permanent"], r["agency"], r["starters"], r["leavers"], r["vacancies"],
             r["vacancy_rate"], r["turnover_rate"]) for r in rows] == [("<5", "<5", "<5", "<5", "<5", "<5", "withheld", "withheld")]
    assert api(make_token(personas.council_b), "/api/v1/workforce/", end="2026-03-30").json()["results"] == []
    assert api(make_token(personas.council_b), "/api/v1/workforce/", role=7).json()["results"] == []


def test_provider_placements_are_left_out_as_in_the_regional_datasets(personas, region, make_token, api):
    from carerecruit.api.tests.fixtures import _placements

    _placements(region.campaign, personas.provider, 3, ["in_post"] * 3)
    rows = api(make_token(personas.regional_body), "/api/v1/placements/").json()["results"]
    assert [(r["council_gss"], r["placements"]) for r in rows] == [("E08000025", 2), ("E08000026", 6)]


def test_regional_dataset(personas, region, make_token, api):
    secret = make_token(personas.council_a)
    body = api(secret, "/api/v1/regional/retention/", start="2026-04-01", end="2026-04-30").json()
    assert (body["name"], body["count"], body["next"], body["previous"]) == ("retention", 2, None, None)
    assert [c["key"] for c in body["columns"]] == [
        "council_gss", "council_name", "job_role_code", "job_role_name", "months", "due", "answered",
        "retained", "retention_rate",
    ]
    name = body["results"][0]["job_role_name"]
    assert body["results"] == [
        {"council_gss": "E08000025", "council_name": "Birmingham", "job_role_code": 8, "job_role_name": name,
         "months": 3, "due": 2, "answered": 2, "retained": 2, "retention_rate": 100},
        {"council_gss": "E08000026", "council_name": "Coventry", "job_role_code": 8, "job_role_name": name,
         "months": 3, "due": 6, "answered": 6, "retained": 5, "retention_rate": 83.3},
    ]
    body = api(secret, "/api/v1/regional/retention/", start="2026-04-01", end="2026-04-30",
               council="E08000026", page_size=1).json()
    assert [r["council_gss"] for r in body["results"]] == ["E08000026"]
    response = api(secret, "/api/v1/regional/no-such-dataset/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = api(secret, "/api/v1/regional/flow/", start="2026-05-01", end="2026-04-01")
    assert response.status_code == 400 and list(response.json()["parameters"]) == ["end"]


@pytest.mark.parametrize("path", [
    "/api/v1/campaigns/come-back-to-care/funnel/?start=9999-12-31&end=9999-12-31",
    "/api/v1/campaigns/come-back-to-care/funnel/?start=0001-01-01&end=0001-01-02",
    "/api/v1/vacancies/?end=9999-12-31",
    "/api/v1/regional/flow/?end=9999-12-31",
    "/api/v1/regional/councils/?start=0001-01-01",
    "/api/v1/workforce/?end=0001-01-01",
])
def test_dates_that_would_overflow_answer_400(personas, make_token, api, path):
    """Found by probing: a period next to year 1 or 9999 cannot be shifted or bounded."""
    from carerecruit.testing.factories import make_campaign

    make_campaign()
    path, query = path.split("?")
    params = dict(pair.split("=") for pair in query.split("&"))
    response = api(make_token(personas.council_a), path, **params)
    assert response.status_code == 400
    parameters = response.json()["parameters"]
    assert parameters and all(v == ["Enter a date from 1900-01-01 to 2999-12-31."] for v in parameters.values())


def test_a_regional_token_is_suppressed_once_its_maker_is_no_longer_a_regional_admin(personas, region, make_token, api):
    secret = make_token(personas.regional_body, maker=personas.regional_admin)
    assert api(secret, "/api/v1/placements/").json()["results"][0]["placements"] == 2
    personas.regional_admin.role = "viewer"
    personas.regional_admin.save()
    assert api(secret, "/api/v1/placements/").json()["results"][0]["placements"] == "<5"


@pytest.mark.parametrize("path", [
    "/api/v1/campaigns/", "/api/v1/campaigns/come-back-to-care/funnel/", "/api/v1/vacancies/",
    "/api/v1/placements/", "/api/v1/workforce/", "/api/v1/regional/councils/",
])
def test_head_answers_like_get_without_a_body(personas, region, make_token, client, path):
    headers = {"Authorization": f"Bearer {make_token(personas.council_a)}"}
    get = client.get(path, headers=headers)
    head = client.head(path, headers=headers)
    assert (get.status_code, head.status_code) == (200, 200)
    assert head["Content-Type"] == get["Content-Type"] == "application/json"
    assert head.content == b""
    assert head.get("Content-Length") == get.get("Content-Length") == str(len(get.content))
    bad = client.head(path, {"nonsense": "1"}, headers=headers)
    assert (bad.status_code, bad.content) == (400, b"")
