"""Writes of the insights app: campaign targets and alerts (with their e-mails).

Views, the worker, commands and tests call these; nothing else writes
:class:`~carerecruit.insights.models.CampaignTarget` or
:class:`~carerecruit.insights.models.Alert`.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from carerecruit.campaigns.models import Campaign
from carerecruit.insights.models import Alert, CampaignTarget
from carerecruit.organisations.models import User

logger = logging.getLogger(__name__)

MANAGER_ROLES = (User.Role.ADMIN, User.Role.CAMPAIGN_MANAGER)


def do_set_campaign_target(
    campaign: Campaign, *, target_cost_per_application_pence: int | None, by: User
) -> CampaignTarget:
    """Set (or clear, with None) ``campaign``'s target cost per application in pence.
    The caller has checked that ``by`` may manage campaigns."""
    with transaction.atomic():
        target, _ = CampaignTarget.objects.select_for_update().get_or_create(campaign=campaign)
        target.target_cost_per_application_pence = target_cost_per_application_pence
        target.updated_by = by
        target.save()
    return target


def campaign_managers(campaign: Campaign) -> list[User]:
    """Who is told about a campaign's alerts: active users with an e-mail address at the
    campaign's owner organisation whose role is admin or campaign manager."""
    return list(
        User.objects.filter(
            organisation_id=campaign.owner_id, role__in=MANAGER_ROLES, is_active=True
        ).exclude(email="").order_by("pk")
    )


def do_raise_alert(
    campaign: Campaign, channel: str, kind: str, local_date: datetime.date, detail: dict,
    *, email: bool = True,
) -> Alert:
    """Store an alert and (unless ``email`` is False, when the caller sends it with
    :func:`send_pending_alert_emails`) e-mail it to the campaign's managers once the
    transaction commits. Raises IntegrityError when the same (campaign, channel, kind,
    local date) was raised already: call it inside its own ``transaction.atomic()``."""
    with transaction.atomic():
        alert = Alert.objects.create(
            campaign=campaign, channel=channel, kind=kind, local_date=local_date, detail=detail
        )
        if email:
            transaction.on_commit(lambda: send_alert_email(alert.pk))
    return alert


def send_alert_email(alert_pk: int) -> bool:
    """Send one alert's e-mail to the campaign's managers unless it was sent (or claimed
    by another worker) already. The claim is an UPDATE that only one process can win,
    so each alert is e-mailed at most once; a failed send releases the claim for the next
    evaluation to retry. Returns True when this call sent it."""
    claimed = Alert.objects.filter(pk=alert_pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    if not claimed:
        return False
    alert = Alert.objects.select_related("campaign").get(pk=alert_pk)
    recipients = [user.email for user in campaign_managers(alert.campaign)]
    if not recipients:
        return False
    from carerecruit.insights.alerts import describe

    path = reverse("insights:campaign-dashboard", args=[alert.campaign.slug])
    context = {
        "alert": alert,
        "campaign": alert.campaign,
        "description": describe(alert),
        "dashboard_url": getattr(settings, "CARERECRUIT_BASE_URL", "").rstrip("/") + path,
        "site_name": settings.CARERECRUIT_SITE_NAME,
    }
    subject = f"Alert: {alert.campaign.name}: {alert.get_kind_display().lower()}"
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("insights/email/alert.txt", context),
        to=recipients,
    )
    message.attach_alternative(render_to_string("insights/email/alert.html", context), "text/html")
    try:
        message.send()
    except Exception:
        Alert.objects.filter(pk=alert_pk).update(emailed_at=None)
        logger.exception("Could not e-mail alert %s; will retry", alert_pk)
        return False
    return True


def send_pending_alert_emails(since: datetime.date) -> int:
    """Send the e-mails of alerts dated ``since`` or later that were never sent (a failed
    send, or a process that stopped before its commit hook ran). Returns how many."""
    pending = Alert.objects.filter(local_date__gte=since, emailed_at__isnull=True).values_list("pk", flat=True)
    return sum(send_alert_email(pk) for pk in list(pending))
