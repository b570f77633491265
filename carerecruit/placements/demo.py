"""The demo's pipeline: route the simulated applications and move a realistic share of
them through to placement and retention, so the demo's staff pages and dashboards show
shortlisted, placed and retained people, not only clicks.

Called once by :func:`carerecruit.demo.simulation.load_demo` after the applications are
written. Deterministic: its own ``random.Random(seed)``, fixed offsets from each
application's submission time, and applications taken in submission order. Rows are
bulk-written (the demo writes hundreds at once) rather than through ``actions``; the
funnel events go through ``tracking.actions.record_outcome`` like the real ones, so the
dashboards count them the same way. Nothing is e-mailed.

Shape (rates per step, for the route of the council the applicant lives in): contacted
80%, screening 75%, interview 50% (shortlisted), offer 50%, checks 90%, placed 85%;
the rest exit as not suitable, withdrawn or kept in the talent bank, and about one in
twelve is left open where it stopped. A second council the applicant also chose
contacts them and then withdraws them once they are placed elsewhere, or keeps them in
its talent bank. Of those placed: 92% still in post at 3 months, 90% of them at 6,
88% at 12; one answer in ten is left unanswered, to show overdue checkpoints.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db.models import Prefetch

from carerecruit.candidates.models import Application
from carerecruit.organisations.models import User
from carerecruit.placements.actions import RETENTION_MONTHS, retention_due_date
from carerecruit.placements.checks import required_kinds
from carerecruit.placements.models import (
    ApplicationRoute,
    Check,
    CheckStatus,
    FunnelOutcome,
    LeavingReason,
    Placement,
    RetentionCheckpoint,
    StageChange,
)
from carerecruit.placements.pipeline import Stage
from carerecruit.placements.postcodes import district_table, outward_code
from carerecruit.tracking.actions import record_outcome
from carerecruit.tracking.models import EventKind

PIPELINE_SEED = 4
# (stage, chance of reaching it from the previous one)
STEPS = (
    (Stage.CONTACTED, 0.80),
    (Stage.SCREENING, 0.75),
    (Stage.INTERVIEW, 0.50),
    (Stage.OFFER, 0.50),
    (Stage.CHECKS, 0.90),
    (Stage.PLACED, 0.85),
)
LEFT_OPEN = 0.08
NOT_SUITABLE_REASONS = (
    "No experience of adult social care and not looking for training",
    "Not registered with Social Work England and not eligible to restore",
    "Cannot work the hours the team needs",
    "Lives too far from the team's area",
)
WITHDRAWN_REASONS = ("Took a job elsewhere", "Personal circumstances changed", "No reply to three calls")
RETAINED = {3: 0.92, 6: 0.90, 12: 0.88}
UNANSWERED = 0.10
DEMO_LOGINS = {"E08000025": "birmingham.recruiter", "E08000026": "coventry.recruiter"}


@dataclass
class PipelineFigures:
    routes: int = 0
    shortlisted: int = 0
    placed: int = 0
    retained_6m: int = 0


def _working_days_later(at: datetime.datetime, rng: random.Random, low: int, high: int) -> datetime.datetime:
    """A time ``low``..``high`` working days after ``at``, in office hours (UTC)."""
    day = at.date()
    for _ in range(rng.randint(low, high)):
        day += datetime.timedelta(days=1)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(8 + rng.randrange(9), rng.randrange(60)),
                                     tzinfo=datetime.UTC)


class _Simulator:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.figures = PipelineFigures()
        self.changes: list[StageChange] = []
        self.checks: list[Check] = []
        self.outcomes: list[tuple[Application, str, datetime.datetime]] = []
        # (route, job role id, start date, confirmed at, contract type)
        self.placements: list[tuple[ApplicationRoute, int, datetime.date, datetime.datetime, int]] = []
        self.users = {gss: User.objects.filter(username=name).first() for gss, name in DEMO_LOGINS.items()}

    def run(self, applications: list[Application]) -> PipelineFigures:
        routes = []
        plans = []
        districts = district_table()
        for application in applications:
            # The council the applicant lives in works the application first.
            home = districts.get(outward_code(application.candidate.postcode))
            councils = sorted(application.council_areas.all(), key=lambda c: (c.gss_code != home, c.short_name))
            for index, council in enumerate(councils):
                route = ApplicationRoute(
                    application=application, organisation=council, reason=ApplicationRoute.Reason.CHOSEN,
                    stage=Stage.NEW, stage_entered_at=application.submitted_at,
                    routed_at=application.submitted_at, is_simulated=True,
                    owner=self.users.get(council.gss_code),
                )
                routes.append(route)
                plans.append((route, application, index == 0))
        # Walk every route in memory first, so each is inserted once in its final stage.
        placed_apps: set[int] = set()
        for route, application, primary in plans:
            self._walk(route, application, primary, placed_apps)
        ApplicationRoute.objects.bulk_create(routes, batch_size=1000)
        # Re-read primary keys by code: not every backend returns them from bulk inserts.
        ids = dict(ApplicationRoute.objects.filter(is_simulated=True).values_list("code", "pk"))
        for route in routes:
            route.pk = ids[route.code]
        StageChange.objects.bulk_create(self.changes, batch_size=2000)
        Check.objects.bulk_create(self.checks, batch_size=2000)
        self._write_placements()
        self._write_outcomes()
        self.figures.routes = len(routes)
        return self.figures

    def _move(self, route, to_stage, at, reason=""):
        self.changes.append(StageChange(
            route=route, from_stage=route.stage, to_stage=to_stage, changed_at=at,
            changed_by=self.users.get(route.organisation.gss_code), reason=reason,
        ))
        route.stage, route.stage_entered_at = to_stage, at

    def _walk(self, route, application, primary, placed_apps):
        rng = self.rng
        at = application.submitted_at
        self.changes.append(StageChange(
            route=route, from_stage="", to_stage=Stage.NEW, changed_at=at,
            reason=ApplicationRoute.Reason.CHOSEN.label,
        ))
        if not primary:
            # A second council contacts them, then steps back.
            at = _working_days_later(at, rng, 2, 6)
            self._move(route, Stage.CONTACTED, at)
            at = _working_days_later(at, rng, 10, 30)
            if application.pk in placed_apps:
                self._move(route, Stage.WITHDRAWN, at, "Placed with another council")
            else:
                self._move(route, Stage.TALENT_BANK, at, "No post right now; kept for the next one")
            return
        for stage, chance in STEPS:
            at = _working_days_later(at, rng, 1, 15 if stage == Stage.PLACED else 6)
            if rng.random() >= chance:
                self._exit(route, at)
                return
            if stage == Stage.PLACED:
                self._place(route, application, at)
                placed_apps.add(application.pk)
                return
            self._move(route, stage, at)
            if stage == Stage.INTERVIEW:
                self.outcomes.append((application, EventKind.SHORTLISTED, at))
                self.figures.shortlisted += 1
            if stage == Stage.CHECKS:
                self._make_checks(route, application, at, complete=False)

    def _exit(self, route, at):
        rng = self.rng
        roll = rng.random()
        if roll < LEFT_OPEN:
            return
        if route.stage == Stage.CHECKS:
            roll = max(roll, 0.5)  # by the checks stage people withdraw rather than fail
        if roll < 0.45:
            self._move(route, Stage.NOT_SUITABLE, at, rng.choice(NOT_SUITABLE_REASONS))
        elif roll < 0.75:
            self._move(route, Stage.WITHDRAWN, at, rng.choice(WITHDRAWN_REASONS))
        else:
            self._move(route, Stage.TALENT_BANK, at, "Good candidate; no post that suits them right now")

    def _make_checks(self, route, application, at, *, complete: bool):
        kinds = required_kinds(application.job_roles.all())
        for kind in kinds:
            done = complete or self.rng.random() < 0.5
            check = Check(route=route, kind=kind, status=CheckStatus.COMPLETE if done else CheckStatus.PENDING)
            if done:
                _fill(check, application, at.date(), self.rng)
                check.recorded_at = at
                check.recorded_by = self.users.get(route.organisation.gss_code)
            self.checks.append(check)

    def _place(self, route, application, at):
        # Every check complete before the placement: replace any from the checks stage.
        self.checks = [c for c in self.checks if c.route is not route]
        self._make_checks(route, application, at, complete=True)
        start = max(application.earliest_start, at.date() + datetime.timedelta(days=14))
        start += datetime.timedelta(days=(7 - start.weekday()) % 7)  # a Monday
        roles = list(application.job_roles.all())
        role = roles[0]
        contract = self.rng.choices([1, 2, 3, 4], weights=[70, 10, 15, 5])[0]
        self._move(route, Stage.PLACED, at,
                   f"Placement confirmed: {role.name}, starting {start:%d %B %Y}")
        self.placements.append((route, role.pk, start, at, contract))
        self.outcomes.append((application, EventKind.PLACED, at))
        self.figures.placed += 1

    def _write_placements(self):
        rng = self.rng
        placements = [
            Placement(route=route, organisation=route.organisation, job_role_id=role_id, contract_type=contract,
                      start_date=start, confirmed_at=at, confirmed_by=self.users.get(route.organisation.gss_code),
                      is_simulated=True)
            for route, role_id, start, at, contract in self.placements
        ]
        Placement.objects.bulk_create(placements, batch_size=1000)
        ids = dict(Placement.objects.filter(is_simulated=True).values_list("code", "pk"))
        checkpoints = []
        Status = RetentionCheckpoint.Status
        retained: set[int] = set()
        for placement in placements:
            placement.pk = ids[placement.code]
            left = None
            for months in RETENTION_MONTHS:
                due = retention_due_date(placement.start_date, months)
                checkpoint = RetentionCheckpoint(placement=placement, months=months, due_on=due)
                answered_at = datetime.datetime.combine(due + datetime.timedelta(days=rng.randint(0, 20)),
                                                        datetime.time(10), tzinfo=datetime.UTC)
                if left is not None:
                    checkpoint.status, checkpoint.leaving_reason, checkpoint.left_on = Status.LEFT, *left
                    checkpoint.answered_at = answered_at
                elif rng.random() < UNANSWERED:
                    pass  # overdue, for the retention page
                elif rng.random() < RETAINED[months]:
                    checkpoint.status, checkpoint.answered_at = Status.IN_POST, answered_at
                    if months >= 6 and placement.route.application_id not in retained:
                        retained.add(placement.route.application_id)
                        self.outcomes.append((placement.route.application, EventKind.RETAINED_6M, answered_at))
                        self.figures.retained_6m += 1
                else:
                    reason = rng.choice([r.value for r in LeavingReason if r != LeavingReason.NOT_KNOWN])
                    left = (reason, due - datetime.timedelta(days=rng.randint(5, 60)))
                    checkpoint.status, checkpoint.leaving_reason, checkpoint.left_on = Status.LEFT, *left
                    checkpoint.answered_at = answered_at
                checkpoint.answered_by = (
                    self.users.get(placement.organisation.gss_code) if checkpoint.answered_at else None
                )
                checkpoints.append(checkpoint)
        RetentionCheckpoint.objects.bulk_create(checkpoints, batch_size=1000)

    def _write_outcomes(self):
        FunnelOutcome.objects.bulk_create(
            [FunnelOutcome(application=a, kind=k, recorded_at=at) for a, k, at in self.outcomes],
            batch_size=1000,
        )
        for application, kind, at in sorted(self.outcomes, key=lambda o: o[2]):
            record_outcome(application, kind, occurred_at=at)


def _fill(check: Check, application, day: datetime.date, rng: random.Random) -> None:
    """Plausible evidence metadata for a completed simulated check."""
    check.verified_on = day
    if check.kind == "dbs":
        check.dbs_certificate_number = f"{rng.randrange(10**11, 10**12):012d}"
        check.dbs_issue_date = day - datetime.timedelta(days=rng.randint(0, 20))
        check.dbs_barred_list_checked = True
        check.dbs_update_service = rng.random() < 0.4
        check.dbs_status_checked_on = day if check.dbs_update_service else None
    elif check.kind == "right_to_work":
        check.rtw_method, check.rtw_document = rng.choice([
            ("idsp", "british_irish_passport"), ("manual", "british_irish_passport"),
            ("manual", "birth_certificate_ni"), ("online", "evisa"),
        ])
    elif check.kind in ("conduct_reference", "second_reference"):
        check.referee_organisation = rng.choice([
            "Sandwell Council", "Dudley Group NHS Foundation Trust", "Kingfisher Lane Care",
            "Brindley Homecare", "Severnside Support", "Wolverhampton City Council",
        ])
        check.reference_satisfactory = True
    elif check.kind == "identity":
        check.identity_document = rng.choice(["passport", "driving_licence"])
        check.identity_photo_seen = True
    elif check.kind == "swe_registration":
        check.swe_number = application.swe_registration or f"SW{rng.randint(10000, 129999)}"
    elif check.kind == "care_certificate":
        check.care_certificate_status = rng.choice([1, 3])


def simulate_pipeline(seed: int = PIPELINE_SEED) -> PipelineFigures:
    """Route every simulated application that has no route yet and simulate its pipeline;
    return the figures. Call inside the demo's transaction."""
    applications = list(
        Application.objects.filter(is_simulated=True, routes__isnull=True)
        .select_related("candidate")
        .prefetch_related(
            Prefetch("council_areas"), Prefetch("job_roles"),
        )
        .order_by("submitted_at", "pk")
    )
    return _Simulator(random.Random(seed)).run(applications)
