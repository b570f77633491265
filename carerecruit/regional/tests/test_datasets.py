"""Exact figures for every dataset from the small region in ``fixtures.py``, and who
sees what (suppression)."""

import datetime
from decimal import Decimal

import pytest

from carerecruit.regional.datasets import (
    DATASET_NAMES,
    UNRESTRICTED,
    Filters,
    UnknownDataset,
    add_months,
    build_dataset,
    build_datasets,
    median_from_counts,
)
from carerecruit.regional.tests.fixtures import CARE_WORKER, END, START, make_region

pytestmark = pytest.mark.django_db
APRIL = Filters(START, END)
TO_OCTOBER = Filters(START, datetime.date(2026, 10, 31))


@pytest.fixture
def region(personas):
    return make_region(personas)


def by_gss(dataset):
    return {row["council_gss"]: row for row in dataset.rows}


def test_names_and_unknown():
    assert DATASET_NAMES == ("councils", "supply", "demand", "flow", "retention", "campaign-return")
    with pytest.raises(UnknownDataset):
        build_dataset("people", viewer=UNRESTRICTED, filters=Filters())
    with pytest.raises(ValueError):
        build_dataset("councils", viewer=UNRESTRICTED, filters=Filters(END, START))


def test_councils_unrestricted(region):
    data = build_dataset("councils", viewer=UNRESTRICTED, filters=APRIL)
    assert len(data.rows) == 14  # every West Midlands council, zeros included
    rows = by_gss(data)
    a, b = rows["E08000025"], rows["E08000026"]
    assert (a["council_name"], a["latitude"], a["longitude"]) == ("Birmingham", Decimal("52.48850"), Decimal("-1.87480"))
    # a3 at 22:30 UTC on 30 April is 23:30 BST: April. a4 at 23:30 UTC is 1 May: not counted.
    assert (a["applications"], a["placements"]) == (3, 1)
    assert (b["applications"], b["placements"]) == (3, 3)
    # c7 withdrew consent: the talent bank removed their rows, so never counted.
    assert (a["talent_bank_candidates"], b["talent_bank_candidates"]) == (3, 3)
    # Open on 30 April: the open vacancy's 2 posts; not the closed (10 April) or draft ones.
    assert (a["open_vacancy_posts"], b["open_vacancy_posts"]) == (2, 1)
    assert (a["reported_vacancies"], a["filled_posts"], a["vacancy_rate"], a["turnover_rate"]) == (
        6, 25, Decimal("21.4"), Decimal("47.6"))
    wolverhampton = rows["E08000031"]
    assert (wolverhampton["applications"], wolverhampton["reported_vacancies"]) == (0, None)


def test_councils_filtered_by_council_and_role(region):
    data = build_dataset("councils", viewer=UNRESTRICTED, filters=Filters(START, END, region.a.pk, CARE_WORKER))
    [a] = data.rows
    assert (a["council_gss"], a["applications"], a["talent_bank_candidates"], a["open_vacancy_posts"]) == (
        "E08000025", 3, 3, 2)
    assert (a["reported_vacancies"], a["filled_posts"], a["vacancy_rate"]) == (5, 15, Decimal("25.0"))
    other_role = build_dataset("councils", viewer=UNRESTRICTED, filters=Filters(START, END, region.a.pk, 7))
    assert (other_role.rows[0]["applications"], other_role.rows[0]["talent_bank_candidates"]) == (0, 0)


def test_supply(region):
    data = build_dataset("supply", viewer=UNRESTRICTED, filters=APRIL)
    got = [(r["council_name"], r["job_role_code"], r["availability"], r["hours_wanted"], r["candidates"]) for r in data.rows]
    assert got == [
        ("Birmingham", 8, "Available now", "Full time (30 hours a week or more)", 1),
        ("Birmingham", 8, "Available within 3 months", "Full time (30 hours a week or more)", 1),
        ("Birmingham", 8, "Start date not given", "Part time (under 30 hours a week)", 1),
        ("Coventry", 8, "Available now", "Full time (30 hours a week or more)", 3),
    ]


