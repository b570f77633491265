"""Keep talent profiles fresh whenever a candidate or an application changes.

Why signals here, when writes otherwise go through ``actions.py``: a talent profile is
a derived read model, not a domain write. Candidates and applications are written by
several apps (the application form, self-service, imports, merges, erasure); listening
to their saves keeps every path covered without those apps depending on the talent
bank. The refresh runs after the transaction commits (so it sees the application's job
roles, set after the row is created) and a failure there is logged, never turned into
an error for the person applying. Bulk writes (``bulk_create``/``update``) send no
signals: follow them with ``carerecruit rebuild-talent-profiles``.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from carerecruit.candidates.models import Application, Candidate

logger = logging.getLogger(__name__)


def schedule_profile_refresh(candidate_id: int) -> None:
    """Refresh ``candidate_id``'s talent profile when the current transaction commits
    (at once outside one). Several saves in one transaction cost one refresh: a later
    callback finds the profile already refreshed after it was scheduled and stops."""
    from carerecruit.talentbank.models import TalentProfile
    from carerecruit.talentbank.profiles import refresh_talent_profile

    scheduled_at = timezone.now()

    def run() -> None:
        # A savepoint, so a failure here cannot poison a surrounding transaction
        # (PostgreSQL refuses every later query in a transaction after an error).
        with transaction.atomic():
            if TalentProfile.objects.filter(candidate_id=candidate_id, refreshed_at__gte=scheduled_at).exists():
                return
            refresh_talent_profile(candidate_id)

    transaction.on_commit(run, robust=True)


@receiver(post_save, sender=Candidate, dispatch_uid="talentbank_candidate_saved")
def _candidate_saved(sender, instance: Candidate, raw: bool = False, **kwargs) -> None:
    if not raw:
        schedule_profile_refresh(instance.pk)


@receiver(post_save, sender=Application, dispatch_uid="talentbank_application_saved")
@receiver(post_delete, sender=Application, dispatch_uid="talentbank_application_deleted")
def _application_changed(sender, instance: Application, raw: bool = False, **kwargs) -> None:
    if not raw and instance.candidate_id:
        schedule_profile_refresh(instance.candidate_id)


def _application_m2m_changed(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    # Only the forward side (application.job_roles.set(...)) is written by our code.
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        schedule_profile_refresh(instance.candidate_id)


m2m_changed.connect(
    _application_m2m_changed, sender=Application.job_roles.through, dispatch_uid="talentbank_roles_changed"
)
m2m_changed.connect(
    _application_m2m_changed, sender=Application.council_areas.through, dispatch_uid="talentbank_councils_changed"
)
