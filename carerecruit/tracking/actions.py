"""Recording the funnel's events: click, visit, form start, application.

These are the only functions that write :class:`~carerecruit.tracking.models.Event`,
:class:`~carerecruit.tracking.models.DailyVisitor` and visitor salts; views, the
candidates app and commands call them. All of them are cheap enough for a public page:
no rollup work happens in a request (the worker folds events into rollups).

Counting rules (design: "Tracked links and events"):

- click: every GET of ``/r/<code>``; bots are recorded with ``is_bot=True`` (an audit of
  link previews) and never counted.
- visit: a visitor's first page view of a campaign's microsite (its home page or its
  apply form) on a Europe/London local day. Bots record nothing here: crawlers fetch
  microsites all day long and an append-only table should not keep that.
- form start: a visitor's first view of the apply form that local day. Someone who
  arrives straight at the form is also counted as a visit, so visits ≥ form starts.
- application: one per submitted application, with the attribution copied from it.
- prefetches (``Sec-Purpose: prefetch``, ``Purpose: prefetch``, ``X-Moz: prefetch``,
  ``X-Purpose: preview``) record nothing: a browser fetching a page in case someone
  opens it is not a click or a visit (see :func:`is_prefetch`).

Every event's ``occurred_at`` is ``timezone.now()`` (UTC) at the moment of recording.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.http.request import split_domain_port
from django.utils import timezone

from carerecruit.campaigns.models import Campaign, TrackedLink
from carerecruit.lib.localtime import local_date
from carerecruit.lib.utm import UTM_FIELDS, channel_for, clean_text, has_utm, normalise_utm
from carerecruit.tracking import clickids, spool
from carerecruit.tracking.bots import is_bot_request
from carerecruit.tracking.models import DailyVisitor, Event, EventKind, VisitorSalt
from carerecruit.tracking.visitors import visitor_hash

logger = logging.getLogger(__name__)

DIRECT = "direct"
# Click ids are 32 lower-case hex characters (tracking/clickids.py). Anything else in ?cid= is
# ignored without a database query.
_CLICK_ID = re.compile(r"[0-9a-f]{32}")
_EVENT_KINDS = frozenset(EventKind.values)


@dataclass(frozen=True)
class Attribution:
    """Where a visitor came from: the tracked link (None without one), its channel (a
    ``campaigns.models.Channel`` value, ``direct`` when nothing is known), normalised UTM
    values, the referring site's host name and the click id from ``?cid=``.

    :meth:`as_model_fields` gives exactly the attribution fields of
    ``candidates.models.Application``.
    """

    link: TrackedLink | None = None
    channel: str = DIRECT
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    utm_content: str = ""
    utm_term: str = ""
    referrer_host: str = ""
    click_id: str = ""

    def as_model_fields(self) -> dict:
        """``{"link": …, "channel": …, "utm_source": …, …, "click_id": …}``."""
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}

    def utm(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in UTM_FIELDS}


NO_ATTRIBUTION = Attribution()


# ---------------------------------------------------------------------------------------
# Reading a request

# Request headers by which browsers mark a speculative fetch, and the tokens that mean
# one: Chrome's speculation rules and <link rel=prefetch> send ``Sec-Purpose: prefetch``
# (``prefetch;prerender`` for a prerender; Fetch Metadata, W3C), older Chrome and Safari
# ``Purpose: prefetch``, Firefox ``X-Moz: prefetch``, Safari's Top Sites
# ``X-Purpose: preview``.
_PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_MOZ", "HTTP_X_PURPOSE")
_PREFETCH_TOKENS = frozenset({"prefetch", "prerender", "preview"})
_HEADER_TOKENS = re.compile(r"[;,\s]+")


def is_prefetch(request) -> bool:
    """True when the browser marked ``request`` as a prefetch, prerender or preview: it
    fetched the page in case the person opens it, so nobody has clicked or visited yet.
    The response is the same (a prefetched redirect still works); nothing is counted."""
    for header in _PREFETCH_HEADERS:
        value = request.META.get(header)
        if value and _PREFETCH_TOKENS.intersection(_HEADER_TOKENS.split(value.strip().lower())):
            return True
    return False



def referrer_host(request) -> str:
    """The host name of the ``Referer`` header, lower case, without port; "" when there
    is none, it is unparseable, or it is our own site (a page of ours linking to another
    is not a source)."""
    raw = request.META.get("HTTP_REFERER", "")
    if not raw:
        return ""
    try:
        host = urlsplit(raw.strip()).hostname or ""
    except ValueError:
        return ""
    host = clean_text(host, 255).lower()
    if not host:
        return ""
    # Our own host name as the browser sent it, only to compare with: unvalidated is
    # enough here, and request.get_host()'s ALLOWED_HOSTS check is a tenth of the
    # redirect's time.
    own, _port = split_domain_port(request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", ""))
    return "" if host == own.strip("[]") else host


def _link_of(link_id: int, campaign: Campaign) -> TrackedLink | None:
    """Tracked link ``link_id`` when it belongs to ``campaign`` (a signed click id names
    its link: :mod:`carerecruit.tracking.clickids`), else None."""
    return TrackedLink.objects.filter(pk=link_id, campaign=campaign).first()


def _click_for(cid: str, campaign: Campaign) -> Event | None:
    """The click event with the legacy (bare, 32 hex) click id ``cid`` on ``campaign``,
    or None (unknown, malformed, a bot's, or another campaign's click). Click ids handed
    out since the click spool are signed and need no lookup (:func:`_link_of`)."""
    cid = cid.strip().lower()
    if not _CLICK_ID.fullmatch(cid):
        return None
    # Only click_id and kind go to the database, with the partial index's own condition
    # repeated, so that SQLite and PostgreSQL both seek the event_click_id index; a click
    # id is unique, so checking the rest here costs nothing.
    for click in (
        Event.objects.filter(click_id=cid, kind=EventKind.CLICK)
        .exclude(click_id="")
        .select_related("link")
        .order_by()[:2]
    ):
        if click.campaign_id == campaign.pk and not click.is_bot:
            return click
    return None


def _touch_from_request(request, campaign: Campaign, *, use_referrer: bool = True) -> Attribution | None:
    """Attribution carried by this request itself: ``?cid=`` (a known click: its link,
    channel and UTM values), else ``?utm_*`` values, else (when ``use_referrer``) the
    referring site. None when the request carries none of these."""
    ref = referrer_host(request)
    cid = request.GET.get("cid", "")
    token = clickids.verify(cid) if len(cid) > 32 else None
    if token is not None:
        link = _link_of(token.link_id, campaign)
        if link is not None:
            return Attribution(
                link=link,
                channel=link.channel,
                referrer_host=ref,
                click_id=token.click_id,
                **normalise_utm({name: getattr(link, name) for name in UTM_FIELDS}),
            )
    click = _click_for(cid, campaign) if token is None else None
    if click is not None:
        return Attribution(
            link=click.link,
            channel=click.channel,
            utm_source=click.utm_source,
            utm_medium=click.utm_medium,
            utm_campaign=click.utm_campaign,
            utm_content=click.utm_content,
            utm_term=click.utm_term,
            referrer_host=ref,
            click_id=click.click_id,
        )
    utm = normalise_utm(request.GET)
    if has_utm(utm):
        channel = channel_for(utm["utm_source"], utm["utm_medium"], ref)
        return Attribution(link=None, channel=channel, referrer_host=ref, **utm)
    if use_referrer and ref:
        return Attribution(link=None, channel=channel_for(referrer_host=ref), referrer_host=ref)
    return None


def _attribution_of(visitor: DailyVisitor) -> Attribution:
    utm = visitor.utm or {}
    return Attribution(
        link=visitor.link,
        channel=visitor.channel or DIRECT,
        referrer_host=visitor.referrer_host,
        click_id=visitor.click_id,
        **{name: str(utm.get(name, "")) for name in UTM_FIELDS},
    )


# ---------------------------------------------------------------------------------------
# Writing events


def _create_event(
    kind: str,
    campaign_id: int,
    attribution: Attribution,
    *,
    visitor: str = "",
    is_bot: bool = False,
) -> Event:
    if kind not in _EVENT_KINDS:
        raise ValueError(f"Unknown event kind {kind!r}")
    return Event.objects.create(
        kind=kind,
        occurred_at=timezone.now(),
        campaign_id=campaign_id,
        visitor_hash=visitor,
        is_bot=is_bot,
        **attribution.as_model_fields(),
    )


# At most one warning a minute per process when the spool cannot be written, with the
# number of clicks written to the database meanwhile, rather than one per click.
SPOOL_WARNING_EVERY_SECONDS = 60.0
_spool_warning = {"next_at": 0.0, "clicks": 0}


def _warn_spool_unwritable(exc: OSError) -> None:
    _spool_warning["clicks"] += 1
    now = time.monotonic()
    if now >= _spool_warning["next_at"]:
        logger.warning(
            "Click spool not writable (%s); %d click(s) written to the database instead "
            "since the last warning", exc, _spool_warning["clicks"])
        _spool_warning.update(next_at=now + SPOOL_WARNING_EVERY_SECONDS, clicks=0)


def record_click(request, link) -> str | None:
    """Record a click on ``link`` (a TrackedLink, or the redirect's cached
    :class:`carerecruit.tracking.clicks.LinkTarget`) and return the ``?cid=`` value to
    hand to the microsite: a new click id (32 hex characters) signed with the link's id
    (:func:`carerecruit.tracking.clickids.sign`).

    The click is appended to the click spool (one ``write(2)``, no database work; the
    worker inserts it within about a second: :mod:`carerecruit.tracking.spool`). When the
    spool is switched off or cannot be written, it is inserted into the database here
    instead (:func:`carerecruit.tracking.clicks.append_click`, one INSERT).

    A bot's click is recorded with ``is_bot=True`` (never counted) and gets no click id:
    returns None. A prefetch (:func:`is_prefetch`) records nothing and returns None.
    """
    from carerecruit.tracking.clicks import append_click, utm_of

    if is_prefetch(request):
        return None
    bot = is_bot_request(request)
    click_id = "" if bot else clickids.new_click_id()
    occurred_at = timezone.now()
    ref = referrer_host(request)
    try:
        spool.append(occurred_at=occurred_at, campaign_id=link.campaign_id, link_id=link.pk,
                     channel=link.channel, utm=utm_of(link), click_id=click_id,
                     referrer_host=ref, is_bot=bot)
    except OSError as exc:
        if not isinstance(exc, spool.SpoolUnavailable):
            _warn_spool_unwritable(exc)
        append_click(link, occurred_at=occurred_at, is_bot=bot, click_id=click_id, referrer_host=ref)
    return clickids.sign(click_id, link.pk) if click_id else None


def _insert_first_view(
    day: datetime.date, campaign: Campaign, visitor: str, touch: Attribution, *, form_start: bool
) -> bool:
    """Insert the visitor's DailyVisitor row and its visit (and form start) events.

    Returns False, writing nothing, when the row already exists: the unique constraint
    on (day, campaign, visitor_hash) makes a reload racing the first view a repeat view.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                DailyVisitor.objects.create(
                    day=day,
                    campaign=campaign,
                    visitor_hash=visitor,
                    link=touch.link,
                    channel=touch.channel,
                    utm={name: value for name, value in touch.utm().items() if value},
                    click_id=touch.click_id,
                    referrer_host=touch.referrer_host,
                    form_started=form_start,
                )
        except IntegrityError:
            return False
        _create_event(EventKind.VISIT, campaign.pk, touch, visitor=visitor)
        if form_start:
            _create_event(EventKind.FORM_START, campaign.pk, touch, visitor=visitor)
    return True