def test_demand(region):
    data = build_dataset("demand", viewer=UNRESTRICTED, filters=APRIL)
    rows = {(r["council_gss"], r["job_role_code"]): r for r in data.rows}
    assert sorted({code for _gss, code in rows}) == [1, 4, 7, 8, 25, 40]
    care = rows[("E08000026", 8)]
    assert (care["job_role_name"], care["open_vacancy_posts"], care["reported_vacancies"], care["filled_posts"]) == (
        "Care worker", 1, 5, 15)
    assert (care["vacancy_rate"], care["turnover_rate"], care["workplaces"]) == (Decimal("25.0"), Decimal("58.3"), 2)
    assert rows[("E08000025", 25)]["vacancy_rate"] is None  # "don't know" only


def test_flow_months_in_local_time(region):
    data = build_dataset("flow", viewer=UNRESTRICTED, filters=TO_OCTOBER)
    rows = {(r["council_gss"], r["month"]): r for r in data.rows}
    assert sorted(rows) == [
        ("E08000025", "2026-04"), ("E08000025", "2026-05"), ("E08000025", "2026-07"), ("E08000025", "2026-08"),
        ("E08000025", "2026-10"), ("E08000026", "2026-04"), ("E08000026", "2026-07"), ("E08000026", "2026-10"),
    ]
    april, may = rows[("E08000025", "2026-04")], rows[("E08000025", "2026-05")]
    assert (april["applications"], april["placements"], april["median_days_to_hire"]) == (3, 1, Decimal("10"))
    # Routed and placed at 23:30 UTC on 30 April: 00:30 BST on 1 May.
    assert (may["applications"], may["placements"], may["median_days_to_hire"]) == (1, 1, Decimal("11"))
    b_april = rows[("E08000026", "2026-04")]
    assert (b_april["applications"], b_april["placements"], b_april["median_days_to_hire"]) == (3, 3, Decimal("9"))
    b_july = rows[("E08000026", "2026-07")]
    assert (b_july["retained_3m"], b_july["answered_3m"], b_july["retention_3m"]) == (2, 3, Decimal("66.7"))
    assert rows[("E08000025", "2026-07")]["retention_3m"] == Decimal("100.0")
    # "Not known" is not an answer: no rate.
    a_aug = rows[("E08000025", "2026-08")]
    assert (a_aug["retained_3m"], a_aug["answered_3m"], a_aug["retention_3m"]) == (0, 0, None)
    a_oct = rows[("E08000025", "2026-10")]
    assert (a_oct["retained_6m"], a_oct["answered_6m"], a_oct["retention_6m"]) == (0, 1, Decimal("0.0"))


def test_retention(region):
    data = build_dataset("retention", viewer=UNRESTRICTED, filters=TO_OCTOBER)
    got = [(r["council_name"], r["job_role_code"], r["months"], r["due"], r["answered"], r["retained"], r["retention_rate"])
           for r in data.rows]
    assert got == [
        ("Birmingham", 8, 3, 2, 1, 1, Decimal("100.0")),
        ("Birmingham", 8, 6, 1, 1, 0, Decimal("0.0")),
        ("Coventry", 8, 3, 3, 3, 2, Decimal("66.7")),
        ("Coventry", 8, 6, 1, 1, 1, Decimal("100.0")),
    ]


