"""Campaign studio writes: create, update, clone, publish, close (and images)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carerecruit.campaigns.actions import (
    NotReadyToPublish,
    Problem,
    SlugLocked,
    SlugTaken,
    WrongStatus,
    clone_slug,
    do_add_campaign_image,
    do_clone_campaign,
    do_close_campaign,
    do_create_campaign,
    do_publish_campaign,
    do_remove_campaign_image,
    do_update_campaign,
    publish_problems,
)
from carerecruit.campaigns.models import Campaign, CampaignImage, TrackedLink
from carerecruit.testing.factories import make_campaign, make_link

from .helpers import birmingham, png_bytes, social_worker

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 5, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def new_draft(personas, **fields):
    values = {
        "name": "Care to Care", "slug": "care-to-care", "audience": "People new to care",
        "headline": "Start a career in care", "introduction": "No experience needed.",
        "starts_on": datetime.date(2030, 5, 1), "ends_on": datetime.date(2030, 7, 31),
        "why_join": ["Paid training"], "faqs": [{"question": "Pay?", "answer": "£12.60 an hour"}],
        "brand_colour": "#1d3a5f",
    }
    values.update(fields)
    return do_create_campaign(
        created_by=personas.campaign_manager, job_roles=[social_worker()], partners=[birmingham()],
        **values,
    )


def test_create_makes_a_draft_owned_by_the_regional_body(personas):
    campaign = new_draft(personas)
    campaign.refresh_from_db()
    assert campaign.status == "draft"
    assert campaign.owner == personas.regional_body
    assert campaign.region.gss_code == "E12000005"
    assert campaign.created_by == personas.campaign_manager
    assert list(campaign.job_roles.values_list("code", flat=True)) == [6]
    assert list(campaign.partners.all()) == [birmingham()]
    assert campaign.faqs == [{"question": "Pay?", "answer": "£12.60 an hour"}]
    assert campaign.published_at is None


def test_create_with_a_taken_slug(personas, campaign):
    with pytest.raises(SlugTaken):
        new_draft(personas, slug=campaign.slug)
    assert Campaign.objects.count() == 1


def test_create_refuses_fields_that_are_not_content(personas):
    with pytest.raises(ValueError):
        new_draft(personas, status="live")


def test_update_changes_content_and_slug_of_a_draft(personas):
    campaign = new_draft(personas)
    do_update_campaign(
        campaign, updated_by=personas.regional_admin, slug="care-2", headline="New headline",
        job_roles=[], partners=[],
    )
    campaign.refresh_from_db()
    assert (campaign.slug, campaign.headline) == ("care-2", "New headline")
    assert campaign.job_roles.count() == 0
    assert campaign.partners.count() == 0


def test_slug_is_locked_once_live(personas, campaign):
    with pytest.raises(SlugLocked):
        do_update_campaign(campaign, updated_by=personas.campaign_manager, slug="new-address")
    campaign.refresh_from_db()
    assert campaign.slug == "come-back-to-care"
    # Other content still changes, and passing the same slug is fine.
    do_update_campaign(campaign, updated_by=personas.campaign_manager, slug="come-back-to-care", hashtag="#Back")
    campaign.refresh_from_db()
    assert campaign.hashtag == "#Back"


def test_slug_is_locked_once_closed(personas):
    closed = make_campaign("closed-one", status=Campaign.Status.CLOSED)
    with pytest.raises(SlugLocked):
        do_update_campaign(closed, updated_by=personas.campaign_manager, slug="reopened")


def test_update_to_a_taken_slug(personas, campaign):
    draft = new_draft(personas)
    with pytest.raises(SlugTaken):
        do_update_campaign(draft, updated_by=personas.campaign_manager, slug=campaign.slug)


def test_clone_copies_content_roles_partners_and_images_but_not_links(personas, campaign):
    campaign.partners.set([birmingham()])
    make_link(campaign)
    make_link(campaign, "linkedin")
    original_image = do_add_campaign_image(
        campaign, upload=SimpleUploadedFile("x.png", png_bytes()), image_format="png",
        alt_text="A carer", is_decorative=False,
    )

    copy = do_clone_campaign(campaign, created_by=personas.campaign_manager)
    copy.refresh_from_db()

    assert (copy.name, copy.slug, copy.status) == ("Come Back to Care (copy)", "come-back-to-care-copy", "draft")
    for field in ("hashtag", "audience", "starts_on", "ends_on", "headline", "introduction",
                  "why_join", "faqs", "contact_email", "contact_phone", "brand_colour", "region_id", "owner_id"):
        assert getattr(copy, field) == getattr(campaign, field), field
    assert set(copy.job_roles.values_list("code", flat=True)) == {6, 15}
    assert list(copy.partners.all()) == [birmingham()]
    assert copy.links.count() == 0
    assert TrackedLink.objects.filter(campaign=campaign).count() == 2
    assert copy.created_by == personas.campaign_manager
    [image] = copy.images.all()
    assert image.alt_text == "A carer"
    assert image.image.name != original_image.image.name
    with image.image.open("rb") as f:
        assert f.read() == png_bytes()


def test_clone_slug_counts_up_and_fits(personas, campaign):
    assert clone_slug("come-back-to-care") == "come-back-to-care-copy"
    do_clone_campaign(campaign, created_by=personas.campaign_manager)
    assert clone_slug("come-back-to-care") == "come-back-to-care-copy-2"
    long = "a" * 60
    assert clone_slug(long) == "a" * 55 + "-copy"


def test_publish_problems_lists_every_reason(personas):
    draft = new_draft(
        personas, headline="", introduction="  ", starts_on=None, ends_on=None, brand_colour="#ffdd00",
    )
    draft.job_roles.clear()
    assert publish_problems(draft, TODAY) == [
        Problem("starts_on", "Enter the date the campaign starts"),
        Problem("ends_on", "Enter the date the campaign ends"),
        Problem("job_roles", "Choose at least one role the campaign is recruiting for"),
        Problem("headline", "Enter a headline for the microsite"),
        Problem("introduction", "Enter an introduction for the microsite"),
        Problem("brand_colour", "#ffdd00 has a contrast of 1.34:1 against white; choose a darker colour (4.5:1 or more)"),
    ]


def test_publish_refuses_an_end_date_in_the_past(personas):
    draft = new_draft(personas, starts_on=datetime.date(2030, 1, 1), ends_on=datetime.date(2030, 4, 30))
    assert publish_problems(draft, TODAY) == [
        Problem("ends_on", "The end date is in the past: change it to today or later")
    ]
    assert publish_problems(draft, datetime.date(2030, 4, 30)) == []


def test_publish_makes_a_draft_live(personas):
    draft = new_draft(personas)
    do_publish_campaign(draft, published_by=personas.campaign_manager, today=TODAY)
    draft.refresh_from_db()
    assert draft.status == "live"
    assert draft.published_at is not None


def test_publish_incomplete_changes_nothing(personas):
    draft = new_draft(personas, headline="")
    with pytest.raises(NotReadyToPublish) as raised:
        do_publish_campaign(draft, published_by=personas.campaign_manager, today=TODAY)
    assert raised.value.problems == [Problem("headline", "Enter a headline for the microsite")]
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == ("draft", None)


def test_publish_only_from_draft(personas, campaign):
    with pytest.raises(WrongStatus) as raised:
        do_publish_campaign(campaign, published_by=personas.campaign_manager, today=TODAY)
    assert str(raised.value) == "Only a draft can be published; this campaign is live"


def test_close_a_live_campaign(personas, campaign):
    do_close_campaign(campaign, closed_by=personas.campaign_manager)
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    assert campaign.closed_at is not None


def test_close_only_from_live(personas):
    draft = new_draft(personas)
    with pytest.raises(WrongStatus):
        do_close_campaign(draft, closed_by=personas.campaign_manager)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_image_without_alt_text_is_refused_unless_decorative(campaign):
    with pytest.raises(ValueError):
        do_add_campaign_image(
            campaign, upload=SimpleUploadedFile("x.png", png_bytes()), image_format="png",
            alt_text="  ", is_decorative=False,
        )
    image = do_add_campaign_image(
        campaign, upload=SimpleUploadedFile("x.png", png_bytes()), image_format="png",
        alt_text="ignored", is_decorative=True,
    )
    image.refresh_from_db()
    assert (image.alt_text, image.is_decorative, image.alt, image.order) == ("", True, "", 1)
    assert (image.width, image.height) == (4, 3)
    assert image.image.name.endswith(".png")


def test_database_refuses_an_image_without_alt_text(campaign):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignImage.objects.create(
            campaign=campaign, image="x.png", width=1, height=1, alt_text="", is_decorative=False,
        )


def test_remove_image_deletes_its_file(campaign, django_capture_on_commit_callbacks):
    image = do_add_campaign_image(
        campaign, upload=SimpleUploadedFile("x.png", png_bytes()), image_format="png",
        alt_text="A carer", is_decorative=False,
    )
    storage, name = image.image.storage, image.image.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        do_remove_campaign_image(image)
    assert not storage.exists(name)
    assert campaign.images.count() == 0
