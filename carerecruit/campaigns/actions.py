"""Writes for campaigns, their images and tracked links.

Views, commands and tests change campaigns only through these functions. Each is atomic;
status changes lock the campaign row, so two people pressing "Publish" and "Close" at
once take turns and the second sees the first one's result. Every change is logged to
``carerecruit.campaigns`` with who made it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import get_image_dimensions
from django.db import IntegrityError, transaction
from django.utils import timezone

from carerecruit.campaigns.colour import AA_NORMAL_TEXT, contrast_ratio, format_ratio
from carerecruit.campaigns.models import (
    DEFAULT_UTM_MEDIUM,
    Campaign,
    CampaignImage,
    TrackedLink,
    new_link_code,
)
from carerecruit.lib import utm
from carerecruit.lib.localtime import local_today
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import Region

logger = logging.getLogger(__name__)

# What staff write in the studio; do_create_campaign / do_update_campaign accept these.
CONTENT_FIELDS = (
    "name", "slug", "hashtag", "audience", "starts_on", "ends_on", "headline",
    "introduction", "why_join", "faqs", "contact_email", "contact_phone", "brand_colour",
)
# Copied by do_clone_campaign (the slug and name are made new).
_CLONED_FIELDS = tuple(f for f in CONTENT_FIELDS if f not in ("name", "slug")) + ("region_id", "owner_id")

MAX_BULK_LINKS = 500
MAX_IMAGES = 12


class CampaignError(Exception):
    """A change the campaign's current state does not allow; ``str()`` is a message
    fit to show staff."""


class SlugLocked(CampaignError):
    """The web address of a campaign that has been live cannot change: printed links,
    posters and QR codes use it."""


class SlugTaken(CampaignError):
    """Another campaign already has this web address."""


class WrongStatus(CampaignError):
    """The campaign is not in the status this change starts from."""


@dataclass(frozen=True)
class Problem:
    """Why a campaign cannot be published yet: the studio form ``field`` to fix and a
    message for staff."""

    field: str
    message: str


class NotReadyToPublish(CampaignError):
    """Raised by :func:`do_publish_campaign`; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def _who(user) -> str:
    return getattr(user, "username", None) or "system"


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def default_region_and_owner(user) -> tuple[Region, Organisation]:
    """The user's regional body and its region; for a platform admin with no
    organisation, the deployment's region (``CARERECRUIT_REGION_CODE``) and its body."""
    organisation = getattr(user, "organisation", None)
    if organisation is not None and organisation.is_regional_body:
        return organisation.region, organisation
    region = Region.objects.get(gss_code=settings.CARERECRUIT_REGION_CODE)
    owner = Organisation.objects.get(region=region, kind=Organisation.Kind.REGIONAL_BODY)
    return region, owner


# ---------------------------------------------------------------------------------------
# Campaigns


def do_create_campaign(
    *, created_by, job_roles: Iterable = (), partners: Iterable = (), **fields
) -> Campaign:
    """Create a draft campaign from studio content (``fields`` ⊆ :data:`CONTENT_FIELDS`;
    ``why_join`` a list of strings, ``faqs`` a list of ``{"question", "answer"}``,
    dates are local dates). Owned by ``created_by``'s regional body.

    Raises SlugTaken when the slug is in use (also when another request took it a moment
    ago), ValueError for a field that is not studio content.
    """
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not campaign content: {sorted(unknown)}")
    region, owner = default_region_and_owner(created_by)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                region=region, owner=owner, status=Campaign.Status.DRAFT,
                created_by=created_by, **fields,
            )
            campaign.job_roles.set(job_roles)
            campaign.partners.set(partners)
    except IntegrityError:
        if Campaign.objects.filter(slug=fields.get("slug")).exists():
            raise SlugTaken(f"A campaign already uses the web address {fields.get('slug')}") from None
        raise
    logger.info("campaign %s created by %s", campaign.slug, _who(created_by))
    return campaign