def test_campaign_return(region):
    data = build_dataset("campaign-return", viewer=UNRESTRICTED, filters=APRIL)
    rows = {r["channel"]: r for r in data.rows}
    facebook, email = rows["facebook"], rows["email"]
    # £300.00 on 10 April; the £10.00 on 2 May is outside the period.
    assert (facebook["spend_pence"], facebook["applications"], facebook["placements"], facebook["retained_6m"]) == (
        30_000, 5, 5, 1)
    assert (facebook["cost_per_application_pence"], facebook["cost_per_placement_pence"],
            facebook["cost_per_retained_pence"]) == (6_000, 6_000, 30_000)
    assert (email["spend_pence"], email["applications"], email["cost_per_placement_pence"]) == (None, 1, None)
    # A period total counts only when its whole range is inside the period.
    assert (rows["linkedin"]["spend_pence"], rows["linkedin"]["applications"]) == (5_000, 0)
    may = {r["channel"]: r for r in build_dataset(
        "campaign-return", viewer=UNRESTRICTED, filters=Filters(START, datetime.date(2026, 5, 31))).rows}
    assert may["linkedin"]["spend_pence"] == 12_000
    whole = {r["channel"]: r for r in build_dataset("campaign-return", viewer=UNRESTRICTED, filters=Filters()).rows}
    assert (whole["facebook"]["spend_pence"], whole["facebook"]["cost_per_placement_pence"]) == (31_000, 6_200)
    assert whole["email"]["applications"] == 2


def test_council_a_sees_its_own_small_numbers_and_not_b(region, personas):
    data = build_datasets(viewer=personas.council_a.pk, filters=TO_OCTOBER)
    councils = by_gss(data["councils"])
    a, b = councils["E08000025"], councils["E08000026"]
    assert (a["applications"], a["placements"], a["talent_bank_candidates"]) == (4, 2, 3)
    assert (b["applications"], b["placements"], b["talent_bank_candidates"]) == ("<5", "<5", "<5")
    flow = {(r["council_gss"], r["month"]): r for r in data["flow"].rows}
    assert flow[("E08000025", "2026-04")]["applications"] == 3
    assert flow[("E08000025", "2026-04")]["median_days_to_hire"] == Decimal("10")
    b_july = flow[("E08000026", "2026-07")]
    assert (b_july["retained_3m"], b_july["answered_3m"], b_july["retention_3m"]) == ("<5", "<5", "withheld")
    assert flow[("E08000026", "2026-04")]["median_days_to_hire"] == "withheld"
    # ASC-WDS: A's own return in full, B's small role figures suppressed.
    demand = {(r["council_gss"], r["job_role_code"]): r for r in data["demand"].rows}
    assert (demand[("E08000025", 7)]["reported_vacancies"], demand[("E08000025", 7)]["vacancy_rate"]) == (1, Decimal("25.0"))
    assert (demand[("E08000026", 7)]["reported_vacancies"], demand[("E08000026", 7)]["vacancy_rate"]) == ("<5", "withheld")
    # Zero is shown to everyone: it discloses nobody.
    assert councils["E08000031"]["applications"] == 0
    # Campaign figures belong to the organisation running the campaign (the regional
    # body here), as on the campaign dashboards: a council sees its small numbers as <5.
    facebook = {r["channel"]: r for r in data["campaign-return"].rows}["facebook"]
    assert (facebook["applications"], facebook["retained_6m"], facebook["cost_per_retained_pence"]) == (5, "<5", "withheld")
    assert facebook["spend_pence"] == 31_000  # money is not people


def test_the_campaign_owner_s_viewer_sees_its_campaigns_small_numbers(region, personas):
    from carerecruit.campaigns.models import Campaign

    assert set(Campaign.objects.values_list("owner_id", flat=True)) == {personas.regional_body.pk}
    rows = build_dataset("campaign-return", viewer=personas.regional_body.pk, filters=TO_OCTOBER).rows
    facebook = {r["channel"]: r for r in rows}["facebook"]
    assert (facebook["retained_6m"], facebook["cost_per_retained_pence"]) == (1, 31_000)


def test_public_sees_every_small_number_suppressed(region):
    data = build_datasets(viewer=None, filters=TO_OCTOBER)
    for dataset in data.values():
        for row in dataset.rows:
            for column in dataset.columns:
                value = row[column.key]
                if column.kind == "count" and column.key != "workplaces" and isinstance(value, int):
                    assert value == 0 or value >= 5, (dataset.name, column.key, row)
    councils = by_gss(data["councils"])
    assert (councils["E08000025"]["applications"], councils["E08000025"]["placements"]) == ("<5", "<5")
    assert (councils["E08000025"]["reported_vacancies"], councils["E08000025"]["filled_posts"]) == (6, 25)


