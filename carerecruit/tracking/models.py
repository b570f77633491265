"""Append-only funnel events, the daily visitor salt, and the rollups dashboards read."""

from django.db import models
from django.db.models import Q


class EventKind(models.TextChoices):
    """Funnel event kinds. Stored as short strings validated in Python, so adding a kind
    (e.g. ``shortlisted``, ``placed``) needs no migration."""

    CLICK = "click", "Click-through"
    VISIT = "visit", "Visit"
    FORM_START = "form_start", "Form start"
    APPLICATION = "application", "Application"
    # Outcomes further down the funnel, appended by the placements app so a campaign and
    # a channel are judged by people placed and kept, not clicks.
    SHORTLISTED = "shortlisted", "Shortlisted"
    PLACED = "placed", "Placed"
    RETAINED_6M = "retained_6m", "Retained at 6 months"


class Event(models.Model):
    """One funnel event. Rows are only ever inserted (never updated), except that erasing
    a candidate blanks nothing here because events carry no personal data: the visitor
    hash is unlinkable once its day's salt is deleted, and no IP address is stored.

    ``occurred_at`` is UTC; reports count it on its Europe/London local date.
    ``channel`` is denormalised from the tracked link (or from the UTM source when there
    is no link) so rollups need no join.
    """

    kind = models.CharField(max_length=20)
    occurred_at = models.DateTimeField()
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="events"
    )
    link = models.ForeignKey(
        "campaigns.TrackedLink", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="events",
    )
    channel = models.CharField(max_length=20)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    # Content and term are stored truncated to 255 characters: a click with a huge
    # value is still counted, never lost.
    utm_content = models.CharField(max_length=255, blank=True)
    utm_term = models.CharField(max_length=255, blank=True)
    # Daily-rotating salted hash of IP + user agent (hex SHA-256); "" for clicks.
    visitor_hash = models.CharField(max_length=64, blank=True)
    # Click id handed to the microsite as ?cid=, so a visit can be tied to its click.
    click_id = models.CharField(max_length=32, blank=True)
    referrer_host = models.CharField(max_length=255, blank=True)
    # Crawlers and link-preview bots: recorded for audit, left out of every count.
    is_bot = models.BooleanField(default=False)
    # The demo's simulated activity is labelled wherever it is shown.
    is_simulated = models.BooleanField(default=False)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            # Per-campaign funnel queries over a time range (dashboard live tail).
            models.Index(fields=["campaign", "kind", "occurred_at"], name="event_campaign_kind_time"),
            # A visit finds the click it came from by ?cid= (click_id = ? AND kind =
            # 'click' AND click_id <> ''); kind is in the key because a shared microsite
            # URL can carry one cid onto thousands of visits.
            models.Index(
                fields=["click_id", "kind"], condition=~Q(click_id=""), name="event_click_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.campaign_id} {self.occurred_at:%Y-%m-%d %H:%M:%S}"


class VisitorSalt(models.Model):
    """The secret salt for one local day's visitor hashes.

    A new random salt is made for each Europe/London date and deleted after that day, so
    yesterday's hashes can never be recomputed from an IP address again.
    """

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"salt for {self.day}"


class DailyVisitor(models.Model):
    """First touch of one visitor on one campaign's microsite on one local day.

    Its unique constraint makes "first view of the day" race-safe (an insert that fails
    is a repeat view); it also remembers the first-touch attribution so an application
    made later that day without ?cid= in its URL is still credited. Rows older than two
    days are purged with their salts.
    """

    day = models.DateField()
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    visitor_hash = models.CharField(max_length=64)
    link = models.ForeignKey(
        "campaigns.TrackedLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=20)
    utm = models.JSONField(default=dict, blank=True)
    click_id = models.CharField(max_length=32, blank=True)
    referrer_host = models.CharField(max_length=255, blank=True)
    form_started = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "campaign", "visitor_hash"], name="dailyvisitor_unique_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visitor_hash[:8]} on {self.day}"


class FunnelRollup(models.Model):
    """Counts of non-bot events by (local date, campaign, channel, link, kind).

    Kept fresh by the worker's ``roll_up_events`` task; dashboards add the small tail of
    events newer than :class:`RollupState`'s watermark, so they are exact and never scan
    the raw events. ``link`` NULL means "no tracked link" (direct or untracked traffic).
    """

    local_date = models.DateField()
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=20)
    link = models.ForeignKey(
        "campaigns.TrackedLink", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_date", "campaign", "channel", "link", "kind"],
                condition=Q(link__isnull=False),
                name="funnelrollup_unique_with_link",
            ),
            models.UniqueConstraint(
                fields=["local_date", "campaign", "channel", "kind"],
                condition=Q(link__isnull=True),
                name="funnelrollup_unique_without_link",
            ),
        ]
        indexes = [
            # Covering index for the dashboards' grouped reads of the rollups
            # (insights.counts._read): WHERE campaign_id IN (…) AND local_date BETWEEN …
            # GROUP BY local_date, campaign_id, channel, kind with SUM(count), and the
            # per-link read GROUP BY link_id, kind. Every column read is in the index, so
            # SQLite answers from the index alone instead of looking each row up in the
            # table (overview over 68,500 rows: 200 ms → ~50 ms, docs/performance.md).
            # Its (campaign, local_date) prefix serves one campaign's date range too.
            models.Index(
                fields=["campaign", "local_date", "channel", "kind", "link", "count"],
                name="funnelrollup_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_date} {self.kind}={self.count}"


class RollupState(models.Model):
    """How far the rollups have got: every event with ``id <= last_event_id`` is counted
    in :class:`FunnelRollup`, except ids inside ``gaps``; newer ones and late arrivals
    inside the gaps are the live tail."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    # Id ranges [low, high, first seen (Unix seconds)] below last_event_id that were missing
    # when the watermark passed them: on PostgreSQL a transaction still in flight (a long
    # import, a slow request) holds ids lower than events already committed. Their events
    # are folded when they appear; a range is forgotten after a day (a rolled-back
    # transaction never fills it).
    gaps = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} at event {self.last_event_id}"


class ClickSpoolFile(models.Model):
    """How far the worker has read one click spool file (``carerecruit.tracking.spool``).

    ``offset`` (bytes) moves in the same transaction as the events inserted from the
    file, so each spooled click becomes exactly one event. The row is deleted with its
    file once the file is old and read to its end.
    """

    name = models.CharField(max_length=255, unique=True)
    offset = models.BigIntegerField(default=0)
    # Lines that could not be read (a write torn by a full disk); logged when skipped.
    bad_lines = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at byte {self.offset}"
