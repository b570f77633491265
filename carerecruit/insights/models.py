"""Campaign targets and the alerts raised when a channel sags or costs too much."""

from django.db import models
from django.db.models import Q


class CampaignTarget(models.Model):
    """Targets a campaign manager sets for one campaign.

    Kept here rather than on ``campaigns.Campaign`` because they belong to the evaluation
    of a campaign, not its content. ``target_cost_per_application_pence`` is in pence
    (GBP); None means no target (no cost alerts).
    """

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="target"
    )
    target_cost_per_application_pence = models.PositiveIntegerField(null=True, blank=True)
    updated_by = models.ForeignKey(
        "organisations.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(target_cost_per_application_pence__isnull=True)
                | Q(target_cost_per_application_pence__gt=0),
                name="campaigntarget_cost_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Targets for {self.campaign}"


class Alert(models.Model):
    """An alert about one channel of one campaign on one local date (Europe/London).

    The unique constraint makes "at most once a day" a database rule: evaluating again,
    from any number of workers, finds the row and raises nothing new. ``channel`` "" is
    the whole campaign. ``detail`` holds the figures that triggered it (counts, rates in
    percent as strings, pence, p-value), so the alert explains itself later.
    ``emailed_at`` is set when the managers' e-mail is claimed for sending (None: not
    sent yet).
    """

    class Kind(models.TextChoices):
        CONVERSION_SAG = "conversion_sag", "Visit-to-application rate fell"
        COST_PER_APPLICATION = "cost_per_application", "Cost per application above target"

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="alerts")
    channel = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    local_date = models.DateField()
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-local_date", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "channel", "kind", "local_date"], name="alert_once_a_day"
            ),
        ]
        indexes = [
            # Dashboard: a campaign's recent alerts, newest first.
            models.Index(fields=["campaign", "-local_date"], name="alert_campaign_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.campaign} {self.channel or 'all channels'} {self.local_date}"
