"""Monthly series counted in the database, by Europe/London local month."""

import datetime

import pytest

from carerecruit.forecast.models import Measure
from carerecruit.forecast.series import application_counts, build_series, open_vacancy_counts
from carerecruit.forecast.tests.helpers import routed_application
from carerecruit.reference.models import JobRole

UTC = datetime.UTC
MARCH, APRIL, MAY = datetime.date(2020, 3, 1), datetime.date(2020, 4, 1), datetime.date(2020, 5, 1)


@pytest.fixture
def applications(campaign, personas):
    a, b = personas.council_a, personas.council_b
    # British Summer Time began on 29 March 2020: 22:30 UTC on 31 March is 23:30 local
    # (March), 23:30 UTC is 00:30 on 1 April local (April).
    routed_application(campaign, datetime.datetime(2020, 3, 31, 22, 30, tzinfo=UTC), a, (3,))
    routed_application(campaign, datetime.datetime(2020, 3, 31, 23, 30, tzinfo=UTC), a, (3, 7))
    routed_application(campaign, datetime.datetime(2020, 4, 15, 9, 0, tzinfo=UTC), b, (7,))
    both = routed_application(campaign, datetime.datetime(2020, 5, 2, 9, 0, tzinfo=UTC), a, (3,))
    from carerecruit.placements.models import ApplicationRoute

    ApplicationRoute.objects.create(application=both, organisation=b, reason="postcode")
    # In the current month (June, "today" below): not history yet.
    routed_application(campaign, datetime.datetime(2020, 6, 1, 9, 0, tzinfo=UTC), a, (3,))
    return a, b


def test_application_counts_by_local_month_across_bst(applications):
    a, b = applications
    counts = application_counts(MAY)
    assert dict(counts[(a.pk, 3)]) == {MARCH: 1, APRIL: 1, MAY: 1}
    assert dict(counts[(a.pk, 7)]) == {APRIL: 1}
    # The application for two roles counts once in "all roles".
    assert dict(counts[(a.pk, None)]) == {MARCH: 1, APRIL: 1, MAY: 1}
    assert dict(counts[(b.pk, None)]) == {APRIL: 1, MAY: 1}
    assert dict(counts[(None, 7)]) == {APRIL: 2}
    # Routed to two councils: once in the region.
    assert dict(counts[(None, None)]) == {MARCH: 1, APRIL: 2, MAY: 1}


def test_build_series_window_and_owner(applications):
    a, b = applications
    series = {(s.council_id, s.job_role_code): s for s in build_series(Measure.APPLICATIONS,
                                                                        today=datetime.date(2020, 6, 15))}
    s = series[(a.pk, 7)]
    # From its first non-zero month to the region's last complete month with data (May).
    assert s.months == [APRIL, MAY] and s.values == [1.0, 0.0]
    assert s.owner_id == a.pk
    assert series[(None, None)].months == [MARCH, APRIL, MAY]
    assert series[(None, None)].owner_id is None
    assert series[(b.pk, None)].values == [1.0, 1.0]


def test_open_vacancy_posts_at_month_end(personas, campaign):
    from carerecruit.vacancies.models import Vacancy

    a = personas.council_a

    def vacancy(published, closing, posts, status="open", closed=None):
        return Vacancy.objects.create(
            organisation=a, campaign=campaign, title="Care worker", job_role=JobRole.objects.get(code=3),
            contract_type=1, hours_per_week=30, pay_min_pence=1100, pay_unit="hour", town="Birmingham",
            postcode="B1 1AA", council_area=a, closing_date=closing, number_of_posts=posts, status=status,
            description="Caring.", published_at=published, closed_at=closed,
        )

    # Published 31 March 23:30 UTC = 1 April local: not open at the end of March.
    vacancy(datetime.datetime(2020, 3, 31, 23, 30, tzinfo=UTC), datetime.date(2020, 5, 31), 2)
    # Closes on 15 April: open at the end of March only.
    vacancy(datetime.datetime(2020, 3, 2, 9, 0, tzinfo=UTC), datetime.date(2020, 4, 15), 3)
    # Closed early on 10 April although its closing date was later.
    vacancy(datetime.datetime(2020, 3, 2, 9, 0, tzinfo=UTC), datetime.date(2020, 6, 30), 4, status="closed",
            closed=datetime.datetime(2020, 4, 10, 9, 0, tzinfo=UTC))
    counts = open_vacancy_counts([MARCH, APRIL, MAY])
    assert dict(counts[(a.pk, 3)]) == {MARCH: 7, APRIL: 2, MAY: 2}
    assert dict(counts[(None, None)]) == {MARCH: 7, APRIL: 2, MAY: 2}


def test_reported_vacancies_from_ascwds_returns(personas):
    from carerecruit.workforce.tests.helpers import import_valid

    a, b = personas.council_a, personas.council_b
    # Birmingham's own return as at 31 March 2026 and a provider's in Coventry as at
    # 30 April 2026; each reports 6 vacancies in all.
    import_valid(organisation=a)
    import_valid(organisation=personas.provider, council=b, as_at=datetime.date(2026, 4, 30))
    march, april = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)
    series = {(s.council_id, s.job_role_code): s
              for s in build_series(Measure.REPORTED_VACANCIES, today=datetime.date(2026, 6, 10))}
    # A return counts from its as-at date until replaced (Birmingham's March return is
    # carried into April), but the history stops at the newest return's month: May
    # would only repeat April.
    assert (series[(a.pk, None)].months, series[(a.pk, None)].values) == ([march, april], [6.0, 6.0])
    assert (series[(b.pk, None)].months, series[(b.pk, None)].values) == ([april], [6.0])
    assert series[(None, None)].values == [6.0, 12.0]
    # Owners as the workforce figures have them: the organisation whose returns they are.
    assert series[(a.pk, None)].owner_id == a.pk
    assert series[(b.pk, None)].owner_id == personas.provider.pk
    assert series[(None, None)].owner_id is None
    assert sum(s.values[-1] for (council, role), s in series.items() if council == a.pk and role) == 6.0
