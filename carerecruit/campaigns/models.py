"""Campaigns, their public microsites (with images), and tracked links."""

import datetime
import secrets
import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from carerecruit.lib.localtime import local_today
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole, Region

# 31 characters with no look-alikes (0/O, 1/l/I): codes are read off posters and typed.
LINK_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LINK_CODE_LENGTH = 8  # 31**8 ≈ 8.5e11: unguessable by enumeration at any realistic rate.

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour like #1d3a5f")

# Campaign slugs that would shadow a staff page: /staff/campaigns/new/ is the studio's
# "create" page, so no campaign may be called "new".
RESERVED_SLUGS = ("new",)


def new_link_code() -> str:
    """Return a fresh random tracked-link code (8 characters from LINK_CODE_ALPHABET)."""
    return "".join(secrets.choice(LINK_CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))


class Channel(models.TextChoices):
    """Where a tracked link is posted. ``direct`` is for visits that came with no link."""

    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X (Twitter)"
    TIKTOK = "tiktok", "TikTok"
    EMAIL = "email", "Email"
    GOOGLE_ADS = "google_ads", "Google Ads"
    PRESS = "press", "Press"
    QR = "qr", "QR code (print)"
    OTHER = "other", "Other"
    DIRECT = "direct", "Direct or untracked"


# Default UTM medium per channel, following common GA4 channel-grouping conventions.
DEFAULT_UTM_MEDIUM = {
    Channel.FACEBOOK: "social",
    Channel.INSTAGRAM: "social",
    Channel.LINKEDIN: "social",
    Channel.X: "social",
    Channel.TIKTOK: "social",
    Channel.EMAIL: "email",
    Channel.GOOGLE_ADS: "cpc",
    Channel.PRESS: "referral",
    Channel.QR: "print",
    Channel.OTHER: "referral",
}


class CampaignQuerySet(models.QuerySet):
    def taking_applications(self, today: datetime.date | None = None) -> "CampaignQuerySet":
        """Live campaigns whose end date (local) is not yet past: the ones the public may
        apply to today (see :attr:`Campaign.takes_applications`)."""
        today = today or local_today()
        return self.filter(status=Campaign.Status.LIVE).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )


class Campaign(models.Model):
    """A recruitment campaign and the content of its public microsite ``/c/<slug>/``.

    ``starts_on``/``ends_on`` are local dates (Europe/London). ``status`` decides what the
    public sees: a draft is not public, a live campaign takes applications until the end
    of its ``ends_on`` day, a closed one says so and points to live campaigns (its links
    still redirect and count). A live campaign past its end date is treated as closed to
    applications (the microsite says when they closed) without anyone having to press
    "close"; its dashboards still show its dates.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LIVE = "live", "Live"
        CLOSED = "closed", "Closed"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="campaigns")
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="owned_campaigns",
        help_text="The organisation running the campaign (usually the regional body).",
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    hashtag = models.CharField(max_length=60, blank=True)
    audience = models.CharField(
        max_length=200, help_text="Who the campaign is for, e.g. former social workers."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    job_roles = models.ManyToManyField(JobRole, related_name="campaigns", blank=True)
    partners = models.ManyToManyField(
        Organisation, related_name="partner_campaigns", blank=True,
        help_text="Councils and providers taking part.",
    )
    # Microsite content.
    # Blank while a draft is being written; publishing requires both
    # (carerecruit.campaigns.actions.publish_problems).
    headline = models.CharField(max_length=160, blank=True)
    introduction = models.TextField(blank=True)
    why_join = models.JSONField(
        default=list, blank=True, help_text="List of short reasons to join (strings)."
    )
    faqs = models.JSONField(
        default=list, blank=True, help_text='List of {"question": …, "answer": …} objects.'
    )
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    brand_colour = models.CharField(max_length=7, default="#1d3a5f", validators=[hex_colour])
    # The demo's campaigns are labelled as simulated wherever they are shown.
    is_simulated = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        "organisations.User", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    # When the campaign last went live / closed (UTC); NULL = never.
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_SLUGS), name="campaign_slug_not_reserved"
            ),
        ]
        indexes = [
            # Region home: live campaigns of the deployment's region.
            models.Index(fields=["region", "status"], name="campaign_region_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:microsite", args=[self.slug])

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def has_ended(self) -> bool:
        """True when ``ends_on`` (a local date) is before today's local date."""
        return self.ends_on is not None and self.ends_on < local_today()

    @property
    def takes_applications(self) -> bool:
        """Live and not past its end date: the public may apply."""
        return self.status == self.Status.LIVE and not self.has_ended

    @property
    def applications_closed(self) -> bool:
        """Public (live or closed) but not taking applications: closed by staff, or a live
        campaign past its end date. The microsite and the form say so."""
        return self.status != self.Status.DRAFT and not self.takes_applications


def campaign_image_path(instance: "CampaignImage", filename: str) -> str:
    """Storage name for an uploaded image: a random name (staff file names can carry
    personal details) with the extension of the format found by content sniffing."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"campaigns/images/{uuid.uuid4().hex}.{extension}"


class CampaignImage(models.Model):
    """A picture on a campaign's microsite, shown in ``order`` (then upload order).

    Every image has alt text unless it is marked decorative, in which case it is shown
    with ``alt=""`` (WCAG 2.2, 1.1.1 Non-text Content). Files are PNG or JPEG of at most
    2 MB, checked by content, not by name (carerecruit.campaigns.forms.CampaignImageField).
    ``width`` and ``height`` are in pixels, so the page reserves the space before it loads.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        upload_to=campaign_image_path, width_field="width", height_field="height",
        max_length=200,
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField("alt text", max_length=250, blank=True)
    is_decorative = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # A campaign has a handful of images, found through the campaign foreign key's
        # own index; no further index is needed.
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_decorative=True) | ~Q(alt_text=""),
                name="campaignimage_has_alt_text_or_is_decorative",
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text or f"Decorative image {self.pk}"

    @property
    def alt(self) -> str:
        """The ``alt`` attribute to print: empty for a decorative image."""
        return "" if self.is_decorative else self.alt_text


class TrackedLink(models.Model):
    """A short link ``/r/<code>`` for one channel and post/ad, carrying UTM values.

    UTM source and medium are stored lower-case (``Facebook`` and ``facebook`` are one
    source); campaign, content and term keep their case with whitespace collapsed.
    ``destination_path`` is a path inside the campaign microsite ("" = its home page).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    code = models.CharField(max_length=16, unique=True, default=new_link_code, editable=False)
    label = models.CharField(
        max_length=200, blank=True, help_text="Which post, ad or print run this link is for."
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    utm_source = models.CharField("UTM source", max_length=100)
    utm_medium = models.CharField("UTM medium", max_length=100)
    utm_campaign = models.CharField("UTM campaign", max_length=100)
    utm_content = models.CharField("UTM content", max_length=255, blank=True)
    utm_term = models.CharField("UTM term", max_length=255, blank=True)
    destination_path = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        "organisations.User", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_simulated = models.BooleanField(default=False)

    class Meta:
        ordering = ["campaign", "channel", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="direct"), name="trackedlink_channel_not_direct"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_channel_display()}{': ' + self.label if self.label else ''})"

    def get_absolute_url(self) -> str:
        return reverse("tracking:redirect", args=[self.code])
