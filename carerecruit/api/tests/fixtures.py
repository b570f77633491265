"""A small region for the API tests, with figures chosen so every endpoint's answer is
known exactly, and small numbers of 1-4 on both sides of the council A / council B line.

- Campaign ``come-back-to-care``: on 21 April 2020 (BST) 5 tracked clicks, 3 visits,
  2 form starts and 1 application on Facebook; 1,000 impressions, 40 platform clicks
  and £50.00 spend from Meta; on 28 April 2020 2 visits direct.
- Placements (job role 8, care worker, starting January 2026): Birmingham (council A)
  2, with their 3-month checkpoints due and answered in post; Coventry (council B) 6,
  3-month checkpoints 5 in post and 1 left.
- Workforce (as at 31 March 2026): Birmingham's own return, care workers: 3 permanent,
  1 agency, 2 starters, 1 leaver, 2 vacancies; Coventry's own return, care workers: 40
  permanent, 10 temporary, 8 starters, 6 leavers, 5 vacancies.
- Candidates with names, e-mails, phones and postcodes that must never appear.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from carerecruit.candidates.models import Application, Candidate
from carerecruit.insights.tests.helpers import make_ad_day, make_events, utc
from carerecruit.placements.models import ApplicationRoute, Placement, RetentionCheckpoint
from carerecruit.reference.models import JobRole
from carerecruit.testing.factories import make_campaign, make_link
from carerecruit.workforce.models import WorkforceReturn, Workplace, WorkplaceJobRoleFigure

AS_AT = datetime.date(2026, 3, 31)
CARE_WORKER = 8

#: Personal data of the fixture's candidates: none of it may appear in any API answer.
PERSONAL_DATA = []


@dataclass
class Region:
    campaign: object
    candidates: list


def _candidate(n: int) -> Candidate:
    name = f"Zebedee Quixote{n}"
    email = f"zebedee.quixote{n}@example.org"
    phone = f"+44770090{n:04d}"
    postcode = f"WV{n % 10} 9QZ"
    PERSONAL_DATA.extend([name, email, phone, postcode, phone[3:]])
    return Candidate.objects.create(
        full_name=name, email=email, email_normalised=email, phone_e164=phone, postcode=postcode,
    )


def _placements(campaign, organisation, count: int, statuses: list[str], start=datetime.date(2026, 1, 5)):
    role = JobRole.objects.get(code=CARE_WORKER)
    for i in range(count):
        candidate = _candidate(len(PERSONAL_DATA) // 5 + 1)
        application = Application.objects.create(
            candidate=candidate, campaign=campaign, submitted_at=utc(2025, 11, 1, 12), years_experience=2,
            earliest_start=datetime.date(2026, 1, 1), hours_wanted="full_time", right_to_work="yes",
            channel="direct",
        )
        route = ApplicationRoute.objects.create(
            application=application, organisation=organisation, reason=ApplicationRoute.Reason.CHOSEN,
            stage="placed",
        )
        placement = Placement.objects.create(
            route=route, organisation=organisation, job_role=role, contract_type=1, start_date=start,
        )
        for months, due in ((3, datetime.date(2026, 4, 5)), (6, datetime.date(2026, 7, 5)), (12, datetime.date(2027, 1, 5))):
            status = statuses[i] if months == 3 else RetentionCheckpoint.Status.PENDING
            RetentionCheckpoint.objects.create(
                placement=placement, months=months, due_on=due, status=status,
                leaving_reason=5 if status == RetentionCheckpoint.Status.LEFT else None,
            )


def _workforce_return(organisation, figures: dict, *, as_at=AS_AT) -> WorkforceReturn:
    workforce_return = WorkforceReturn.objects.create(
        organisation=organisation, council=organisation, as_at=as_at,
        workplace_file_name="workplace.csv", workplace_file_sha256="0" * 64,
        worker_file_name="worker.csv", worker_file_sha256="1" * 64, workplace_count=1, worker_count=0,
    )
    workplace = Workplace.objects.create(
        workforce_return=workforce_return, council=organisation, local_establishment_id=f"W{organisation.pk}",
        name=f"{organisation.short_name} care", postcode="B1 1AA", employer_type=1, main_service=1,
        regulation_type=2, total_perm_temp=0,
    )
    permanent, temporary = figures.get("permanent", 0), figures.get("temporary", 0)
    agency = figures.get("agency", 0)
    WorkplaceJobRoleFigure.objects.create(
        workplace=workplace, job_role_id=CARE_WORKER, permanent=permanent, temporary=temporary,
        agency=agency, filled_posts=permanent + temporary + agency,
        starters=figures["starters"], leavers=figures["leavers"], vacancies=figures["vacancies"],
    )
    return workforce_return


def make_region(personas) -> Region:
    campaign = make_campaign()
    campaign.partners.set([personas.council_a, personas.council_b])
    link = make_link(campaign)
    at = utc(2020, 4, 21, 9)  # 10:00 BST, 21 April
    make_events("click", 5, campaign, at, link=link)
    make_events("visit", 3, campaign, at, link=link)
    make_events("form_start", 2, campaign, at, link=link)
    make_events("application", 1, campaign, at, link=link)
    make_events("click", 7, campaign, at, link=link, is_bot=True)  # bots never count
    make_events("visit", 2, campaign, utc(2020, 4, 28, 12))
    make_ad_day(campaign, datetime.date(2020, 4, 21), 1000, 40, 5000)
    PERSONAL_DATA.clear()
    _placements(campaign, personas.council_a, 2, ["in_post", "in_post"])
    _placements(campaign, personas.council_b, 6, ["in_post"] * 5 + ["left"])
    _workforce_return(personas.council_a, {"permanent": 3, "agency": 1, "starters": 2, "leavers": 1, "vacancies": 2})
    _workforce_return(personas.council_b, {"permanent": 40, "temporary": 10, "starters": 8, "leavers": 6, "vacancies": 5})
    return Region(campaign, list(Candidate.objects.all()))
