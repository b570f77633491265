"""Acceptance (issue 5): a token of council A never returns council B's unsuppressed
small numbers (1-4), nor any personal data, from any endpoint."""

import pytest

from carerecruit.api.tests.fixtures import PERSONAL_DATA
from carerecruit.api.tests.test_endpoints import _vacancy
from carerecruit.regional.datasets import DATASET_NAMES

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/campaigns/",
    "/api/v1/campaigns/come-back-to-care/funnel/?start=2020-04-01&end=2020-05-31",
    "/api/v1/campaigns/come-back-to-care/funnel/?start=2026-01-01&end=2026-05-01&granularity=week",
    "/api/v1/vacancies/",
    "/api/v1/placements/",
    "/api/v1/workforce/",
    "/api/v1/workforce/?council=E08000026",
    "/api/v1/placements/?council=E08000026&role=8",
    *[f"/api/v1/regional/{name}/" for name in DATASET_NAMES],
    "/api/v1/regional/retention/?start=2026-01-01&end=2026-12-31",
    "/api/v1/regional/flow/?start=2026-01-01",
]
COUNT_FIELDS = {
    "placements", "filled_posts", "directly_employed", "permanent", "temporary", "pool_bank", "agency",
    "other_contract", "starters", "leavers", "vacancies",
} | {f"retention_{m}m_{n}" for m in (3, 6, 12) for n in ("due", "in_post", "left")}


def test_council_a_sees_no_small_numbers_of_council_b_and_no_personal_data(personas, region, make_token, client):
    _vacancy(region.campaign, personas.council_b, personas.council_b, "Care worker")
    assert len(PERSONAL_DATA) == 40  # 8 candidates: name, e-mail, phone, postcode, national number
    secret = make_token(personas.council_a)
    checked_rows = 0
    for path in ENDPOINTS:
        response = client.get(path, headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200, path
        text = response.content.decode()
        for personal in PERSONAL_DATA:
            assert personal.lower() not in text.lower(), (path, personal)
        body = response.json()
        # Not people, so never suppressed (carerecruit.workforce.suppression): open
        # vacancy posts (public on /vacancies/) and workplaces.
        counts = (COUNT_FIELDS | {c["key"] for c in body.get("columns", []) if c["kind"] == "count"}) - {
            "open_vacancy_posts", "workplaces",
        }
        for row in body.get("results", []):
            if row.get("council_gss") == "E08000026":
                checked_rows += 1
                for field in counts & set(row):
                    assert not (isinstance(row[field], int) and 1 <= row[field] <= 4), (path, field, row[field])
                if "retention_3m_rate" in row:
                    assert row["retention_3m_rate"] == "withheld"  # from 1 leaver
    # Coventry rows: placements ×2, workforce ×2, its vacancy, and in the regional
    # datasets: councils, demand ×2 (all roles and care workers), retention, flow ×2.
    assert checked_rows >= 10


def test_council_b_sees_its_own_small_numbers(personas, region, make_token, client):
    secret = make_token(personas.council_b)
    rows = client.get("/api/v1/placements/?council=E08000026", headers={"Authorization": f"Bearer {secret}"}).json()
    assert rows["results"][0]["retention_3m_left"] == 1


PEOPLE_STEPS = ("applications", "shortlisted", "placed", "retained_6m")


def _funnel_rows(body):
    return [("totals", body["totals"])] + [("period", row) for row in body["periods"]] + [
        ("channel", row) for row in body["channels"]
    ]


def test_a_council_token_gets_no_small_people_counts_from_the_funnel(personas, region, make_token, api):
    """The tester's case: a council's token read placed/retained 1-4 per channel and per
    day from the funnel while /regional/campaign-return/ said "<5"."""
    from carerecruit.insights.tests.helpers import make_application, make_events, utc

    at = utc(2020, 4, 22, 10)
    make_events("shortlisted", 4, region.campaign, at, channel="instagram")
    make_events("placed", 3, region.campaign, at, channel="instagram")
    make_events("retained_6m", 2, region.campaign, at, channel="instagram")
    make_events("application", 3, region.campaign, at, channel="instagram")
    make_events("visit", 9, region.campaign, at, channel="instagram")
    for _ in range(3):  # the applications themselves, which the regional dataset counts
        make_application(region.campaign, at, channel="instagram")
    path = "/api/v1/campaigns/come-back-to-care/funnel/"
    for organisation in (personas.council_a, personas.council_b, personas.provider):
        secret = make_token(organisation)
        for granularity in ("day", "week"):
            body = api(secret, path, start="2020-04-20", end="2020-04-28", granularity=granularity).json()
            for where, row in _funnel_rows(body):
                for step in PEOPLE_STEPS:
                    assert not (isinstance(row[step], int) and 1 <= row[step] <= 4), (where, row, step)
        body = api(secret, path, start="2020-04-20", end="2020-04-28").json()
        channels = {row["channel"]: row for row in body["channels"]}
        assert {k: channels["instagram"][k] for k in (*PEOPLE_STEPS, "visits")} == {
            "applications": "<5", "shortlisted": "<5", "placed": "<5", "retained_6m": "<5", "visits": 9,
        }
        assert channels["facebook"]["applications"] == "<5"
        assert channels["facebook"]["clicks"] == 5  # anonymous: never suppressed
        assert body["periods"][2]["placed"] == "<5"  # 22 April
        assert (body["totals"]["applications"], body["totals"]["visits"]) == ("<5", 14)
        # The regional dataset says the same for the same token.
        regional = api(secret, "/api/v1/regional/campaign-return/", start="2020-04-20", end="2020-04-28").json()
        by_channel = {row["channel"]: row for row in regional["results"]}
        assert by_channel["instagram"]["applications"] == "<5"


def test_the_regional_admins_token_gets_exact_funnel_figures(personas, region, make_token, api):
    from carerecruit.insights.tests.helpers import make_events, utc

    make_events("placed", 3, region.campaign, utc(2020, 4, 22, 10), channel="instagram")
    # make_token's tokens are made by the regional admin: UNRESTRICTED for the regional body.
    body = api(make_token(personas.regional_body), "/api/v1/campaigns/come-back-to-care/funnel/",
               start="2020-04-20", end="2020-04-28").json()
    channels = {row["channel"]: row for row in body["channels"]}
    assert channels["instagram"]["placed"] == 3
    assert channels["facebook"]["applications"] == 1
    assert body["periods"][2]["placed"] == 3
    assert body["totals"]["placed"] == 3
