"""A small region with known figures for the regional dashboard's tests.

Council A is Birmingham, council B Coventry (the personas' councils). All times UTC;
April and May 2026 are British Summer Time (UTC+1), so 23:30 UTC on 30 April is 00:30 on
1 May locally.

Council A (applications routed, local month):
    a1 10 Apr 10:00, a2 20 Apr 12:00, a3 30 Apr 22:30 (23:30 BST, April),
    a4 30 Apr 23:30 (00:30 BST 1 May: May).
    p1 (a1) confirmed 20 Apr 09:00 → 10 days; starts 27 Apr; 3 months (27 Jul) in post,
       6 months (27 Oct) left, 12 months pending.
    p2 (a2) confirmed 30 Apr 23:30 (1 May local) → 11 days; starts 11 May; 3 months
       (11 Aug) not known.
Council B: b1, b2, b3 routed 5, 6, 7 Apr 10:00, all confirmed 15 Apr 10:00 (10, 9, 8
    days); start 20 Apr; 3 months (20 Jul): in post, in post, left; b1 6 months
    (20 Oct) in post.
Talent bank (job role 8, care worker): A's area: c1 available 1 Apr full time, c2 15 Jun
    full time, c3 no date part time; c7 named A, then withdrew consent (the talent
    bank's refresh removed their rows: never counted). B's area: c4, c5, c6 available 1 Apr, full time.
Vacancies: A open, 2 posts (role 8); A closed on 10 Apr, 5 posts; A draft, 4 posts;
    B open, 1 post (role 8).
ASC-WDS: both councils' own returns as at 31 March 2026 from the workforce fixtures
    (per council 25 filled posts, 6 vacancies, vacancy rate 21.4, turnover 47.6).
Campaign "Come Back to Care": a1, a2, b1-b3 on facebook, a3 and a4 by email; Meta
    spend on facebook £300.00 on 10 Apr and £10.00 on 2 May; LinkedIn period totals of
    £50.00 for 1-30 April and £70.00 for 15 April-15 May (never split).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from carerecruit.candidates.models import Application, Candidate
from carerecruit.placements.models import ApplicationRoute, Placement, RetentionCheckpoint
from carerecruit.reference.models import JobRole
from carerecruit.talentbank.models import TalentProfile, TalentRole
from carerecruit.talentbank.profiles import refresh_talent_profile
from carerecruit.testing.factories import make_campaign
from carerecruit.vacancies.models import Vacancy

UTC = datetime.UTC
CARE_WORKER = 8
START, END = datetime.date(2026, 4, 1), datetime.date(2026, 4, 30)


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


_n = iter(range(1, 10_000))


def candidate(*, consent: bool = True) -> Candidate:
    n = next(_n)
    return Candidate.objects.create(
        full_name=f"Person {n}", name_folded=f"person {n}", email=f"p{n}@example.org",
        email_normalised=f"p{n}@example.org", phone_e164=f"+447700900{n:03d}", postcode="B1 1AA",
        talent_bank_consent=consent,
    )


def application(campaign, council, submitted: str, channel: str) -> Application:
    app = Application.objects.create(
        candidate=candidate(consent=False), campaign=campaign, submitted_at=at(submitted), years_experience=1,
        earliest_start=datetime.date(2026, 5, 1), right_to_work="yes", channel=channel,
    )
    # By code: a live-server test's flush reloads the job roles with new ids.
    app.job_roles.set([JobRole.objects.get(code=CARE_WORKER)])
    app.council_areas.set([council])
    ApplicationRoute.objects.create(
        application=app, organisation=council, reason="chosen", routed_at=at(submitted),
    )
    return app


def place(app: Application, confirmed: str, start: datetime.date, checkpoints: dict[int, str]) -> Placement:
    from carerecruit.placements.actions import retention_due_date

    route = app.routes.get()
    placement = Placement.objects.create(
        route=route, organisation=route.organisation, job_role=JobRole.objects.get(code=CARE_WORKER), contract_type=1,
        start_date=start, confirmed_at=at(confirmed),
    )
    for months, status in checkpoints.items():
        RetentionCheckpoint.objects.create(
            placement=placement, months=months, due_on=retention_due_date(start, months), status=status,
            leaving_reason=5 if status == "left" else None,
        )
    return placement


def talent(council, available_from, hours: str, *, consent: bool = True) -> Candidate:
    person = candidate(consent=consent)
    # update_or_create: with a real commit (browser tests) the talent bank's own signal
    # has already made an empty profile for a consenting person.
    profile, _ = TalentProfile.objects.update_or_create(
        candidate=person, defaults={"hours_wanted": hours, "available_from": available_from},
    )
    profile.council_areas.set([council])
    TalentRole.objects.update_or_create(
        candidate=person, job_role=JobRole.objects.get(code=CARE_WORKER), defaults={"hours_wanted": hours, "available_from": available_from},
    )
    return person


def vacancy(organisation, campaign, posts: int, status: str, *, published=None, closed=None) -> Vacancy:
    return Vacancy.objects.create(
        organisation=organisation, campaign=campaign, title="Care worker", job_role=JobRole.objects.get(code=CARE_WORKER),
        contract_type=1, hours_per_week=37.5, pay_min_pence=1260, pay_unit="HOUR", town="Town",
        postcode="B1 1AA", council_area=organisation, closing_date=datetime.date(2026, 6, 30),
        number_of_posts=posts, description="Care.", status=status,
        published_at=at(published) if published else None, closed_at=at(closed) if closed else None,
    )


@dataclass
class Region:
    campaign: object
    a: object
    b: object


def make_region(personas) -> Region:
    """Build the figures described in the module docstring."""
    from carerecruit.insights.tests.helpers import make_ad_day, make_ad_period
    from carerecruit.workforce.tests.helpers import import_valid

    a, b = personas.council_a, personas.council_b
    campaign = make_campaign()
    a1 = application(campaign, a, "2026-04-10T10:00", "facebook")
    a2 = application(campaign, a, "2026-04-20T12:00", "facebook")
    application(campaign, a, "2026-04-30T22:30", "email")
    application(campaign, a, "2026-04-30T23:30", "email")
    place(a1, "2026-04-20T09:00", datetime.date(2026, 4, 27), {3: "in_post", 6: "left", 12: "pending"})
    place(a2, "2026-04-30T23:30", datetime.date(2026, 5, 11), {3: "unknown"})
    for day, checkpoints in ((5, {3: "in_post", 6: "in_post"}), (6, {3: "in_post"}), (7, {3: "left"})):
        app = application(campaign, b, f"2026-04-{day:02d}T10:00", "facebook")
        place(app, "2026-04-15T10:00", datetime.date(2026, 4, 20), checkpoints)

    talent(a, datetime.date(2026, 4, 1), "full_time")
    talent(a, datetime.date(2026, 6, 15), "full_time")
    talent(a, None, "part_time")
    # c7 was in the talent bank, then withdrew consent: the talent bank's refresh (run on
    # the commit that records the withdrawal) removes their rows, so they are not counted.
    withdrawn = talent(a, datetime.date(2026, 4, 1), "full_time")
    Candidate.objects.filter(pk=withdrawn.pk).update(talent_bank_consent=False)
    refresh_talent_profile(withdrawn.pk)
    for _ in range(3):
        talent(b, datetime.date(2026, 4, 1), "full_time")

    vacancy(a, campaign, 2, "open", published="2026-04-01T09:00")
    vacancy(a, campaign, 5, "closed", published="2026-03-01T09:00", closed="2026-04-10T09:00")
    vacancy(a, campaign, 4, "draft")
    vacancy(b, campaign, 1, "open", published="2026-04-02T09:00")

    assert import_valid(organisation=a).ok
    assert import_valid(organisation=b).ok

    make_ad_day(campaign, datetime.date(2026, 4, 10), 10_000, 300, 30_000, channel="facebook")
    make_ad_day(campaign, datetime.date(2026, 5, 2), 1_000, 30, 1_000, channel="facebook")
    make_ad_period(campaign, datetime.date(2026, 4, 1), datetime.date(2026, 4, 30), 500, 5, 5_000, name="li-april")
    make_ad_period(campaign, datetime.date(2026, 4, 15), datetime.date(2026, 5, 15), 500, 5, 7_000, name="li-spanning")
    return Region(campaign, a, b)
