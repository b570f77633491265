"""Organisations (regional body, councils, independent care providers) and their staff."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from carerecruit.reference.models import Region


class Organisation(models.Model):
    """A body that takes part in the region's recruitment.

    Councils carry their ONS GSS code (``E06…``/``E08…``/``E10…``); they and the regional
    body are reference data loaded by migration. Independent providers are added by admins.
    """

    class Kind(models.TextChoices):
        REGIONAL_BODY = "regional", "Regional body"
        COUNCIL = "council", "Council"
        PROVIDER = "provider", "Independent care provider"

    class CouncilType(models.TextChoices):
        METROPOLITAN = "metropolitan", "Metropolitan district"
        UNITARY = "unitary", "Unitary authority"
        COUNTY = "county", "County council (two-tier)"
        LONDON = "london", "London borough"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    gss_code = models.CharField("ONS GSS code", max_length=9, blank=True)
    council_type = models.CharField(max_length=12, choices=CouncilType.choices, blank=True)
    old_la_number = models.PositiveSmallIntegerField(null=True, blank=True)
    # Area centroid in WGS84 degrees, for maps and distance origins.
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    # True for the invented organisations the demo creates; shown as simulated.
    is_simulated = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code"], condition=~Q(gss_code=""), name="organisation_unique_gss_code"
            ),
            models.CheckConstraint(
                condition=~Q(kind="council") | ~Q(gss_code=""),
                name="organisation_council_has_gss_code",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_council(self) -> bool:
        return self.kind == self.Kind.COUNCIL

    @property
    def is_regional_body(self) -> bool:
        return self.kind == self.Kind.REGIONAL_BODY


class CouncilDistrict(models.Model):
    """A district inside a two-tier county: ONSPD ``oslaua`` gives these codes, and the
    adult social services council is the county (domain.md 1.3)."""

    council = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="districts",
        limit_choices_to={"kind": "council"},
    )
    gss_code = models.CharField("ONS GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.council})"


class User(AbstractUser):
    """A member of staff. Candidates never have accounts.

    Every staff user belongs to exactly one organisation and holds one role; what they may
    see is decided by :mod:`carerecruit.organisations.access` from those two fields.
    """

    class Role(models.TextChoices):
        ADMIN = "admin", "Administrator"
        CAMPAIGN_MANAGER = "campaign_manager", "Campaign manager"
        RECRUITER = "recruiter", "Recruiter"
        VIEWER = "viewer", "Viewer (read only)"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", null=True, blank=True,
        help_text="Empty only for platform superusers created from the command line.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    email = models.EmailField("email address", blank=True)

    class Meta:
        constraints = [
            # Password reset finds users by e-mail, so one account per address.
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="user_unique_email"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