def test_helpers():
    assert median_from_counts({}) is None
    assert median_from_counts({10: 1, 1: 1}) == Decimal("5.5")
    assert median_from_counts({3: 2, 9: 1}) == Decimal("3")
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)


def test_job_role_is_the_asc_wds_code_not_the_primary_key(region, personas):
    """Codes run 1-11 then 15, 16, ...: from code 15 on a JobRole's primary key is not its
    code, and every dataset filters and reports by the code."""
    from carerecruit.reference.models import JobRole
    from carerecruit.regional.tests import fixtures

    senior = JobRole.objects.get(code=25)
    assert senior.pk != 25
    a = region.a
    app = fixtures.application(region.campaign, a, "2026-04-12T10:00", "facebook")
    app.job_roles.set([senior])
    placement = fixtures.place(app, "2026-04-22T10:00", datetime.date(2026, 4, 27), {3: "in_post"})
    placement.job_role = senior
    placement.save(update_fields=["job_role"])
    person = fixtures.talent(a, datetime.date(2026, 4, 1), "full_time")
    person.talent_roles.update(job_role=senior)
    vacancy = fixtures.vacancy(a, region.campaign, 3, "open", published="2026-04-01T09:00")
    vacancy.job_role = senior
    vacancy.save(update_fields=["job_role"])

    seniors = Filters(START, datetime.date(2026, 7, 31), job_role_code=25)
    [row] = [r for r in build_dataset("councils", viewer=UNRESTRICTED, filters=seniors).rows if r["council_gss"] == "E08000025"]
    assert (row["applications"], row["placements"], row["talent_bank_candidates"]) == (1, 1, 1)
    april_seniors = Filters(START, END, job_role_code=25)
    [row] = [r for r in build_dataset("councils", viewer=UNRESTRICTED, filters=april_seniors).rows
             if r["council_gss"] == "E08000025"]
    assert row["open_vacancy_posts"] == 3  # closes 30 June: open on 30 April

    supply = build_dataset("supply", viewer=UNRESTRICTED, filters=seniors).rows
    assert [(r["council_name"], r["job_role_code"], r["job_role_name"], r["candidates"]) for r in supply] == [
        ("Birmingham", 25, senior.name, 1)]
    everyone = build_dataset("supply", viewer=UNRESTRICTED, filters=APRIL).rows
    assert sorted({r["job_role_code"] for r in everyone}) == [8, 25]

    demand = {(r["council_gss"], r["job_role_code"]): r for r in build_dataset("demand", viewer=UNRESTRICTED, filters=APRIL).rows}
    assert demand[("E08000025", 25)]["open_vacancy_posts"] == 3
    assert demand[("E08000025", 8)]["open_vacancy_posts"] == 2

    flow = {(r["council_gss"], r["month"]): r for r in build_dataset("flow", viewer=UNRESTRICTED, filters=seniors).rows}
    assert (flow[("E08000025", "2026-04")]["applications"], flow[("E08000025", "2026-04")]["placements"]) == (1, 1)
    assert flow[("E08000025", "2026-07")]["retained_3m"] == 1

    retention = build_dataset("retention", viewer=UNRESTRICTED, filters=seniors).rows
    assert [(r["council_name"], r["job_role_code"], r["months"], r["retained"]) for r in retention] == [
        ("Birmingham", 25, 3, 1)]
    # The primary key 25 is another role's: nothing of the senior care worker's shows there.
    other = JobRole.objects.get(pk=25)
    assert other.code != 25
    by_pk = Filters(START, END, job_role_code=other.code)
    [row] = [r for r in build_dataset("councils", viewer=UNRESTRICTED, filters=by_pk).rows if r["council_gss"] == "E08000025"]
    assert (row["applications"], row["placements"], row["talent_bank_candidates"], row["open_vacancy_posts"]) == (0, 0, 0, 0)
