"""Talent bank: a search profile per consenting candidate, possible duplicates, merges."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from carerecruit.candidates.models import HoursWanted


class TalentProfile(models.Model):
    """What the talent bank searches and matches on, derived from one candidate's
    applications: a read model, rebuilt by
    :func:`carerecruit.talentbank.profiles.refresh_talent_profile`, never edited.

    Why it exists: a distance-limited search over 100,000 people must pre-filter on an
    indexed latitude/longitude box and read one narrow row per person, not join every
    application and its roles. Only consenting candidates have a profile (refreshing a
    non-consenting one deletes it), but searches still check
    ``Candidate.talent_bank_consent``, the authority, so a stale profile can never show
    someone who withdrew.

    ``latitude``/``longitude``: WGS84 point of the candidate's postcode (ONSPD, else the
    centroid of the council area its postcode district is in); NULL = not locatable, so
    never inside a distance search. ``council_areas``: the union over their applications;
    their job roles are :class:`TalentRole` rows. ``hours_wanted``/``available_from``:
    from the most recent application. ``years_experience``: the largest given.
    ``swe_registered``: any application gave a Social Work England registration number.
    """

    candidate = models.OneToOneField(
        "candidates.Candidate", on_delete=models.CASCADE, primary_key=True,
        related_name="talent_profile",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # The point as a unit vector (talentbank.geo.unit_vector): distances in SQL without
    # trigonometry per row. NULL with the point.
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    z = models.FloatField(null=True, blank=True)
    council_areas = models.ManyToManyField(
        "organisations.Organisation", related_name="+", blank=True,
        limit_choices_to={"kind": "council"},
    )
    hours_wanted = models.CharField(max_length=12, choices=HoursWanted.choices, blank=True)
    available_from = models.DateField(null=True, blank=True)
    years_experience = models.PositiveSmallIntegerField(default=0)
    swe_registered = models.BooleanField(default=False)
    # Copy of Candidate.last_active_at at the last refresh, for ranking without a join.
    last_active_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # Distance searches: the bounding-box pre-filter (latitude BETWEEN … AND
            # longitude BETWEEN …) before the haversine test. The other columns are what
            # search filters and ranks on, so the database reads the index alone.
            models.Index(
                fields=["latitude", "longitude", "x", "y", "z", "available_from", "years_experience",
                        "last_active_at", "hours_wanted", "swe_registered"],
                name="talentprofile_lat_long",
            ),
        ]

    def __str__(self) -> str:
        return f"Talent profile of candidate {self.candidate_id}"


class TalentRole(models.Model):
    """One job role a talent-bank candidate wants, with a copy of the profile's facts.

    Why the copies: matching for a vacancy, and a search by job role, read only the rows
    of one role inside a latitude/longitude box. With the index on (job role, latitude,
    longitude, …) holding the facts the score needs, that is one index range scan and no
    per-person lookups, whatever the size of the talent bank. Written with the profile by
    :mod:`carerecruit.talentbank.profiles`; deleted with the candidate, and whenever the
    candidate's consent is withdrawn.
    """

    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="talent_roles"
    )
    job_role = models.ForeignKey("reference.JobRole", on_delete=models.CASCADE, related_name="+")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    z = models.FloatField(null=True, blank=True)
    hours_wanted = models.CharField(max_length=12, choices=HoursWanted.choices, blank=True)
    available_from = models.DateField(null=True, blank=True)
    years_experience = models.PositiveSmallIntegerField(default=0)
    swe_registered = models.BooleanField(default=False)
    last_active_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "job_role"], name="talentrole_unique"),
        ]
        indexes = [
            # Matching and search by role: job_role = ? AND latitude BETWEEN … AND
            # longitude BETWEEN … (the bounding box before the haversine test). The other
            # columns are everything the score and filters read, so ranking 30,000
            # people is one index range scan with no table lookups.
            models.Index(
                fields=["job_role", "latitude", "longitude", "x", "y", "z", "candidate", "available_from",
                        "hours_wanted", "swe_registered", "years_experience", "last_active_at"],
                name="talentrole_role_lat_long",
            ),
        ]

    def __str__(self) -> str:
        return f"Candidate {self.candidate_id} wants role {self.job_role_id}"


class DuplicateCandidatePair(models.Model):
    """Two candidate records that are probably one person, waiting for an admin's review.

    Found by :func:`carerecruit.talentbank.duplicates.find_duplicates`;
    ``candidate_a_id < candidate_b_id`` always, and a pair is recorded once, so a
    dismissed pair is not raised again. A merged pair disappears with the merged-away
    record; the merge itself is kept as a :class:`CandidateMerge`.
    """

    class Reason(models.TextChoices):
        SIMILAR_NAME_SAME_POSTCODE = "name_postcode", "Similar name and the same postcode"
        SAME_NAME_SAME_DISTRICT = "name_district", "Same name and the same postcode district"
        SAME_PHONE = "same_phone", "Same phone number"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        DISMISSED = "dismissed", "Not the same person"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate_a = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="+"
    )
    candidate_b = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    # Name similarity 0–1 (difflib ratio of the folded names, words sorted).
    similarity = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    found_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        "organisations.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-similarity", "found_at"]
        constraints = [
            models.UniqueConstraint(fields=["candidate_a", "candidate_b"], name="duplicatepair_unique"),
            models.CheckConstraint(
                condition=Q(candidate_a__lt=F("candidate_b")), name="duplicatepair_ordered"
            ),
        ]
        indexes = [
            # The review list: pending pairs.
            models.Index(fields=["status", "found_at"], name="duplicatepair_status"),
        ]

    def __str__(self) -> str:
        return f"Possible duplicate {self.candidate_a_id} / {self.candidate_b_id}"


class CandidateMerge(models.Model):
    """The record of merging one candidate into another (the history of a merge).

    ``merged_code`` is the removed record's ``Candidate.code``. ``note`` (JSON) keeps what
    the merge could not carry over as rows: the removed record's contact details, the
    answers of an application dropped because both records had applied to the same
    campaign, rows of other tables that could not move, and how consent was decided.
    It is personal data of the surviving candidate and is deleted with them.
    """

    survivor = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="merges"
    )
    merged_code = models.UUIDField()
    merged_at = models.DateTimeField(default=timezone.now)
    merged_by = models.ForeignKey(
        "organisations.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.JSONField(default=dict)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"Merged {self.merged_code} into {self.survivor_id}"
