"""Staff forms for campaigns (the studio), their images and tracked links.

Forms validate; the writes are in :mod:`carerecruit.campaigns.actions`.
"""

from __future__ import annotations

import io
import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve

from carerecruit.campaigns.colour import AA_NORMAL_TEXT, contrast_ratio, format_ratio
from carerecruit.campaigns.models import RESERVED_SLUGS, Campaign, Channel, TrackedLink
from carerecruit.govuk.forms import GovukDateField
from carerecruit.lib.phones import normalise_phone
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole

LINK_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.DIRECT]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HASHTAG = re.compile(r"^#\w{1,59}$")
_HEX = re.compile(r"^#[0-9a-f]{6}$")

MAX_WHY_JOIN = 10
MAX_FAQS = 30
EMPTY_FAQ_FORMS = 3  # "add another" without JavaScript: always this many blank pairs.
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_BULK_FILE_BYTES = 2 * 1024 * 1024
# Pillow refuses larger images as possible decompression bombs; posters never need more.
MAX_IMAGE_PIXELS = 40_000_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"


# The microsite's pages a tracked link may open: the home page and the form. Other
# pages under /c/<slug>/ (the confirmation) need a token, and anything else is a 404.
LINKABLE_PAGES = frozenset({"campaigns:microsite", "candidates:apply"})
NOT_A_PAGE_PATH = "Enter a page of the microsite, like apply/, not a web address"
BAD_PATH_CHARACTERS = (
    "Enter a path inside the microsite using letters, numbers, hyphens and slashes, like apply/"
)
NO_SUCH_PAGE = (
    "There is no such page on the microsite: leave this blank for its home page, or enter "
    "apply/ for the application form"
)


def clean_destination_path(value: str) -> str:
    """A page of the campaign's microsite as a path relative to it, without a leading
    slash (``"apply/"``); ``""`` for the home page. One leading slash is allowed
    (``/apply`` → ``"apply/"``); a missing final slash is added.

    Raises ValidationError for anything that is not such a page: a protocol-relative
    address (``//evil.example``) or one with a scheme or backslashes, ``..`` or empty
    segments, characters other than letters, digits, ``-``, ``_`` and ``/``, and paths
    that are not one of :data:`LINKABLE_PAGES`. The redirect keeps any stored path
    inside the microsite as well (``tracking.views.destination_url``), so this is about
    telling staff at once, not the last line of defence.
    """
    raw = (value or "").strip()
    if not raw:
        return ""
    if raw.startswith("//") or "\\" in raw or ":" in raw:
        raise ValidationError(NOT_A_PAGE_PATH)
    path = raw.removeprefix("/")
    if ".." in path or "//" in path or not all(ch.isalnum() or ch in "-_/" for ch in path):
        raise ValidationError(BAD_PATH_CHARACTERS)
    if path and not path.endswith("/"):
        path += "/"
    try:
        match = resolve(f"/c/{RESOLVE_SLUG}/{path}")
    except Resolver404:
        match = None
    if match is None or match.view_name not in LINKABLE_PAGES:
        raise ValidationError(NO_SUCH_PAGE)
    return path


# Any valid slug: only the shape of the path after /c/<slug>/ is being checked.
RESOLVE_SLUG = "campaign"


# ---------------------------------------------------------------------------------------
# Campaign studio


def check_brand_colour(value: str) -> str:
    """``value`` as a lower-case ``#rrggbb`` colour with at least 4.5:1 contrast against
    white (WCAG 2.2, 1.4.3). Raises ValidationError giving the ratio when it has less."""
    colour = (value or "").strip().lower()
    if not _HEX.fullmatch(colour):
        raise ValidationError("Enter the brand colour as # and 6 letters or numbers, like #1d3a5f")
    ratio = contrast_ratio(colour)
    if ratio < AA_NORMAL_TEXT:
        raise ValidationError(
            f"{colour} has a contrast of {format_ratio(ratio)} against white; "
            "choose a darker colour (4.5:1 or more)"
        )
    return colour


class PartnerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} (care provider)" if obj.kind == Organisation.Kind.PROVIDER else obj.name