def record_microsite_view(request, campaign: Campaign) -> None:
    """Count a visit when this is the visitor's first view of ``campaign``'s microsite on
    this local day, remembering its first-touch attribution (``?cid=``, ``?utm_*``,
    referrer host; an unknown or malformed ``cid`` is ignored).

    Repeat views cost one indexed read. Bots and prefetches record nothing.
    """
    if is_prefetch(request) or is_bot_request(request):
        return
    day = local_date(timezone.now())
    visitor = visitor_hash(request, day)
    if DailyVisitor.objects.filter(day=day, campaign=campaign, visitor_hash=visitor).exists():
        return
    touch = _touch_from_request(request, campaign) or NO_ATTRIBUTION
    _insert_first_view(day, campaign, visitor, touch, form_start=False)


def record_form_start(request, campaign: Campaign) -> None:
    """Count a form start on the visitor's first view of ``campaign``'s apply form this
    local day (call it on GET of the form). Someone who arrives straight at the form is
    counted as a visit too, with this request's attribution. Bots and prefetches
    record nothing.

    Race-safe: the flag is set by a conditional UPDATE, so two concurrent first views
    make one form start.
    """
    if is_prefetch(request) or is_bot_request(request):
        return
    day = local_date(timezone.now())
    visitor = visitor_hash(request, day)
    mine = DailyVisitor.objects.filter(day=day, campaign=campaign, visitor_hash=visitor)
    for _attempt in range(2):
        with transaction.atomic():
            if mine.filter(form_started=False).update(form_started=True):
                first = mine.select_related("link").get()
                _create_event(
                    EventKind.FORM_START, campaign.pk, _attribution_of(first), visitor=visitor
                )
                return
        if mine.exists():
            return
        touch = _touch_from_request(request, campaign) or NO_ATTRIBUTION
        if _insert_first_view(day, campaign, visitor, touch, form_start=True):
            return
        # Lost a race with the visitor's own microsite view: flag that row instead.


