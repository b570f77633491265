"""Simulated monthly history for the forecast page in the demo.

The demo region simulates five weeks of spring 2020: under 6 months of history, so every
forecast would say "not enough history". This adds a small, clearly labelled simulated
history before it: for October 2017 to March 2020, applications for care workers in
Birmingham and for senior care workers in Coventry (about 600 applications in all), with
a yearly pattern (more in January and September, fewer in summer and December) and a
slow rise, so the forecast page shows a seasonal model next to its baseline.

Everything is marked simulated: one closed campaign named "Simulated history for
forecasts (demo)", its candidates (no phone, ``@simulated-history.example`` addresses,
no talent-bank consent) and applications (``is_simulated``), routed to the council and
already closed in the pipeline as ``withdrawn`` so no recruiter's open list fills up
with them. ``carerecruit.demo.simulation.delete_demo`` removes them with the rest of
the demo (applications of simulated campaigns, simulated candidates, the campaign).

Deterministic: the same seed gives the same rows.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import F

from carerecruit.lib.localtime import local_day_bounds

CAMPAIGN_SLUG = "demo-simulated-forecast-history"
CAMPAIGN_NAME = "Simulated history for forecasts (demo)"
SEED = 2017
FIRST_MONTH = datetime.date(2017, 10, 1)
MONTHS = 30  # October 2017 to March 2020
# Relative monthly pattern, January first: new-year and back-to-school peaks, a summer
# and December dip.
SEASON = (1.35, 1.1, 1.0, 0.95, 0.9, 0.8, 0.7, 0.75, 1.2, 1.05, 0.95, 0.7)
# (council GSS code, ASC-WDS job role code, applications in a typical month, rise a month)
SERIES = (
    ("E08000025", 8, 13.0, 0.12),  # Birmingham, care worker
    ("E08000026", 7, 6.0, 0.05),  # Coventry, senior care worker
)


def _month(index: int) -> datetime.date:
    n = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + index
    return datetime.date(n // 12, n % 12 + 1, 1)


def simulated_monthly_counts(seed: int = SEED) -> dict[tuple[str, int], list[int]]:
    """``{(council GSS, job role code): [applications per month from October 2017]}``."""
    rng = random.Random(seed)
    counts = {}
    for gss, role, typical, rise in SERIES:
        values = []
        for i in range(MONTHS):
            expected = (typical + rise * i) * SEASON[_month(i).month - 1]
            values.append(max(0, round(expected + rng.gauss(0, 1.2))))
        counts[(gss, role)] = values
    return counts


def load_forecast_history(seed: int = SEED) -> int:
    """Write the simulated history (see the module docstring); return how many
    applications. Call inside the demo's transaction, after the demo's own people and
    pipeline are written. Does nothing (returns 0) if it is already there."""
    from carerecruit.campaigns.models import Campaign
    from carerecruit.candidates.models import Application, Candidate
    from carerecruit.organisations.models import Organisation
    from carerecruit.placements.models import ApplicationRoute
    from carerecruit.placements.pipeline import Stage
    from carerecruit.reference.models import JobRole

    if Campaign.objects.filter(slug=CAMPAIGN_SLUG).exists():
        return 0
    rng = random.Random(seed + 1)
    councils = {o.gss_code: o for o in Organisation.objects.filter(gss_code__in=[s[0] for s in SERIES])}
    regional_body = Organisation.objects.filter(kind=Organisation.Kind.REGIONAL_BODY).first()
    roles = {r.code: r for r in JobRole.objects.filter(code__in=[s[1] for s in SERIES])}
    campaign = Campaign.objects.create(
        region=regional_body.region, owner=regional_body, name=CAMPAIGN_NAME, slug=CAMPAIGN_SLUG,
        audience="Simulated", status=Campaign.Status.CLOSED, starts_on=FIRST_MONTH,
        ends_on=datetime.date(2020, 3, 31), headline=CAMPAIGN_NAME,
        introduction="Simulated applications that give the demo's forecasts a history. Not real people.",
        is_simulated=True, created_at=local_day_bounds(FIRST_MONTH)[0],
    )
    campaign.job_roles.set(roles.values())
    candidates, plans = [], []
    n = 0
    for (gss, role), values in simulated_monthly_counts(seed).items():
        for i, count in enumerate(values):
            month = _month(i)
            days = (_month(i + 1) - month).days
            for _ in range(count):
                n += 1
                start = local_day_bounds(month + datetime.timedelta(days=rng.randrange(days)))[0]
                at = start + datetime.timedelta(seconds=rng.randrange(8 * 3600, 21 * 3600))
                candidates.append(Candidate(
                    full_name=f"Simulated Person {n}", name_folded=f"simulated person {n}",
                    email=f"person{n}@simulated-history.example",
                    email_normalised=f"person{n}@simulated-history.example", phone_e164="",
                    postcode="B1 1AA" if gss == "E08000025" else "CV1 1AA",
                    created_at=at, last_active_at=at, is_simulated=True,
                ))
                plans.append((f"person{n}@simulated-history.example", gss, role, at))
    Candidate.objects.bulk_create(candidates, batch_size=500)
    candidate_ids = dict(
        Candidate.objects.filter(email_normalised__endswith="@simulated-history.example")
        .values_list("email_normalised", "pk")
    )
    applications = [
        Application(
            candidate_id=candidate_ids[email], campaign=campaign, submitted_at=at,
            full_name_given=f"Simulated Person {email[6:].split('@')[0]}", years_experience=1,
            earliest_start=(at + datetime.timedelta(days=30)).date(), hours_wanted="full_time",
            right_to_work="yes", channel="direct", is_simulated=True,
        )
        for email, gss, role, at in plans
    ]
    Application.objects.bulk_create(applications, batch_size=500)
    by_candidate = dict(Application.objects.filter(campaign=campaign).values_list("candidate_id", "pk"))
    roles_through = Application.job_roles.through
    councils_through = Application.council_areas.through
    rows = [(by_candidate[candidate_ids[email]], gss, role, at) for email, gss, role, at in plans]
    roles_through.objects.bulk_create(
        [roles_through(application_id=a, jobrole_id=roles[role].pk) for a, _, role, _ in rows], batch_size=500,
    )
    councils_through.objects.bulk_create(
        [councils_through(application_id=a, organisation_id=councils[gss].pk) for a, gss, _, _ in rows],
        batch_size=500,
    )
    ApplicationRoute.objects.bulk_create([
        ApplicationRoute(application_id=a, organisation=councils[gss], reason=ApplicationRoute.Reason.CHOSEN,
                         stage=Stage.WITHDRAWN, stage_entered_at=at + datetime.timedelta(days=14), routed_at=at,
                         is_simulated=True)
        for a, gss, _, at in rows
    ], batch_size=500)
    Candidate.objects.filter(email_normalised__endswith="@simulated-history.example").update(
        updated_at=F("last_active_at"),
    )
    return len(rows)
