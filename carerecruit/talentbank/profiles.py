"""Keeping :class:`~carerecruit.talentbank.models.TalentProfile` rows in step with the
candidates and applications they are derived from.

- :func:`refresh_talent_profile` rebuilds one person's profile (or deletes it when they
  have not consented). :mod:`carerecruit.talentbank.signals` calls it after every
  commit that saved a candidate or an application, whichever code path did it (the
  form, self-service, imports, merges), so the candidates app need not know about the
  talent bank.
- :func:`rebuild_talent_profiles` rebuilds every profile in batches, for bulk loads that
  bypass model signals (``bulk_create``: the demo, benchmarks) and after an ONSPD
  import changes postcode points. Command: ``carerecruit rebuild-talent-profiles``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from carerecruit.candidates.models import Application, Candidate
from carerecruit.talentbank.geo import Point, postcode_points, unit_vector
from carerecruit.talentbank.models import TalentProfile, TalentRole

Locator = Callable[[Iterable[str]], dict[str, Point]]


@dataclass(frozen=True)
class ApplicationFacts:
    """What a profile needs from one application."""

    submitted_at: datetime.datetime
    pk: int
    hours_wanted: str
    earliest_start: datetime.date | None
    years_experience: int
    swe_registration: str


@dataclass(frozen=True)
class ProfileValues:
    """A profile's field values, computed by :func:`profile_values`."""

    latitude: float | None
    longitude: float | None
    hours_wanted: str
    available_from: datetime.date | None
    years_experience: int
    swe_registered: bool
    last_active_at: datetime.datetime | None = None

    def as_fields(self) -> dict:
        x = y = z = None
        if self.latitude is not None and self.longitude is not None:
            x, y, z = unit_vector(self.latitude, self.longitude)
        return {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "x": x,
            "y": y,
            "z": z,
            "hours_wanted": self.hours_wanted,
            "available_from": self.available_from,
            "years_experience": self.years_experience,
            "swe_registered": self.swe_registered,
            "last_active_at": self.last_active_at,
        }


def profile_values(applications: Sequence[ApplicationFacts], point: Point | None,
                   last_active_at: datetime.datetime | None = None) -> ProfileValues:
    """Derive a profile from a person's applications (any order) and their postcode's
    point: hours and start date from the most recent application (newest
    ``submitted_at``, then highest pk), the most years of experience given, registered
    with Social Work England if any application gave a number."""
    latest = max(applications, key=lambda a: (a.submitted_at, a.pk), default=None)
    return ProfileValues(
        latitude=point.latitude if point else None,
        longitude=point.longitude if point else None,
        hours_wanted=latest.hours_wanted if latest else "",
        available_from=latest.earliest_start if latest else None,
        years_experience=max((a.years_experience for a in applications), default=0),
        swe_registered=any(a.swe_registration for a in applications),
        last_active_at=last_active_at,
    )


_FACT_FIELDS = ("submitted_at", "pk", "hours_wanted", "earliest_start", "years_experience", "swe_registration")


def refresh_talent_profile(candidate_id: int, *, locate: Locator = postcode_points) -> TalentProfile | None:
    """Rebuild the talent profile of candidate ``candidate_id`` from their record and
    applications; return it, or None when they have no profile (unknown, erased or not
    consenting: any existing profile is deleted). About ten queries."""
    candidate = (
        Candidate.objects.filter(pk=candidate_id).only("pk", "postcode", "talent_bank_consent", "last_active_at").first()
    )
    if candidate is None or not candidate.talent_bank_consent:
        TalentProfile.objects.filter(candidate_id=candidate_id).delete()
        TalentRole.objects.filter(candidate_id=candidate_id).delete()
        return None
    applications = Application.objects.filter(candidate_id=candidate_id)
    facts = [ApplicationFacts(*row) for row in applications.values_list(*_FACT_FIELDS)]
    role_ids = set(applications.values_list("job_roles", flat=True)) - {None}
    council_ids = set(applications.values_list("council_areas", flat=True)) - {None}
    point = locate([candidate.postcode]).get(candidate.postcode)
    values = profile_values(facts, point, candidate.last_active_at)
    with transaction.atomic():
        profile, _ = TalentProfile.objects.update_or_create(
            candidate_id=candidate_id, defaults={**values.as_fields(), "refreshed_at": timezone.now()}
        )
        profile.council_areas.set(council_ids)
        TalentRole.objects.filter(candidate_id=candidate_id).delete()
        TalentRole.objects.bulk_create(_roles(candidate_id, role_ids, values))
    return profile