def _existing_salt_day(day: datetime.date) -> bool:
    return VisitorSalt.objects.filter(day=day).exists()


def attribution_for(request, campaign: Campaign) -> Attribution:
    """The attribution to keep on an application made by this request.

    In order: ``?cid=`` / ``?utm_*`` on this request; else the visitor's first touch on
    this campaign today (or yesterday, for an application just after midnight); else
    the referring site of this request; else direct (channel ``direct``, all blank).
    """
    touch = _touch_from_request(request, campaign, use_referrer=False)
    if touch is not None:
        return touch
    today = local_date(timezone.now())
    for day in (today, today - datetime.timedelta(days=1)):
        if day != today and not _existing_salt_day(day):
            break
        first = (
            DailyVisitor.objects.filter(
                day=day, campaign=campaign, visitor_hash=visitor_hash(request, day)
            )
            .select_related("link")
            .first()
        )
        if first is not None:
            return _attribution_of(first)
    return _touch_from_request(request, campaign) or NO_ATTRIBUTION


def record_application(application, *, occurred_at: datetime.datetime | None = None) -> Event:
    """Append the ``application`` event of an application (see :func:`record_outcome`)."""
    return record_outcome(application, EventKind.APPLICATION, occurred_at=occurred_at)


def record_outcome(
    application, kind: str, *, occurred_at: datetime.datetime | None = None
) -> Event:
    """Append a funnel event of ``kind`` (application, shortlisted, placed, retained_6m)
    for a ``candidates.models.Application``, copying its attribution (link, channel, UTM
    values, referrer host, click id), so outcomes are credited to the link that brought
    the person.

    Call it inside the transaction that makes the change, so both or neither are kept.
    ``occurred_at`` defaults to now; pass it only when importing past records (they must
    count on their own local day). Raises ValueError for an unknown kind.
    """
    if kind not in _EVENT_KINDS:
        raise ValueError(f"Unknown funnel event kind {kind!r}")
    # Built here rather than from an Attribution so that application.link is not fetched.
    return Event.objects.create(
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        campaign_id=application.campaign_id,
        link_id=application.link_id,
        channel=application.channel or DIRECT,
        utm_source=application.utm_source,
        utm_medium=application.utm_medium,
        utm_campaign=application.utm_campaign,
        utm_content=application.utm_content,
        utm_term=application.utm_term,
        referrer_host=application.referrer_host,
        click_id=application.click_id,
        is_simulated=application.is_simulated,
    )
