"""Signal receivers that tell the regional rollups about writes a watermark cannot see
(see :mod:`carerecruit.regional.rollups`). Each records a
:class:`~carerecruit.regional.models.RegionalChange` in the writer's own transaction.

Connected in :meth:`carerecruit.regional.apps.RegionalConfig.ready`. Deletions reach
these receivers however they happen through the ORM (Django's collector sends
``post_delete`` for each row, cascades included, once a receiver is connected).
Inserts need none: the rollups' live tails and fingerprints see them.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save


def _route_deleted(sender, instance, **kwargs):
    from carerecruit.regional.rollups import ROUTES, note_change

    note_change(ROUTES)


def _application_deleted(sender, instance, **kwargs):
    from carerecruit.regional.rollups import APPLICATIONS, note_change

    note_change(APPLICATIONS)


def _application_roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An application's job roles changed: the routes rollup counts its routes by role,
    so it is stale if one of them is already folded in (a new application's roles are
    set before it is routed, which needs nothing)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from carerecruit.placements.models import ApplicationRoute
    from carerecruit.regional.models import RollupState
    from carerecruit.regional.rollups import ROUTES, note_change

    state = RollupState.objects.filter(name=ROUTES).first()
    if state is None:
        return
    routes = ApplicationRoute.objects.filter(pk__lte=state.source_mark)
    routes = routes.filter(application_id__in=pk_set or ()) if reverse else routes.filter(application_id=instance.pk)
    if reverse and action == "post_clear" or routes.exists():
        note_change(ROUTES)


def _outcome_changed(sender, **kwargs):
    """A placement deleted, or a retention checkpoint answered, changed or deleted."""
    from carerecruit.regional.rollups import OUTCOMES, note_change

    if kwargs.get("created"):
        return  # a new checkpoint moves the rollup's fingerprint (the newest id)
    note_change(OUTCOMES)


def _workforce_changed(sender, **kwargs):
    """A workforce return saved (imported, replaced) or deleted."""
    from carerecruit.regional.rollups import WORKFORCE, note_change

    note_change(WORKFORCE)


def _talent_changed(sender, **kwargs):
    from carerecruit.regional.rollups import SUPPLY, note_change

    if kwargs.get("action", "post_").startswith("post_"):
        note_change(SUPPLY)


def connect() -> None:
    from carerecruit.candidates.models import Application
    from carerecruit.placements.models import ApplicationRoute, Placement, RetentionCheckpoint
    from carerecruit.talentbank.models import TalentProfile
    from carerecruit.workforce.models import WorkforceReturn

    post_delete.connect(_route_deleted, sender=ApplicationRoute, dispatch_uid="regional_route_deleted")
    post_delete.connect(_application_deleted, sender=Application, dispatch_uid="regional_application_deleted")
    m2m_changed.connect(_application_roles_changed, sender=Application.job_roles.through,
                        dispatch_uid="regional_application_roles")
    post_delete.connect(_outcome_changed, sender=Placement, dispatch_uid="regional_placement_deleted")
    post_save.connect(_outcome_changed, sender=RetentionCheckpoint, dispatch_uid="regional_checkpoint_saved")
    post_delete.connect(_outcome_changed, sender=RetentionCheckpoint, dispatch_uid="regional_checkpoint_deleted")
    post_save.connect(_workforce_changed, sender=WorkforceReturn, dispatch_uid="regional_workforce_saved")
    post_delete.connect(_workforce_changed, sender=WorkforceReturn, dispatch_uid="regional_workforce_deleted")
    # Every talent-bank write (talentbank.profiles) saves or deletes the profile.
    post_save.connect(_talent_changed, sender=TalentProfile, dispatch_uid="regional_talent_saved")
    post_delete.connect(_talent_changed, sender=TalentProfile, dispatch_uid="regional_talent_deleted")
    m2m_changed.connect(_talent_changed, sender=TalentProfile.council_areas.through,
                        dispatch_uid="regional_talent_areas")