class CampaignForm(forms.Form):
    """A campaign's details and microsite content, as written in the studio.

    ``cleaned_data`` holds :data:`carerecruit.campaigns.actions.CONTENT_FIELDS` (except
    ``faqs``, which come from :class:`FaqFormSet`) plus ``job_roles`` and ``partners``
    querysets. ``why_join`` is typed one reason per line and cleaned to a list. Once a
    campaign has been live its slug cannot change: the field is shown disabled.
    """

    name = forms.CharField(
        label="Campaign name", max_length=120,
        help_text="Shown as the title of the microsite and in the staff area.",
        error_messages={"required": "Enter a campaign name"},
    )
    slug = forms.CharField(
        label="Web address", max_length=60,
        help_text="Lower-case letters, numbers and hyphens, like come-back-to-care. The "
        "microsite will be at /c/ followed by this. It cannot change once the campaign "
        "is live, because printed links and QR codes use it.",
        error_messages={"required": "Enter a web address for the microsite"},
    )
    hashtag = forms.CharField(
        label="Hashtag", max_length=60, required=False, help_text="For example, #ComeBackToCare.",
    )
    audience = forms.CharField(
        label="Who is the campaign for?", max_length=200,
        help_text="For example, former social workers who have left the profession.",
        error_messages={"required": "Enter who the campaign is for"},
    )
    starts_on = GovukDateField(
        label="Start date", label_lower="start date", required=False,
        help_text="For example, 20 4 2026.",
    )
    ends_on = GovukDateField(
        label="End date", label_lower="end date", required=False,
        help_text="Applications close at the end of this day.",
    )
    job_roles = forms.ModelMultipleChoiceField(
        label="Roles the campaign is recruiting for", queryset=JobRole.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Candidates choose from these on the application form.",
    )
    partners = PartnerChoiceField(
        label="Partner organisations", queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Councils and care providers taking part.",
    )
    headline = forms.CharField(
        label="Headline", max_length=160, required=False,
        help_text="The main heading of the microsite, for example 'Come back to social work'.",
    )
    introduction = forms.CharField(
        label="Introduction", max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A few short paragraphs. Leave a blank line between paragraphs.",
    )
    why_join = forms.CharField(
        label="Why join", max_length=3000, required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"One reason per line, up to {MAX_WHY_JOIN}. They are shown as a list.",
    )
    contact_email = forms.EmailField(
        label="Contact email address", required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    contact_phone = forms.CharField(
        label="Contact phone number", max_length=30, required=False,
        help_text="For example, 0121 496 0000.",
    )
    brand_colour = forms.CharField(
        label="Brand colour", max_length=7, initial="#1d3a5f",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        help_text="# and 6 letters or numbers, like #1d3a5f. It must have a contrast of at "
        "least 4.5:1 against white, so text on it and beside it can be read.",
        error_messages={"required": "Enter a brand colour, like #1d3a5f"},
    )

    def __init__(self, *args, campaign: Campaign | None = None, region=None, **kwargs):
        self.campaign = campaign
        if campaign is not None and "initial" not in kwargs:
            kwargs["initial"] = campaign_initial(campaign)
        super().__init__(*args, **kwargs)
        self.fields["job_roles"].queryset = JobRole.objects.filter(offered_on_forms=True).order_by("name")
        region_id = campaign.region_id if campaign is not None else getattr(region, "pk", None)
        partners = Organisation.objects.filter(
            kind__in=[Organisation.Kind.COUNCIL, Organisation.Kind.PROVIDER], is_active=True
        )
        if region_id is not None:
            partners = partners.filter(region_id=region_id)
        self.fields["partners"].queryset = partners.order_by("kind", "name")
        if self.slug_locked:
            slug = self.fields["slug"]
            slug.disabled = True
            slug.help_text = (
                "This cannot be changed: the campaign has been live, and printed links and "
                "QR codes use it."
            )

    @property
    def slug_locked(self) -> bool:
        return self.campaign is not None and self.campaign.status != Campaign.Status.DRAFT

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        if self.slug_locked:
            return self.campaign.slug
        if len(slug) < 3 or not _SLUG.fullmatch(slug):
            raise ValidationError(
                "The web address must be at least 3 characters: lower-case letters, numbers "
                "and single hyphens, like come-back-to-care"
            )
        if slug in RESERVED_SLUGS:
            raise ValidationError(f"‘{slug}’ is reserved: choose another web address")
        others = Campaign.objects.filter(slug=slug)
        if self.campaign is not None:
            others = others.exclude(pk=self.campaign.pk)
        if others.exists():
            raise ValidationError("Another campaign already uses this web address")
        return slug

    def clean_hashtag(self) -> str:
        hashtag = self.cleaned_data["hashtag"].strip()
        if not hashtag:
            return ""
        if not hashtag.startswith("#"):
            hashtag = "#" + hashtag
        if not _HASHTAG.fullmatch(hashtag):
            raise ValidationError("A hashtag is # then letters, numbers or underscores, with no spaces")
        return hashtag

    def clean_why_join(self) -> list[str]:
        reasons = [line.strip() for line in self.cleaned_data["why_join"].splitlines() if line.strip()]
        if len(reasons) > MAX_WHY_JOIN:
            raise ValidationError(f"Give at most {MAX_WHY_JOIN} reasons (one per line)")
        if any(len(reason) > 200 for reason in reasons):
            raise ValidationError("Each reason must be 200 characters or fewer")
        return reasons

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        if phone:
            try:
                normalise_phone(phone)
            except ValueError:
                raise ValidationError("Enter a UK phone number, like 0121 496 0000") from None
        return phone

    def clean_brand_colour(self) -> str:
        return check_brand_colour(self.cleaned_data["brand_colour"])

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return cleaned

    def content(self) -> dict:
        """The cleaned studio content, ready for do_create/do_update_campaign."""
        data = {name: self.cleaned_data[name] for name in (
            "name", "slug", "hashtag", "audience", "starts_on", "ends_on", "headline",
            "introduction", "why_join", "contact_email", "contact_phone", "brand_colour",
        )}
        data["headline"] = data["headline"].strip()
        data["introduction"] = data["introduction"].strip()
        return data


def campaign_initial(campaign: Campaign) -> dict:
    """The studio form's initial values for an existing campaign."""
    return {
        "name": campaign.name,
        "slug": campaign.slug,
        "hashtag": campaign.hashtag,
        "audience": campaign.audience,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "job_roles": list(campaign.job_roles.values_list("pk", flat=True)),
        "partners": list(campaign.partners.values_list("pk", flat=True)),
        "headline": campaign.headline,
        "introduction": campaign.introduction,
        "why_join": "\n".join(str(reason) for reason in campaign.why_join or []),
        "contact_email": campaign.contact_email,
        "contact_phone": campaign.contact_phone,
        "brand_colour": campaign.brand_colour,
    }


class FaqForm(forms.Form):
    """One question and its answer. Both blank = no FAQ (how one is removed)."""

    question = forms.CharField(max_length=200, required=False)
    answer = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, number: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        self.fields["question"].label = f"Question {number}"
        self.fields["answer"].label = f"Answer {number}"

    def clean(self):
        cleaned = super().clean()
        question = (cleaned.get("question") or "").strip()
        answer = (cleaned.get("answer") or "").strip()
        if question and not answer and "answer" not in self.errors:
            self.add_error("answer", f"Enter an answer to question {self.number}, or clear the question")
        if answer and not question and "question" not in self.errors:
            self.add_error("question", f"Enter question {self.number}, or clear the answer")
        cleaned["question"], cleaned["answer"] = question, answer
        return cleaned


class BaseFaqFormSet(forms.BaseFormSet):
    """The FAQs of a campaign, in order, plus :data:`EMPTY_FAQ_FORMS` blank pairs so that
    more can be added without JavaScript (save, and three more blank pairs appear)."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["number"] = index + 1
        return kwargs

    def faqs(self) -> list[dict]:
        """``[{"question": str, "answer": str}, ...]`` of the filled-in pairs, in order."""
        return [
            {"question": form.cleaned_data["question"], "answer": form.cleaned_data["answer"]}
            for form in self.forms
            if form.cleaned_data.get("question") and form.cleaned_data.get("answer")
        ]


FaqFormSet = forms.formset_factory(
    FaqForm, formset=BaseFaqFormSet, extra=EMPTY_FAQ_FORMS, max_num=MAX_FAQS,
    absolute_max=MAX_FAQS + EMPTY_FAQ_FORMS, validate_max=True,
)


def faq_formset(data=None, campaign: Campaign | None = None) -> BaseFaqFormSet:
    """The FAQ formset (prefix ``faq``): bound to ``data`` on POST, else filled with the
    campaign's FAQs."""
    initial = [
        {"question": faq.get("question", ""), "answer": faq.get("answer", "")}
        for faq in (campaign.faqs if campaign is not None else []) or []
        if isinstance(faq, dict)
    ]
    return FaqFormSet(data, initial=initial, prefix="faq")


# ---------------------------------------------------------------------------------------
# Images


class CampaignImageField(forms.FileField):
    """An uploaded PNG or JPEG of at most 2 MB, judged by its content, not its name.

    The first bytes must be a PNG or JPEG signature and Pillow must read the whole image
    as that same format (a renamed or truncated file fails). The cleaned file carries
    ``image_format`` (``"png"`` or ``"jpeg"``).
    """

    default_error_messages = {
        "required": "Choose an image file",
        "empty": "The chosen file is empty",
        "too_big": "The image must be 2 MB or smaller",
        "not_image": "The image must be a PNG or JPEG file",
        "too_many_pixels": "The image is too large: use one under 40 megapixels",
    }

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        if upload.size > MAX_IMAGE_BYTES:
            raise ValidationError(self.error_messages["too_big"], code="too_big")
        upload.seek(0)
        head = upload.read(8)
        if head.startswith(PNG_SIGNATURE):
            expected = "PNG"
        elif head.startswith(JPEG_SIGNATURE):
            expected = "JPEG"
        else:
            raise ValidationError(self.error_messages["not_image"], code="not_image")
        from PIL import Image  # Only the image pages need Pillow loaded.

        upload.seek(0)
        content = io.BytesIO(upload.read())
        try:
            with Image.open(content) as image:
                if image.format != expected:
                    raise ValidationError(self.error_messages["not_image"], code="not_image")
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise ValidationError(self.error_messages["too_many_pixels"], code="too_many_pixels")
                image.load()  # Decodes every pixel: a truncated file fails here.
        except ValidationError:
            raise
        except Exception:  # Pillow raises many types for broken files.
            raise ValidationError(self.error_messages["not_image"], code="not_image") from None
        upload.seek(0)
        upload.image_format = expected.lower()
        return upload


ALT_TEXT_HELP = (
    "Describe what the image shows for someone who cannot see it, for example ‘A support "
    "worker and an older man laughing over a cup of tea’. Do not start with ‘Image of’."
)


class CampaignImageDetailsForm(forms.Form):
    """Alt text (required unless decorative), the decorative tick and the order."""

    alt_text = forms.CharField(label="Alt text", max_length=250, required=False, help_text=ALT_TEXT_HELP)
    is_decorative = forms.BooleanField(
        label="This image is decorative: it adds nothing a screen reader user needs to know",
        required=False, help_text="A decorative image is shown with empty alt text.",
    )
    order = forms.IntegerField(
        label="Position", min_value=1, max_value=99, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        help_text="1 is shown first.",
        error_messages={"invalid": "Enter the position as a number, like 1"},
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_decorative") and not (cleaned.get("alt_text") or "").strip() \
                and "alt_text" not in self.errors:
            self.add_error(
                "alt_text", "Enter alt text that describes the image, or tick that it is decorative"
            )
        return cleaned


class CampaignImageForm(CampaignImageDetailsForm):
    """A new image: the file, then its details."""

    image = CampaignImageField(label="Image file", help_text="A PNG or JPEG, 2 MB or smaller.")
    field_order = ["image", "alt_text", "is_decorative", "order"]


# ---------------------------------------------------------------------------------------
# Tracked links


class TrackedLinkForm(forms.ModelForm):
    """A new tracked link for one post, ad, e-mail or print run.

    UTM source and medium default from the channel (source = channel, medium from
    :data:`carerecruit.campaigns.models.DEFAULT_UTM_MEDIUM`); UTM campaign defaults to the
    campaign's slug. Values are normalised as :mod:`carerecruit.lib.utm` does for clicks.
    """

    channel = forms.ChoiceField(
        choices=LINK_CHANNELS, label="Channel",
        error_messages={"required": "Select a channel", "invalid_choice": "Select a channel from the list"},
    )

    class Meta:
        model = TrackedLink
        fields = ["channel", "label", "utm_content", "utm_term", "utm_source", "utm_medium", "destination_path"]
        labels = {
            "label": "What is this link for?",
            "utm_content": "UTM content",
            "utm_term": "UTM term",
            "utm_source": "UTM source",
            "utm_medium": "UTM medium",
            "destination_path": "Page within the microsite",
        }
        help_texts = {
            "label": "For example, 'Facebook post 3 May, nurse video' or 'Leaflet for GP surgeries'.",
            "utm_content": "Tells apart posts or ads on the same channel, for example 'video-1'.",
            "utm_term": "Usually the paid search keyword.",
            "utm_source": "Leave blank to use the channel, for example 'facebook'.",
            "utm_medium": "Leave blank to use the usual medium for the channel, for example 'social'.",
            "destination_path": "Leave blank for the microsite's home page, or give a path such as 'apply/'.",
        }
        # GOV.UK wording rather than Django's ("This field is required.").
        error_messages = {
            "label": {
                "required": "Enter what this link is for",
                "max_length": "What this link is for must be 200 characters or fewer",
            },
            "utm_content": {"max_length": "UTM content must be 255 characters or fewer"},
            "utm_term": {"max_length": "UTM term must be 255 characters or fewer"},
            "utm_source": {"max_length": "UTM source must be 100 characters or fewer"},
            "utm_medium": {"max_length": "UTM medium must be 100 characters or fewer"},
            "destination_path": {"max_length": "Page within the microsite must be 200 characters or fewer"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].required = True
        self.fields["utm_source"].required = False
        self.fields["utm_medium"].required = False

    def clean_destination_path(self):
        return clean_destination_path(self.cleaned_data.get("destination_path"))


class LinkRowForm(forms.Form):
    """One row of a bulk import (columns of :data:`carerecruit.campaigns.bulk_links.COLUMNS`);
    field names are the column names, so errors name the column."""

    channel = forms.ChoiceField(
        choices=LINK_CHANNELS,
        error_messages={"required": "Enter a channel", "invalid_choice": "%(value)s is not a channel"},
    )
    label = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter what the link is for",
            "max_length": "What the link is for must be 200 characters or fewer",
        },
    )
    utm_content = forms.CharField(
        max_length=255, required=False,
        error_messages={"max_length": "UTM content must be 255 characters or fewer"},
    )
    utm_term = forms.CharField(
        max_length=255, required=False,
        error_messages={"max_length": "UTM term must be 255 characters or fewer"},
    )
    destination_path = forms.CharField(
        max_length=200, required=False,
        error_messages={"max_length": "The page within the microsite must be 200 characters or fewer"},
    )

    def clean_destination_path(self):
        return clean_destination_path(self.cleaned_data.get("destination_path"))


class BulkLinksForm(forms.Form):
    """Rows pasted as CSV text and/or a CSV or XLSX file (at least one)."""

    rows = forms.CharField(
        label="Paste rows", required=False, max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="A header row, then one row per link, separated by commas. Cells copied "
        "from a spreadsheet work too.",
    )
    file = forms.FileField(
        label="Or upload a file", required=False,
        help_text="A CSV file (UTF-8) or an Excel workbook (.xlsx), 2 MB or smaller. The first sheet is read.",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_BULK_FILE_BYTES:
            raise ValidationError("The file must be 2 MB or smaller")
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("rows") or "").strip() and not cleaned.get("file"):
            self.add_error("rows", "Paste rows or choose a file")
        return cleaned