def _roles(candidate_id: int, role_ids: Iterable[int], values: ProfileValues) -> list[TalentRole]:
    """The TalentRole rows of one person: one per job role, carrying the profile's facts."""
    facts = values.as_fields()
    return [TalentRole(candidate_id=candidate_id, job_role_id=role_id, **facts) for role_id in sorted(role_ids)]


def rebuild_talent_profiles(*, batch_size: int = 2000, locate: Locator = postcode_points) -> int:
    """Rebuild every talent profile: delete those of people who have not consented and
    write the rest in batches of ``batch_size`` people (a handful of queries per batch).
    Returns the number of profiles written."""
    TalentProfile.objects.exclude(candidate__talent_bank_consent=True).delete()
    TalentRole.objects.exclude(candidate__talent_bank_consent=True).delete()
    ids = list(Candidate.objects.filter(talent_bank_consent=True).order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), batch_size):
        written += _rebuild_batch(ids[start:start + batch_size], locate)
    return written


def _rebuild_batch(ids: list[int], locate: Locator) -> int:
    now = timezone.now()
    people = {pk: (postcode, active) for pk, postcode, active in Candidate.objects.filter(pk__in=ids).values_list(
        "pk", "postcode", "last_active_at"
    )}
    postcodes = {pk: postcode for pk, (postcode, _active) in people.items()}
    points = locate(set(postcodes.values()))
    facts: dict[int, list[ApplicationFacts]] = defaultdict(list)
    app_owner: dict[int, int] = {}
    for candidate_id, *row in Application.objects.filter(candidate_id__in=ids).values_list(
        "candidate_id", *_FACT_FIELDS
    ):
        fact = ApplicationFacts(*row)
        facts[candidate_id].append(fact)
        app_owner[fact.pk] = candidate_id
    roles: dict[int, set[int]] = defaultdict(set)
    for app_id, role_id in Application.job_roles.through.objects.filter(
        application__candidate_id__in=ids
    ).values_list("application_id", "jobrole_id"):
        roles[app_owner[app_id]].add(role_id)
    councils: dict[int, set[int]] = defaultdict(set)
    for app_id, org_id in Application.council_areas.through.objects.filter(
        application__candidate_id__in=ids
    ).values_list("application_id", "organisation_id"):
        councils[app_owner[app_id]].add(org_id)

    profiles, talent_roles = [], []
    for pk in ids:
        if pk not in postcodes:
            continue
        values = profile_values(facts.get(pk, []), points.get(postcodes[pk]), people[pk][1])
        profiles.append(TalentProfile(candidate_id=pk, refreshed_at=now, **values.as_fields()))
        talent_roles += _roles(pk, roles.get(pk, ()), values)
    council_through = TalentProfile.council_areas.through
    with transaction.atomic():
        # Council-area rows go with their profiles (Django's collector cascades).
        TalentProfile.objects.filter(candidate_id__in=ids).delete()
        TalentRole.objects.filter(candidate_id__in=ids).delete()
        TalentProfile.objects.bulk_create(profiles, batch_size=1000)
        TalentRole.objects.bulk_create(talent_roles, batch_size=2000)
        council_through.objects.bulk_create(
            [council_through(talentprofile_id=pk, organisation_id=o) for pk in postcodes for o in councils.get(pk, ())],
            batch_size=5000,
        )
    return len(profiles)
