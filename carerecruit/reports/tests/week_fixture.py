"""A small, fixed week of activity for the weekly report's tests: ISO week 2020-W13
(Monday 23 to Sunday 29 March 2020), the week British Summer Time began (01:00 UTC on
Sunday 29 March).

Importable outside pytest (the cross-process test builds it in a subprocess), so it
uses only the app's own builders and actions, no pytest fixtures. Expected figures are
in :data:`EXPECTED` and asserted in ``test_figures.py``.
"""

from __future__ import annotations

import datetime

from carerecruit.campaigns.models import Campaign
from carerecruit.insights.actions import do_raise_alert
from carerecruit.insights.models import Alert
from carerecruit.insights.tests.helpers import make_ad_day, make_events, utc
from carerecruit.placements import actions as placement_actions
from carerecruit.placements.models import ContractType, RetentionCheckpoint
from carerecruit.placements.pipeline import Stage
from carerecruit.placements.tests.helpers import (
    BIRMINGHAM,
    COVENTRY,
    apply,
    complete_all_checks,
    move_to,
    route_of,
)
from carerecruit.reference.models import JobRole
from carerecruit.reports.weeks import IsoWeek
from carerecruit.testing.factories import make_campaign, make_link

WEEK = IsoWeek(2020, 13)

SAG_DETAIL = {
    "visits": 40, "applications": 0, "rate_percent": "0.0", "baseline_days": 14,
    "baseline_visits": 400, "baseline_applications": 60, "baseline_rate_percent": "15.0",
    "expected_applications": 6.0, "p_value": 0.0015, "day_is_complete": True,
}


def _place(campaign, *, applied, confirmed, start, by, gss=BIRMINGHAM, role=15):
    """An application submitted at UTC ``applied``, taken through the real pipeline to a
    placement confirmed at UTC ``confirmed`` (start date ``start``)."""
    application = apply(campaign, councils=(gss,), roles=(role,), now=applied)
    route = move_to(route_of(application, gss), Stage.CHECKS, by=by, now=applied)
    job_role = JobRole.objects.get(code=role)
    placement_actions.ensure_checks(route, [job_role])
    complete_all_checks(route, by=by)
    return placement_actions.do_place_candidate(
        route, job_role=job_role, contract_type=ContractType.PERMANENT, start_date=start,
        by=by, notify=False, now=confirmed,
    )


def _answer(placement, months, status, *, at, by, reason=None):
    checkpoint = RetentionCheckpoint.objects.get(placement=placement, months=months)
    placement_actions.do_record_retention(
        checkpoint, status=status, by=by, leaving_reason=reason, now=at,
    )


def build_week(admin) -> dict:
    """Create the week's activity; ``admin`` (a regional admin) confirms placements and
    answers checkpoints. Returns the campaigns by key."""
    come_back = make_campaign()  # "Come Back to Care", slug come-back-to-care
    heroes = make_campaign(slug="care-heroes", name="Care Heroes", hashtag="#CareHeroes")
    quiet = make_campaign(slug="quiet-campaign", name="A quiet campaign", hashtag="#Quiet")
    facebook = make_link(come_back, "facebook")
    email = make_link(heroes, "email")

    # Come Back to Care on Facebook, Wednesday 25 March (GMT).
    make_events("click", 10, come_back, utc(2020, 3, 25, 12), facebook)
    make_events("click", 3, come_back, utc(2020, 3, 25, 12), facebook, is_bot=True)  # not counted
    make_events("visit", 6, come_back, utc(2020, 3, 25, 12, 5), facebook)
    make_events("form_start", 3, come_back, utc(2020, 3, 25, 12, 7), facebook)
    make_events("application", 2, come_back, utc(2020, 3, 25, 12, 9), facebook)
    # The edges of the week in local time:
    # 00:30 UTC Sunday 29 March is 00:30 GMT, Sunday: in the week.
    make_events("visit", 1, come_back, utc(2020, 3, 29, 0, 30), facebook)
    # 23:30 UTC Sunday 29 March is 00:30 BST Monday 30 March: the next week.
    make_events("application", 1, come_back, utc(2020, 3, 29, 23, 30), facebook)
    # 23:30 UTC Sunday 22 March is 23:30 GMT Sunday 22 March: the week before.
    make_events("application", 1, come_back, utc(2020, 3, 22, 23, 30), facebook)
    # Ad figures: £123.45 on Facebook on Tuesday 24 March.
    make_ad_day(come_back, datetime.date(2020, 3, 24), 1000, 50, 12345, channel="facebook")

    # Care Heroes by e-mail, Saturday 28 March: 4 clicks, 3 visits, and one application
    # made through the real form action (routed to Coventry; it counts as an event too).
    make_events("click", 4, heroes, utc(2020, 3, 28, 10), email)
    make_events("visit", 3, heroes, utc(2020, 3, 28, 10, 2), email)
    apply(heroes, councils=(COVENTRY,), now=utc(2020, 3, 28, 10, 5))

    # A placement confirmed on Thursday 26 March (applied in January).
    _place(come_back, applied=utc(2020, 1, 15, 10), confirmed=utc(2020, 3, 26, 10),
           start=datetime.date(2020, 3, 30), by=admin)
    # Started 16 September 2019: the 3-month checkpoint (due 16 December) is answered
    # "in post" in the week; the 6-month one (due 16 March) is overdue at the week's end
    # and answered only after it.
    earlier = _place(come_back, applied=utc(2019, 8, 1, 10), confirmed=utc(2019, 9, 10, 10),
                     start=datetime.date(2019, 9, 16), by=admin)
    _answer(earlier, 3, RetentionCheckpoint.Status.IN_POST, at=utc(2020, 3, 24, 10), by=admin)
    _answer(earlier, 6, RetentionCheckpoint.Status.IN_POST, at=utc(2020, 4, 2, 10), by=admin)
    # Started 24 June 2019: 3 months answered in 2019; the 6-month one answered "left" in
    # the week, which also closes the 12-month one (due June 2020: not counted yet).
    earliest = _place(come_back, applied=utc(2019, 5, 1, 10), confirmed=utc(2019, 6, 3, 10),
                      start=datetime.date(2019, 6, 24), by=admin)
    _answer(earliest, 3, RetentionCheckpoint.Status.IN_POST, at=utc(2019, 10, 1, 10), by=admin)
    _answer(earliest, 6, RetentionCheckpoint.Status.LEFT, at=utc(2020, 3, 27, 10), by=admin, reason=2)

    # Alerts: one in the week, one the Monday after.
    do_raise_alert(come_back, "facebook", Alert.Kind.CONVERSION_SAG, datetime.date(2020, 3, 27),
                   SAG_DETAIL, email=False)
    do_raise_alert(come_back, "facebook", Alert.Kind.CONVERSION_SAG, datetime.date(2020, 3, 30),
                   SAG_DETAIL, email=False)
    return {"come_back": come_back, "heroes": heroes, "quiet": quiet}


def campaigns() -> dict[str, Campaign]:
    return {c.slug: c for c in Campaign.objects.all()}