def do_update_campaign(
    campaign: Campaign, *, updated_by, job_roles: Iterable | None = None,
    partners: Iterable | None = None, **fields
) -> Campaign:
    """Change a campaign's studio content (``fields`` ⊆ :data:`CONTENT_FIELDS`; roles and
    partners replaced when given). Status is not changed here: see
    :func:`do_publish_campaign` and :func:`do_close_campaign`.

    Raises SlugLocked when the slug would change on a campaign that is live or closed,
    SlugTaken when another campaign has it. Updates ``campaign`` in place and returns it.
    """
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not campaign content: {sorted(unknown)}")
    try:
        with transaction.atomic():
            current = _lock(campaign)
            if "slug" in fields and fields["slug"] != current.slug and current.status != Campaign.Status.DRAFT:
                raise SlugLocked(
                    "The web address cannot change once the campaign has been live: "
                    "printed links and QR codes use it"
                )
            for name, value in fields.items():
                setattr(current, name, value)
            current.save()
            if job_roles is not None:
                current.job_roles.set(job_roles)
            if partners is not None:
                current.partners.set(partners)
    except IntegrityError:
        if Campaign.objects.filter(slug=fields.get("slug")).exclude(pk=campaign.pk).exists():
            raise SlugTaken(f"A campaign already uses the web address {fields.get('slug')}") from None
        raise
    campaign.refresh_from_db()
    logger.info("campaign %s updated by %s", campaign.slug, _who(updated_by))
    return campaign


def clone_slug(slug: str) -> str:
    """The first free slug of ``<slug>-copy``, ``<slug>-copy-2``, … (at most 60
    characters, the base cut to fit)."""
    max_length = Campaign._meta.get_field("slug").max_length
    number = 1
    while True:
        suffix = "-copy" if number == 1 else f"-copy-{number}"
        candidate = slug[: max_length - len(suffix)].rstrip("-") + suffix
        if not Campaign.objects.filter(slug=candidate).exists():
            return candidate
        number += 1


def do_clone_campaign(campaign: Campaign, *, created_by) -> Campaign:
    """A new draft with ``campaign``'s content, roles, partners and images (the image
    files are copied, so removing one from either campaign leaves the other alone).
    Tracked links and counts are not copied: they belong to the original. The copy is
    named "<name> (copy)" with slug from :func:`clone_slug`. Returns the new campaign.
    """
    name_length = Campaign._meta.get_field("name").max_length
    for _attempt in range(3):
        try:
            with transaction.atomic():
                copy = Campaign(
                    name=f"{campaign.name[: name_length - 7]} (copy)",
                    slug=clone_slug(campaign.slug),
                    status=Campaign.Status.DRAFT,
                    created_by=created_by,
                    **{field: getattr(campaign, field) for field in _CLONED_FIELDS},
                )
                copy.save()
                copy.job_roles.set(campaign.job_roles.all())
                copy.partners.set(campaign.partners.all())
                for image in campaign.images.all():
                    _copy_image(image, copy)
        except IntegrityError:
            continue  # Someone took the same "-copy" slug a moment ago: pick the next.
        logger.info("campaign %s cloned to %s by %s", campaign.slug, copy.slug, _who(created_by))
        return copy
    raise SlugTaken("Could not find a free web address for the copy; try again")


def _copy_image(image: CampaignImage, campaign: Campaign) -> None:
    try:
        with image.image.open("rb") as source:
            content = source.read()
    except FileNotFoundError:
        logger.warning("image file %s is missing; not copied", image.image.name)
        return
    copy = CampaignImage(
        campaign=campaign, alt_text=image.alt_text, is_decorative=image.is_decorative,
        order=image.order,
    )
    copy.image.save(image.image.name.rsplit("/", 1)[-1], ContentFile(content), save=False)
    copy.width, copy.height = image.width, image.height
    copy.save()


