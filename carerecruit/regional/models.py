"""Rollups behind the regional datasets at national scale (see
:mod:`carerecruit.regional.rollups` and docs/regional-dashboard.md, "Performance").

Each table is a small aggregate of a large source table, kept by the worker. None of it
is the truth: the datasets read a rollup only when it is known to be complete for the
question (plus a live tail of newer rows), and the raw rows otherwise.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

#: ``job_role_code`` of a rollup row counting every job role (ASC-WDS codes start at 1).
ALL_ROLES = 0


class RollupState(models.Model):
    """How far one rollup has got. ``name``: ``"routes"``, ``"applications"`` or
    ``"supply"``. ``source_mark``: the highest source primary key folded in (routes,
    applications: newer rows are the live tail) or, for supply, a fingerprint of the
    talent bank's newest rows. ``change_mark``: the newest :class:`RegionalChange` of
    this rollup seen when it was last built (a newer one means the rollup is stale).
    ``built_for``: the local date a snapshot rollup (supply) describes."""

    name = models.CharField(max_length=20, unique=True)
    source_mark = models.BigIntegerField(default=0)
    source_mark_2 = models.BigIntegerField(default=0)
    change_mark = models.BigIntegerField(default=0)
    built_for = models.DateField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} rollup up to {self.source_mark}"


class RegionalChange(models.Model):
    """A write the rollup cannot follow by itself (a deletion, a changed talent-bank
    profile, a changed job role list), recorded by a signal receiver in the writer's own
    transaction (:mod:`carerecruit.regional.signals`). Append-only, so writers never
    wait on each other; the worker deletes rows it has seen."""

    rollup = models.CharField(max_length=20)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # Is the rollup stale? rollup = ? AND id > change_mark (an index-only probe).
            models.Index(fields=["rollup", "id"], name="regionalchange_rollup_id"),
        ]

    def __str__(self) -> str:
        return f"{self.rollup} changed at {self.at:%Y-%m-%d %H:%M:%S}"


class RouteDayRollup(models.Model):
    """Applications routed to a council per local day (Europe/London) and job role named
    on the application (ASC-WDS code; :data:`ALL_ROLES` counts every route once)."""

    council = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    job_role_code = models.PositiveSmallIntegerField()
    day = models.DateField()
    routes = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "job_role_code", "day"], name="routedayrollup_unique"),
        ]
        indexes = [
            # Region-wide: job_role_code = ? AND day BETWEEN ? AND ? GROUP BY council.
            models.Index(fields=["job_role_code", "day"], name="routedayrollup_role_day"),
        ]

    def __str__(self) -> str:
        return f"{self.council_id} role {self.job_role_code} {self.day}: {self.routes}"


class ApplicationDayRollup(models.Model):
    """Applications submitted per campaign, channel and local day (Europe/London)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=20)
    day = models.DateField()
    applications = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "channel", "day"], name="applicationdayrollup_unique"),
        ]
        indexes = [
            # Campaign return: day BETWEEN ? AND ? GROUP BY campaign, channel.
            models.Index(fields=["day"], name="applicationdayrollup_day"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.channel} {self.day}: {self.applications}"


class TalentSupplyRollup(models.Model):
    """Talent-bank candidates as at :attr:`RollupState.built_for` (supply's snapshot) per
    council area named (NULL: none named), job role (ASC-WDS code), availability (a key
    of ``datasets.AVAILABILITY``) and hours wanted ("" not given). Rows with
    ``job_role_code`` :data:`ALL_ROLES` count people per council area whatever their
    roles (the councils dataset), with availability and hours blank."""

    council = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
    )
    job_role_code = models.PositiveSmallIntegerField()
    availability = models.CharField(max_length=16, blank=True)
    hours_wanted = models.CharField(max_length=12, blank=True)
    candidates = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.council_id} role {self.job_role_code} {self.availability} {self.hours_wanted}: {self.candidates}"


class CampaignOutcomeRollup(models.Model):
    """Per campaign, channel and local day an application was submitted (Europe/London):
    how many of those applications led to a placement, and how many of those were still
    in post at the 6-month checkpoint (campaign return's cohort figures)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=20)
    day = models.DateField()
    placed = models.PositiveIntegerField(default=0)
    retained_6m = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "channel", "day"], name="campaignoutcomerollup_unique"),
        ]
        indexes = [
            # Campaign return: day BETWEEN ? AND ? GROUP BY campaign, channel.
            models.Index(fields=["day"], name="campaignoutcomerollup_day"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.channel} {self.day}: {self.placed} placed, {self.retained_6m} retained"


class WorkforceRollup(models.Model):
    """The ASC-WDS figures of one workforce return per council and job role (ASC-WDS
    code): the sums :func:`carerecruit.workforce.aggregates.workforce_figures` adds up
    (NULL when every workplace left a figure unknown, as SQL's SUM), and the workplaces
    reporting (a workplace is in one return, so these add up across returns);
    ``job_role_code`` :data:`ALL_ROLES` for all roles together. The datasets add the
    rows of the returns that count on the snapshot date."""

    workforce_return = models.ForeignKey("workforce.WorkforceReturn", on_delete=models.CASCADE, related_name="+")
    council = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    job_role_code = models.PositiveSmallIntegerField()
    permanent = models.IntegerField(null=True)
    temporary = models.IntegerField(null=True)
    pool_bank = models.IntegerField(null=True)
    agency = models.IntegerField(null=True)
    other_contract = models.IntegerField(null=True)
    starters = models.IntegerField(null=True)
    leavers = models.IntegerField(null=True)
    vacancies = models.IntegerField(null=True)
    vacancy_base = models.IntegerField(null=True)
    turnover_base = models.IntegerField(null=True)
    workplaces = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"return {self.workforce_return_id} council {self.council_id} role {self.job_role_code}"


class PlacementDayRollup(models.Model):
    """Councils' placements per local day confirmed, job role (ASC-WDS code;
    :data:`ALL_ROLES` for all) and days from application submitted to placement confirmed
    (local dates): the flow dataset's time-to-hire histogram."""

    council = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    job_role_code = models.PositiveSmallIntegerField()
    day = models.DateField()
    days_to_hire = models.IntegerField()
    placements = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # Flow: job_role_code = ? AND day BETWEEN ? AND ? GROUP BY council, month, days.
            models.Index(fields=["job_role_code", "day"], name="placementdayrollup_role_day"),
        ]

    def __str__(self) -> str:
        return f"{self.council_id} role {self.job_role_code} {self.day}: {self.placements}"


class CheckpointRollup(models.Model):
    """Retention checkpoints (3, 6, 12 months) of councils' placements per due date,
    job role (ASC-WDS code; :data:`ALL_ROLES` for all) and months: due, answered (in
    post or left) and still in post."""

    council = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    job_role_code = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    months = models.PositiveSmallIntegerField()
    due = models.PositiveIntegerField()
    answered = models.PositiveIntegerField()
    retained = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # Flow and retention: job_role_code = ? AND due_on BETWEEN ? AND ?.
            models.Index(fields=["job_role_code", "due_on"], name="checkpointrollup_role_due"),
        ]

    def __str__(self) -> str:
        return f"{self.council_id} role {self.job_role_code} {self.due_on} {self.months}m: {self.due}"
