"""The figures the dashboard and API read: by council, by job role, for a date, with the
owner known for suppression."""

import datetime
from decimal import Decimal

import pytest

from carerecruit.workforce.actions import do_import_published_estimates
from carerecruit.workforce.aggregates import (
    effective_returns,
    figures_by_council,
    figures_by_council_and_role,
    figures_by_role,
    latest_published_estimates,
    published_estimates,
    region_figures,
    workforce_figures,
)
from carerecruit.workforce.suppression import suppressed_figures, suppression_viewer
from carerecruit.workforce.tests.helpers import (
    AS_AT,
    WORKER_VALID,
    WORKPLACE_VALID,
    fixture_bytes,
    import_bytes,
    import_valid,
    replace_cell,
)

pytestmark = pytest.mark.django_db
SEPTEMBER = datetime.date(2026, 9, 30)


@pytest.fixture
def returns(personas):
    """Birmingham council's own return and a provider's return in Coventry, both as at
    31 March 2026."""
    birmingham = import_valid(organisation=personas.council_a).workforce_return
    provider = import_valid(organisation=personas.provider, council=personas.council_b).workforce_return
    return birmingham, provider


def test_by_council(personas, returns):
    birmingham, coventry = figures_by_council(as_at=AS_AT)
    assert (birmingham.council_name, birmingham.council_gss, birmingham.job_role_code) == ("Birmingham", "E08000025", None)
    assert (coventry.council_name, coventry.council_gss) == ("Coventry", "E08000026")
    for figures in (birmingham, coventry):
        assert (figures.workplaces, figures.filled_posts, figures.directly_employed) == (3, 25, 21)
        assert (figures.vacancies, figures.starters, figures.leavers) == (6, 6, 10)
        assert (figures.vacancy_rate, figures.turnover_rate) == (Decimal("21.4"), Decimal("47.6"))
        assert figures.contract_mix == {1: 19, 2: 2, 3: 1, 4: 2, 7: 1}
        assert figures.latest_as_at == AS_AT
    assert birmingham.sole_owner_id == personas.council_a.pk
    assert coventry.sole_owner_id == personas.provider.pk


def test_by_role_and_by_council_and_role(personas, returns):
    roles = {f.job_role_code: f for f in figures_by_role(as_at=AS_AT)}
    assert sorted(roles) == [1, 4, 7, 8, 25, 40]
    care = roles[8]
    assert (care.job_role_name, care.council_id, care.filled_posts, care.vacancies) == ("Care worker", None, 30, 10)
    assert (care.vacancy_rate, care.turnover_rate) == (Decimal("25.0"), Decimal("58.3"))
    assert care.sole_owner_id is None  # two organisations' returns
    assert roles[25].vacancy_rate is None  # only "don't know" answers
    rows = figures_by_council_and_role(as_at=AS_AT, job_roles=[8, 4])
    assert [(f.council_name, f.job_role_code, f.filled_posts) for f in rows] == [
        ("Birmingham", 4, 2), ("Birmingham", 8, 15), ("Coventry", 4, 2), ("Coventry", 8, 15),
    ]
    only = figures_by_council_and_role(as_at=AS_AT, councils=[personas.council_b], job_roles=[8])
    assert [(f.council_name, f.filled_posts, f.sole_owner_id) for f in only] == [("Coventry", 15, personas.provider.pk)]


def test_region(personas, returns):
    region = region_figures(as_at=AS_AT)
    assert (region.council_id, region.job_role_code, region.workplaces) == (None, None, 6)
    assert (region.filled_posts, region.vacancies, region.leavers) == (50, 12, 20)
    assert (region.vacancy_rate, region.turnover_rate) == (Decimal("21.4"), Decimal("47.6"))
    assert region.sole_owner_id is None
    assert region_figures(as_at=datetime.date(2026, 3, 30)) is None
    assert workforce_figures(by_council=False, as_at=datetime.date(2026, 3, 30)) == []


def test_each_organisation_counts_once_with_its_newest_return(personas, returns):
    # Birmingham's September return: 10 more care worker vacancies at the care home.
    workplace = replace_cell(fixture_bytes(WORKPLACE_VALID), 2, "VACANCIES", "12;1;0")
    import_bytes(workplace, fixture_bytes(WORKER_VALID), organisation=personas.council_a, as_at=SEPTEMBER)
    assert effective_returns(AS_AT).count() == 2
    assert effective_returns(SEPTEMBER).count() == 2
    assert effective_returns(datetime.date(2026, 1, 1)).count() == 0

    def birmingham(day):
        return {f.council_name: f for f in figures_by_council(as_at=day)}["Birmingham"]

    assert birmingham(datetime.date(2026, 6, 30)).vacancies == 6
    in_september = birmingham(SEPTEMBER)
    assert (in_september.vacancies, in_september.filled_posts, in_september.latest_as_at) == (16, 25, SEPTEMBER)
    assert in_september.vacancy_rate == Decimal("42.1")  # 16 of (22 + 16)


def test_suppression_of_another_organisations_small_numbers(personas, returns):
    rows = {(f.council_name, f.job_role_code): f for f in figures_by_council_and_role(as_at=AS_AT)}
    managers_in_coventry = rows[("Coventry", 4)]  # the provider's 2 registered managers
    as_coventry = suppressed_figures(managers_in_coventry, viewer_org=suppression_viewer(personas.council_b_recruiter))
    assert (as_coventry["filled_posts"], as_coventry["leavers"], as_coventry["turnover_rate"]) == ("<5", "<5", "withheld")
    # 0 vacancies is shown, but the rate rests on 2 posts.
    assert (as_coventry["vacancies"], as_coventry["vacancy_rate"]) == (0, "withheld")
    as_owner = suppressed_figures(managers_in_coventry, viewer_org=suppression_viewer(personas.provider_recruiter))
    assert (as_owner["filled_posts"], as_owner["turnover_rate"]) == (2, Decimal("50.0"))
    as_region = suppressed_figures(managers_in_coventry, viewer_org=suppression_viewer(personas.regional_admin))
    assert as_region["filled_posts"] == 2
    as_viewer = suppressed_figures(managers_in_coventry, viewer_org=suppression_viewer(personas.viewer))
    assert as_viewer["filled_posts"] == "<5"
    care_in_birmingham = suppressed_figures(rows[("Birmingham", 8)], viewer_org=personas.provider.pk)
    assert (care_in_birmingham["filled_posts"], care_in_birmingham["agency"], care_in_birmingham["vacancy_rate"]) == (
        15, "<5", Decimal("25.0"),
    )


def test_published_estimates():
    data = (
        b"gss_code,year,filled_posts,vacancy_rate,turnover_rate,source\n"
        b"E08000030,2016/17,6500,8.0,16.2,Summary A\n"
        b"E08000030,2023/24,7700,9.4,,Summary B\n"
        b"E12000005,2019/20,151000,6.2,30.1,Summary C\n"
    )
    assert do_import_published_estimates(data).ok
    assert [e.year for e in published_estimates(gss_codes=["E08000030"])] == ["2016/17", "2023/24"]
    assert [e.gss_code for e in published_estimates(year="2019/20")] == ["E12000005"]
    latest = latest_published_estimates()
    assert sorted(latest) == ["E08000030", "E12000005"]
    assert (latest["E08000030"].year, latest["E08000030"].filled_posts) == ("2023/24", 7700)