def publish_problems(campaign: Campaign, today=None) -> list[Problem]:
    """Everything that stops ``campaign`` going live, in form order (empty = ready).

    Rules: a headline, an introduction and an audience; at least one job role; a start
    and an end date, the end on or after the start and not before ``today`` (the
    Europe/London local date by default); a brand colour with 4.5:1 contrast against
    white (WCAG 2.2, 1.4.3).
    """
    today = today or local_today()
    problems = []
    if not campaign.audience.strip():
        problems.append(Problem("audience", "Enter who the campaign is for"))
    if not campaign.starts_on:
        problems.append(Problem("starts_on", "Enter the date the campaign starts"))
    if not campaign.ends_on:
        problems.append(Problem("ends_on", "Enter the date the campaign ends"))
    elif campaign.starts_on and campaign.ends_on < campaign.starts_on:
        problems.append(Problem("ends_on", "The end date must be on or after the start date"))
    elif campaign.ends_on < today:
        problems.append(Problem("ends_on", "The end date is in the past: change it to today or later"))
    if not campaign.job_roles.exists():
        problems.append(Problem("job_roles", "Choose at least one role the campaign is recruiting for"))
    if not campaign.headline.strip():
        problems.append(Problem("headline", "Enter a headline for the microsite"))
    if not campaign.introduction.strip():
        problems.append(Problem("introduction", "Enter an introduction for the microsite"))
    try:
        ratio = contrast_ratio(campaign.brand_colour)
    except ValueError:
        problems.append(Problem("brand_colour", "Enter a brand colour like #1d3a5f"))
    else:
        if ratio < AA_NORMAL_TEXT:
            problems.append(Problem(
                "brand_colour",
                f"{campaign.brand_colour} has a contrast of {format_ratio(ratio)} against white; "
                "choose a darker colour (4.5:1 or more)",
            ))
    return problems


def do_publish_campaign(campaign: Campaign, *, published_by, today=None) -> Campaign:
    """Draft → live: the microsite becomes public, its links start redirecting and
    applications are taken.

    Raises WrongStatus unless the campaign is a draft, NotReadyToPublish (with every
    problem from :func:`publish_problems`) when it is incomplete. Updates ``campaign``
    in place and returns it.
    """
    with transaction.atomic():
        current = _lock(campaign)
        if current.status != Campaign.Status.DRAFT:
            raise WrongStatus(f"Only a draft can be published; this campaign is {current.get_status_display().lower()}")
        problems = publish_problems(current, today)
        if problems:
            raise NotReadyToPublish(problems)
        current.status = Campaign.Status.LIVE
        current.published_at = timezone.now()
        current.save(update_fields=["status", "published_at", "updated_at"])
    campaign.refresh_from_db()
    logger.info("campaign %s published by %s", campaign.slug, _who(published_by))
    return campaign


def do_close_campaign(campaign: Campaign, *, closed_by) -> Campaign:
    """Live → closed: the microsite says so, stops taking applications and points to
    live campaigns; tracked links keep redirecting and counting.

    Raises WrongStatus unless the campaign is live. Updates ``campaign`` in place.
    """
    with transaction.atomic():
        current = _lock(campaign)
        if current.status != Campaign.Status.LIVE:
            raise WrongStatus(f"Only a live campaign can be closed; this campaign is {current.get_status_display().lower()}")
        current.status = Campaign.Status.CLOSED
        current.closed_at = timezone.now()
        current.save(update_fields=["status", "closed_at", "updated_at"])
    campaign.refresh_from_db()
    logger.info("campaign %s closed by %s", campaign.slug, _who(closed_by))
    return campaign


# ---------------------------------------------------------------------------------------
# Images


def do_add_campaign_image(
    campaign: Campaign, *, upload, image_format: str, alt_text: str, is_decorative: bool,
    order: int | None = None, added_by=None,
) -> CampaignImage:
    """Add an image to the microsite. ``upload`` is a checked file (PNG or JPEG, see
    :class:`carerecruit.campaigns.forms.CampaignImageField`), ``image_format`` ``"png"``
    or ``"jpeg"`` as found by content sniffing (it sets the stored file's extension).
    A decorative image keeps no alt text. ``order`` defaults to after the last image.

    Raises CampaignError when the campaign already has :data:`MAX_IMAGES` images,
    ValueError for another format or missing alt text.
    """
    extension = {"png": "png", "jpeg": "jpg"}.get(image_format)
    if extension is None:
        raise ValueError(f"Unsupported image format {image_format!r}")
    alt_text = "" if is_decorative else alt_text.strip()
    if not is_decorative and not alt_text:
        raise ValueError("An image needs alt text unless it is decorative")
    with transaction.atomic():
        _lock(campaign)
        existing = list(campaign.images.values_list("order", flat=True))
        if len(existing) >= MAX_IMAGES:
            raise CampaignError(f"A campaign can have at most {MAX_IMAGES} images; remove one first")
        if order is None:
            order = max(existing, default=0) + 1
        image = CampaignImage(campaign=campaign, alt_text=alt_text, is_decorative=is_decorative, order=order)
        image.image.save(f"image.{extension}", upload, save=False)
        # Read from the upload itself rather than trusting the field to re-open the file.
        image.width, image.height = get_image_dimensions(upload)
        try:
            image.save()
        except Exception:
            # The row was not written, so the stored file is no longer wanted.
            image.image.delete(save=False)
            raise
    logger.info("image %s added to campaign %s by %s", image.pk, campaign.slug, _who(added_by))
    return image


