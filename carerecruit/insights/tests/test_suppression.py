"""Small-number suppression on the campaign dashboards, their partials and downloads
(issue 5; carerecruit/insights/suppression.py).

The scene: the regional body's campaign, 20 to 23 April 2020.

- Facebook: 20 clicks, 12 visits, 8 form starts, 3 applications, 2 shortlisted,
  1 placed; Meta: 1,000 impressions, 40 platform clicks, £60.00.
- LinkedIn: 10 clicks, 8 visits, 5 form starts, 7 applications, 5 shortlisted.
- Totals: 10 applications, 7 shortlisted, 1 placed, 0 retained.
- Applications by council preference: Birmingham (council A) 3, Coventry (council B) 2,
  no preference 1.

Who sees what: the regional admin and campaign manager see every figure; the regional
body's read-only viewer too (its organisation runs the campaign); a council sees its own
council row exactly and 1 to 4 elsewhere as "<5"; a provider sees every 1 to 4 as "<5".
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from carerecruit.insights.alerts import describe
from carerecruit.insights.funnel import campaign_funnel
from carerecruit.insights.models import Alert
from carerecruit.insights.suppression import suppress_funnel
from carerecruit.testing.factories import make_campaign, make_link
from carerecruit.workforce.suppression import UNRESTRICTED

from .helpers import figures, make_ad_day, make_application, make_events, utc

D = datetime.date
PERIOD = "start_0=20&start_1=4&start_2=2020&end_0=23&end_1=4&end_2=2020"
PAGE = "/staff/campaigns/come-back-to-care/"
SMALL = "<5fewer than 5"  # What the page reads: "<5" shown, "fewer than 5" spoken.
WITHHELD = "withheldwithheld: computed from fewer than 5"


@pytest.fixture
def small_scene(db, personas):
    campaign = make_campaign()
    facebook = make_link(campaign, "facebook")
    linkedin = make_link(campaign, "linkedin")
    at = utc(2020, 4, 21, 9)
    for kind, n in (("click", 20), ("visit", 12), ("form_start", 8), ("application", 3),
                    ("shortlisted", 2), ("placed", 1)):
        make_events(kind, n, campaign, at, facebook)
    for kind, n in (("click", 10), ("visit", 8), ("form_start", 5), ("application", 7), ("shortlisted", 5)):
        make_events(kind, n, campaign, at, linkedin)
    make_ad_day(campaign, D(2020, 4, 21), 1000, 40, 6000)
    for _ in range(3):
        make_application(campaign, at, [personas.council_a])
    for _ in range(2):
        make_application(campaign, at, [personas.council_b])
    make_application(campaign, at, [])
    return campaign


def page(client, user, path=PAGE, query=PERIOD):
    client.force_login(user)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    return response


def csv_rows(client, user, name):
    response = page(client, user, f"{PAGE}download/{name}.csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- The dashboard page --------------------------------------------------------------


@pytest.mark.parametrize("persona", ["regional_admin", "campaign_manager", "viewer"])
def test_the_campaigns_own_organisation_sees_every_figure(client, personas, small_scene, persona):
    found = figures(page(client, getattr(personas, persona)).content)
    assert found[("data-channel", "facebook", "applications")] == "3"
    assert found[("data-channel", "facebook", "visit_to_application")] == "25.0%"
    assert found[("data-channel", "facebook", "cost_per_application")] == "£20.00"
    assert found[("placed",)] == "1"
    assert found[("data-step", "placed", "from_previous")] == "14.3%"
    assert found[("cost_per_placement",)] == "£60.00"
    assert found[("data-council", str(personas.council_a.pk), "applications")] == "3"
    assert found[("data-council", str(personas.council_b.pk), "applications")] == "2"
    assert found[("data-council", "none", "applications")] == "1"
    assert "data-suppression-note" not in page(client, getattr(personas, persona)).content.decode()


def test_a_council_sees_small_counts_of_others_suppressed_and_its_own_exact(client, personas, small_scene):
    response = page(client, personas.council_a_recruiter)
    found = figures(response.content)
    # People counts of 1 to 4: suppressed, with every rate and cost worked out from them.
    assert found[("data-channel", "facebook", "applications")] == SMALL
    assert found[("data-channel", "facebook", "shortlisted")] == SMALL
    assert found[("data-channel", "facebook", "placed")] == SMALL
    assert found[("data-channel", "facebook", "visit_to_application")] == WITHHELD
    assert found[("data-channel", "facebook", "cost_per_application")] == WITHHELD
    assert found[("data-channel", "facebook", "cost_per_placement")] == WITHHELD
    assert found[("placed",)] == SMALL
    assert found[("data-step", "placed", "from_previous")] == WITHHELD
    assert found[("data-step", "retained_6m", "from_previous")] == WITHHELD
    assert found[("cost_per_placement",)] == WITHHELD
    assert found[("data-day", "2020-04-21", "placed")] == SMALL
    assert found[("data-link", "all", "placed")] == SMALL
    # Zero discloses nobody; 5 and more are shown; so are anonymous counts and money.
    assert found[("retained_6m",)] == "0"
    assert found[("applications",)] == "10"
    assert found[("shortlisted",)] == "7"
    assert found[("data-channel", "linkedin", "applications")] == "7"
    assert found[("data-channel", "facebook", "clicks")] == "20"
    assert found[("data-channel", "facebook", "visits")] == "12"
    assert found[("data-channel", "facebook", "form_starts")] == "8"
    assert found[("data-channel", "facebook", "click_to_visit")] == "60.0%"
    assert found[("data-channel", "facebook", "spend_pence")] == "£60.00"
    assert found[("cost_per_application",)] == "£6.00"
    assert found[("data-step", "shortlisted", "from_previous")] == "70.0%"
    # The comparison period cannot give a hidden figure away by difference.
    assert found[("change:placed",)] == "not comparable"
    # Its own council row exactly, another council's and "no preference" suppressed.
    assert found[("data-council", str(personas.council_a.pk), "applications")] == "3"
    assert found[("data-council", str(personas.council_b.pk), "applications")] == SMALL
    assert found[("data-council", "none", "applications")] == SMALL
    html = response.content.decode()
    assert "Rate withheld: fewer than 5" in html
    assert "data-suppression-note" in html
    # No exact small people count is left in any chart's data either.
    spec = json.loads(re.search(
        r'<script id="cr-chart-spec-channels" type="application/json">(.*?)</script>', html, re.S,
    ).group(1))
    assert spec["datasets"]["values"] == [
        {"channel": "Facebook", "applications": None, "visits": 12},
        {"channel": "LinkedIn", "applications": 7, "visits": 8},
    ]
    assert "Counts of 1 to 4 people are not drawn" in json.dumps(spec)
    funnel_spec = json.loads(re.search(
        r'<script id="cr-chart-spec-funnel" type="application/json">(.*?)</script>', html, re.S,
    ).group(1))
    assert [row["count"] for row in funnel_spec["datasets"]["values"]] == [1000, 40, 30, 20, 13, 10, 7, None, 0]


def test_the_other_council_sees_its_own_row_and_not_council_a(client, personas, small_scene):
    found = figures(page(client, personas.council_b_recruiter).content)
    assert found[("data-council", str(personas.council_a.pk), "applications")] == SMALL
    assert found[("data-council", str(personas.council_b.pk), "applications")] == "2"
    assert found[("data-channel", "facebook", "applications")] == SMALL


def test_a_provider_sees_every_small_count_suppressed(client, personas, small_scene):
    found = figures(page(client, personas.provider_recruiter).content)
    assert found[("data-council", str(personas.council_a.pk), "applications")] == SMALL
    assert found[("data-council", str(personas.council_b.pk), "applications")] == SMALL
    assert found[("data-channel", "facebook", "applications")] == SMALL
    assert found[("placed",)] == SMALL


def test_the_live_partial_is_suppressed_like_the_page(client, personas, small_scene):
    client.force_login(personas.council_b_recruiter)
    partial = figures(client.get(f"{PAGE}live/?{PERIOD}").content)
    full = figures(client.get(f"{PAGE}?{PERIOD}").content)
    # The whole page has the target cost besides; every figure of the partial is the same.
    assert partial == {key: value for key, value in full.items() if key in partial}
    assert len(partial) > 200
    assert partial[("data-channel", "facebook", "applications")] == SMALL


# --- Downloads match the page --------------------------------------------------------


def test_downloads_match_the_page_for_a_council(client, personas, small_scene):
    user = personas.council_a_recruiter
    assert csv_rows(client, user, "councils") == [
        ["Council area preferred", "Applications", "Placed"],
        ["Birmingham City Council", "3", "0"],
        ["Coventry City Council", "<5", "0"],
        ["No preference given", "<5", "0"],
    ]
    channels = {row[0]: row for row in csv_rows(client, user, "channels")}
    header = channels["Channel"]
    facebook = dict(zip(header, channels["Facebook"], strict=True))
    assert (facebook["Applications"], facebook["Shortlisted"], facebook["Placed"]) == ("<5", "<5", "<5")
    assert (facebook["Cost per application (£)"], facebook["Visit to application (%)"]) == ("withheld", "withheld")
    assert (facebook["Visits"], facebook["Spend (£)"], facebook["Click to visit (%)"]) == ("12", "60.00", "60.0")
    assert dict(zip(header, channels["All channels"], strict=True))["Applications"] == "10"
    funnel = {row[0]: row for row in csv_rows(client, user, "funnel")}
    assert funnel["Placed"] == ["Placed", "<5", "withheld", "0"]
    assert funnel["Shortlisted"] == ["Shortlisted", "7", "70.0", "0"]
    comparison = {row[0]: row for row in csv_rows(client, user, "comparison")}
    assert comparison["Placed"][1:4] == ["<5", "0", ""]
    assert comparison["Cost per placement (£)"][1] == "withheld"
    days = {row[0]: row for row in csv_rows(client, user, "days")}
    assert dict(zip(days["Local date"], days["2020-04-21"], strict=True))["Placed"] == "<5"

    client.force_login(personas.council_b_recruiter)
    response = client.get(f"{PAGE}download/councils.xlsx?{PERIOD}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()][1:] == [
        ["Birmingham City Council", "<5", 0],
        ["Coventry City Council", 2, 0],
        ["No preference given", "<5", 0],
    ]


def test_downloads_are_exact_for_the_campaign_manager(client, personas, small_scene):
    assert csv_rows(client, personas.campaign_manager, "councils")[1:] == [
        ["Birmingham City Council", "3", "0"],
        ["Coventry City Council", "2", "0"],
        ["No preference given", "1", "0"],
    ]
    funnel = {row[0]: row for row in csv_rows(client, personas.campaign_manager, "funnel")}
    assert funnel["Placed"] == ["Placed", "1", "14.3", "0"]


def test_the_overview_and_its_downloads_for_a_provider(client, personas, small_scene):
    found = figures(page(client, personas.provider_recruiter, "/staff/insights/").content)
    assert found[("data-campaign", "come-back-to-care", "applications")] == "10"
    assert found[("data-campaign", "come-back-to-care", "placed")] == SMALL
    assert found[("data-campaign", "come-back-to-care", "cost_per_placement")] == WITHHELD
    assert found[("data-audience", "1", "placed")] == SMALL
    assert found[("data-council", str(personas.council_a.pk), "applications")] == SMALL
    response = client.get(f"/staff/insights/download/councils.csv?{PERIOD}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1:] == [
        ["Birmingham City Council", "<5", "0"],
        ["Coventry City Council", "<5", "0"],
        ["No preference given", "<5", "0"],
    ]
    response = client.get(f"/staff/insights/download/campaigns.csv?{PERIOD}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Applications"], row["Placed"], row["Cost per placement (£)"]) == ("10", "<5", "withheld")


def test_the_last_30_minutes_are_suppressed(client, personas, small_scene):
    now = timezone.now()
    make_events("application", 2, small_scene, now - datetime.timedelta(minutes=1))
    make_events("visit", 3, small_scene, now - datetime.timedelta(minutes=1))
    council = figures(page(client, personas.council_a_recruiter).content)
    assert council[("data-bucket", "all", "applications")] == SMALL
    assert council[("data-bucket", "all", "visits")] == "3"
    manager = figures(page(client, personas.campaign_manager).content)
    assert manager[("data-bucket", "all", "applications")] == "2"
    client.force_login(personas.provider_recruiter)
    live = list(csv.reader(io.StringIO(
        client.get(f"{PAGE}download/live.csv").content.decode("utf-8-sig")
    )))
    assert live[-1] == ["Last 30 minutes", "", "0", "3", "0", "<5"]


# --- The functions ---------------------------------------------------------------------


def test_suppress_funnel_leaves_the_unrestricted_viewer_alone(personas, small_scene):
    funnel = suppress_funnel(campaign_funnel(small_scene, D(2020, 4, 20), D(2020, 4, 23)), UNRESTRICTED)
    assert funnel.totals.count("placed") == 1
    restricted = suppress_funnel(
        campaign_funnel(small_scene, D(2020, 4, 20), D(2020, 4, 23)), personas.provider.pk,
    )
    assert restricted.totals.count("placed") == "<5"
    assert restricted.totals.raw("placed") == 1
    assert restricted.totals.rate("application_to_placed") == "withheld"
    assert restricted.totals.cost("cost_per_placement") == "withheld"
    assert restricted.totals.summary() == "30 clicks, 20 visits, 13 form starts and 10 applications"
    assert restricted.channels[0].counts.summary() == (
        "20 clicks, 12 visits, 8 form starts and fewer than 5 applications"
    )


def test_an_alert_text_hides_a_small_count(small_scene):
    alert = Alert(
        campaign=small_scene, kind=Alert.Kind.COST_PER_APPLICATION, channel="facebook", local_date=D(2020, 4, 21),
        detail={"spend_pence": 6000, "applications": 3, "cost_per_application_pence": 2000,
                "window_start": "2020-04-15", "window_end": "2020-04-21", "target_pence": 1000},
    )
    assert "3 applications" in describe(alert)
    assert "£20.00 per application" in describe(alert)
    hidden = describe(alert, hide_small=True)
    assert "fewer than 5 applications" in hidden
    assert "£20.00" not in hidden
    assert " 3 " not in hidden


def test_a_hidden_count_above_the_step_before_is_withheld_not_a_dash(personas):
    from carerecruit.insights.funnel import Counts

    counts = Counts(visits=10, applications=2, shortlisted=3).suppress_for(personas.council_a.pk, personas.regional_body.pk)
    assert counts.rate("application_to_shortlisted") == "withheld"  # not None: that would say 3 > 2
    assert counts.rate("visit_to_application") == "withheld"
    assert Counts(visits=10).suppress_for(personas.council_a.pk, personas.regional_body.pk).rate(
        "visit_to_application") == Decimal("0.0")
    own = Counts(visits=10, applications=2, shortlisted=3).suppress_for(
        personas.regional_body.pk, personas.regional_body.pk,
    )
    assert (own.count("applications"), own.rate("application_to_shortlisted")) == (2, None)