def do_update_campaign_image(
    image: CampaignImage, *, alt_text: str, is_decorative: bool, order: int, updated_by=None
) -> CampaignImage:
    """Change an image's alt text, decorative flag and order. Raises ValueError for
    missing alt text on an image that is not decorative."""
    alt_text = "" if is_decorative else alt_text.strip()
    if not is_decorative and not alt_text:
        raise ValueError("An image needs alt text unless it is decorative")
    image.alt_text, image.is_decorative, image.order = alt_text, is_decorative, order
    image.save(update_fields=["alt_text", "is_decorative", "order"])
    logger.info("image %s changed by %s", image.pk, _who(updated_by))
    return image


def do_remove_campaign_image(image: CampaignImage, *, removed_by=None) -> None:
    """Remove an image from its microsite and, once that is committed, its file."""
    storage, name = image.image.storage, image.image.name
    with transaction.atomic():
        image.delete()
        transaction.on_commit(lambda: storage.delete(name))
    logger.info("image %s removed by %s", name, _who(removed_by))


# ---------------------------------------------------------------------------------------
# Tracked links


def do_create_tracked_link(
    campaign: Campaign, *, channel: str, label: str, created_by=None, utm_source: str = "",
    utm_medium: str = "", utm_campaign: str = "", utm_content: str = "", utm_term: str = "",
    destination_path: str = "",
) -> TrackedLink:
    """Create a tracked link with a fresh unguessable code and normalised UTM values.

    Blank ``utm_source`` becomes the channel, blank ``utm_medium`` the channel's usual
    medium, blank ``utm_campaign`` the campaign slug. Retries on the (astronomically
    unlikely) code collision. Returns the saved link.
    """
    fields = utm.normalise_utm(
        {
            "utm_source": utm_source or channel,
            "utm_medium": utm_medium or DEFAULT_UTM_MEDIUM.get(channel, "referral"),
            "utm_campaign": utm_campaign or campaign.slug,
            "utm_content": utm_content,
            "utm_term": utm_term,
        }
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return TrackedLink.objects.create(
                    campaign=campaign, code=new_link_code(), channel=channel, label=label.strip(),
                    destination_path=destination_path, created_by=created_by, **fields,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not allocate a unique tracked-link code after 5 tries")


def do_create_tracked_links(
    campaign: Campaign, rows: Sequence[Mapping[str, str]], *, created_by=None
) -> list[TrackedLink]:
    """Create one tracked link per row, all or nothing (one transaction).

    Each row holds :func:`do_create_tracked_link`'s keyword values (``channel``,
    ``label``, optional ``utm_content``, ``utm_term``, ``destination_path``…), already
    validated (see :mod:`carerecruit.campaigns.bulk_links`). Raises ValueError for more
    than :data:`MAX_BULK_LINKS` rows or none. Returns the links in row order.
    """
    if not rows:
        raise ValueError("No rows to create")
    if len(rows) > MAX_BULK_LINKS:
        raise ValueError(f"At most {MAX_BULK_LINKS} links at once")
    with transaction.atomic():
        links = [do_create_tracked_link(campaign, created_by=created_by, **row) for row in rows]
    logger.info("%d links created on campaign %s by %s", len(links), campaign.slug, _who(created_by))
    return links
