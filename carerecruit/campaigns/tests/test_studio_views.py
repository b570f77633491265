"""Campaign studio pages: list, create, edit (FAQ formset without JavaScript), clone,
preview, publish and close; who may use them."""

import datetime

import pytest

from carerecruit.campaigns.models import Campaign
from carerecruit.testing.factories import make_campaign, make_link
from carerecruit.tracking import spool
from carerecruit.tracking.models import Event

from .helpers import MOBILE_UA, birmingham, campaign_data, login, social_worker

pytestmark = pytest.mark.django_db

READ_ONLY = ["council_a_recruiter", "provider_recruiter", "viewer"]


@pytest.fixture
def manager(client, personas):
    login(client, personas.campaign_manager)
    return client


@pytest.fixture
def draft(db):
    return make_campaign("spring-draft", status=Campaign.Status.DRAFT, name="Spring draft")


# --- List -------------------------------------------------------------------------------


def test_studio_lists_every_campaign_with_status_dates_and_link_count(manager, campaign, draft):
    make_link(campaign)
    make_link(campaign, "linkedin")
    make_campaign("old-one", status=Campaign.Status.CLOSED, name="Old one")

    response = manager.get("/staff/campaigns/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Campaign studio – " in html
    assert 'href="/staff/campaigns/new/"' in html and "Create a campaign" in html
    # Live first, then drafts, then closed.
    assert html.index('data-campaign="come-back-to-care"') < html.index('data-campaign="spring-draft"') \
        < html.index('data-campaign="old-one"')
    row = html[html.index('data-campaign="come-back-to-care"'):html.index('data-campaign="spring-draft"')]
    assert "govuk-tag--green\">Live</strong>" in row
    assert "20 Apr 2020 to 31 May 2030" in row
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-metric="links">2</td>' in row
    assert 'href="/staff/campaigns/come-back-to-care/edit/"' in row
    assert "3 campaigns" in html


def test_live_campaign_past_its_end_date_is_tagged_as_ended(manager, db):
    make_campaign("spring-2020", name="Spring 2020", ends_on=datetime.date(2020, 5, 24))

    html = manager.get("/staff/campaigns/").content.decode()

    row = html[html.index('data-campaign="spring-2020"'):]
    assert '<strong class="govuk-tag govuk-tag--yellow">Ended 24 May 2020</strong>' in row


def test_staff_home_links_to_the_studio_for_managers_only(client, personas, campaign):
    login(client, personas.campaign_manager)
    assert 'href="/staff/campaigns/"' in client.get("/staff/").content.decode()
    login(client, personas.viewer)
    assert 'href="/staff/campaigns/"' not in client.get("/staff/").content.decode()


@pytest.mark.parametrize("persona", READ_ONLY)
def test_studio_pages_are_403_for_read_only_roles(client, personas, campaign, persona):
    login(client, getattr(personas, persona))
    slug = campaign.slug
    for url in ("/staff/campaigns/", "/staff/campaigns/new/", f"/staff/campaigns/{slug}/edit/",
                f"/staff/campaigns/{slug}/preview/", f"/staff/campaigns/{slug}/publish/",
                f"/staff/campaigns/{slug}/close/", f"/staff/campaigns/{slug}/images/",
                f"/staff/campaigns/{slug}/links/bulk/"):
        assert client.get(url).status_code == 403, url
    for url in (f"/staff/campaigns/{slug}/clone/", f"/staff/campaigns/{slug}/close/",
                f"/staff/campaigns/{slug}/edit/", "/staff/campaigns/new/"):
        assert client.post(url, campaign_data()).status_code == 403, url
    campaign.refresh_from_db()
    assert campaign.status == "live"
    assert Campaign.objects.count() == 1


def test_unknown_campaign_is_404(manager):
    for url in ("edit/", "clone/", "preview/", "publish/", "close/", "images/", "links/bulk/"):
        method = manager.post if url == "clone/" else manager.get
        assert method(f"/staff/campaigns/no-such-campaign/{url}").status_code == 404, url


def test_anonymous_is_sent_to_sign_in(client, campaign):
    for url in ("/staff/campaigns/", "/staff/campaigns/new/", "/staff/campaigns/come-back-to-care/edit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/?next=")


def test_regional_admin_may_use_the_studio(client, personas, campaign):
    login(client, personas.regional_admin)
    assert client.get("/staff/campaigns/").status_code == 200
    assert client.get(f"/staff/campaigns/{campaign.slug}/edit/").status_code == 200


# --- Create -----------------------------------------------------------------------------


def test_create_page_has_every_field(manager):
    html = manager.get("/staff/campaigns/new/").content.decode()
    assert "<title>Create a campaign – " in html
    for name in ("name", "slug", "hashtag", "audience", "starts_on_0", "ends_on_2", "headline",
                 "introduction", "why_join", "contact_email", "contact_phone", "brand_colour",
                 "faq-0-question", "faq-2-answer"):
        assert f'name="{name}"' in html, name
    assert 'name="faq-3-question"' not in html
    assert 'value="#1d3a5f"' in html
    assert "Social worker" in html
    assert "Birmingham City Council" in html
    assert "Example Home Care Ltd (care provider)" in html


def test_create_saves_a_draft_and_goes_to_its_edit_page(manager, personas):
    response = manager.post("/staff/campaigns/new/", campaign_data(faqs=[("Is it paid?", "Yes, from day one.")]))

    campaign = Campaign.objects.get(slug="care-to-care")
    assert response.status_code == 302
    assert response["Location"] == "/staff/campaigns/care-to-care/edit/"
    assert (campaign.name, campaign.status, campaign.hashtag, campaign.brand_colour) == (
        "Care to Care", "draft", "#CareToCare", "#1d3a5f",
    )
    assert (campaign.starts_on, campaign.ends_on) == (datetime.date(2030, 6, 1), datetime.date(2030, 7, 31))
    assert campaign.why_join == ["Paid training", "Flexible hours"]
    assert campaign.faqs == [{"question": "Is it paid?", "answer": "Yes, from day one."}]
    assert list(campaign.job_roles.all()) == [social_worker()]
    assert list(campaign.partners.all()) == [birmingham()]
    assert campaign.introduction == "Care workers make lives better.\n\nNo experience needed."
    assert campaign.owner == personas.regional_body
    assert campaign.created_by == personas.campaign_manager
    page = manager.get(response["Location"]).content.decode()
    assert "Care to Care was saved as a draft." in page


def test_create_with_errors_shows_them_and_saves_nothing(manager, campaign):
    response = manager.post("/staff/campaigns/new/", campaign_data(
        name="", slug=campaign.slug, brand_colour="#ffdd00", ends_on_0="1", ends_on_1="5",
        contact_phone="not a phone", **{"faq-1-question": "Orphan question"},
    ))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Create a campaign – " in html
    assert '<a href="#id_name">Enter a campaign name</a>' in html
    assert '<a href="#id_slug">Another campaign already uses this web address</a>' in html
    assert '<a href="#id_ends_on_0">The end date must be the same as or after the start date</a>' in html
    assert '<a href="#id_contact_phone">Enter a UK phone number, like 0121 496 0000</a>' in html
    assert ('<a href="#id_brand_colour">#ffdd00 has a contrast of 1.34:1 against white; '
            "choose a darker colour (4.5:1 or more)</a>") in html
    assert '<a href="#id_faq-1-answer">Enter an answer to question 2, or clear the question</a>' in html
    assert 'value="Orphan question"' in html
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize(("slug", "message"), [
    ("new", "‘new’ is reserved: choose another web address"),
    ("Has Spaces", "The web address must be at least 3 characters"),
    ("ab", "The web address must be at least 3 characters"),
    ("double--hyphen", "The web address must be at least 3 characters"),
])
def test_bad_slugs(manager, slug, message):
    html = manager.post("/staff/campaigns/new/", campaign_data(slug=slug)).content.decode()
    assert message in html
    assert not Campaign.objects.exists()


def test_a_draft_may_be_saved_incomplete(manager):
    data = campaign_data(headline="", introduction="", job_roles=[], starts_on_0="", starts_on_1="",
                         starts_on_2="", ends_on_0="", ends_on_1="", ends_on_2="")
    response = manager.post("/staff/campaigns/new/", data)
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert (campaign.headline, campaign.starts_on, campaign.job_roles.count()) == ("", None, 0)


# --- Edit -------------------------------------------------------------------------------


def test_edit_shows_current_values_status_and_actions(manager, campaign):
    html = manager.get(f"/staff/campaigns/{campaign.slug}/edit/").content.decode()
    assert "<title>Edit Come Back to Care – " in html
    assert 'value="Come back to social work"' in html
    assert 'id="id_why_join">\nFlexible hours\nSupport to return to the register</textarea>' in html
    assert 'value="Do I need to be registered?"' in html
    assert 'name="faq-3-question"' in html  # 1 FAQ + 3 empty boxes
    assert 'name="faq-4-question"' not in html
    assert 'govuk-tag--green">Live</strong>' in html
    assert 'href="/staff/campaigns/come-back-to-care/close/"' in html
    assert 'href="/staff/campaigns/come-back-to-care/publish/"' not in html
    # The slug of a live campaign is shown but cannot be changed.
    assert ('<input type="text" name="slug" value="come-back-to-care" maxlength="60" '
            'class="govuk-input" aria-describedby="id_slug-hint" required disabled id="id_slug">') in html
    assert "This cannot be changed: the campaign has been live" in html


def test_edit_saves_content(manager, campaign):
    data = campaign_data(slug=campaign.slug, name="Come Back", faqs=[("Q1", "A1"), ("Q2", "A2")])
    response = manager.post(f"/staff/campaigns/{campaign.slug}/edit/", data)
    assert response.status_code == 302
    assert response["Location"] == "/staff/campaigns/come-back-to-care/edit/"
    campaign.refresh_from_db()
    assert campaign.name == "Come Back"
    assert campaign.status == "live"
    assert campaign.faqs == [{"question": "Q1", "answer": "A1"}, {"question": "Q2", "answer": "A2"}]


def test_slug_of_a_live_campaign_cannot_change_even_if_posted(manager, campaign):
    response = manager.post(f"/staff/campaigns/{campaign.slug}/edit/", campaign_data(slug="sneaky-change"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.slug == "come-back-to-care"
    assert not Campaign.objects.filter(slug="sneaky-change").exists()


def test_slug_of_a_draft_can_change(manager, draft):
    response = manager.post(f"/staff/campaigns/{draft.slug}/edit/", campaign_data(slug="summer-draft"))
    assert response["Location"] == "/staff/campaigns/summer-draft/edit/"
    draft.refresh_from_db()
    assert draft.slug == "summer-draft"


def test_faqs_add_and_remove_without_javascript(manager, campaign):
    """Three blank pairs are always on the page: filling them adds FAQs, clearing a pair
    removes it, and after saving three blank pairs appear again."""
    url = f"/staff/campaigns/{campaign.slug}/edit/"
    data = campaign_data(slug=campaign.slug, faqs=[("Do I need to be registered?", "We help you return.")])
    data.update({"faq-1-question": "Part time?", "faq-1-answer": "Yes.",
                 "faq-2-question": "Pay?", "faq-2-answer": "£40,000"})
    manager.post(url, data)
    campaign.refresh_from_db()
    assert [faq["question"] for faq in campaign.faqs] == ["Do I need to be registered?", "Part time?", "Pay?"]
    html = manager.get(url).content.decode()
    assert 'name="faq-5-question"' in html and 'name="faq-6-question"' not in html

    data = campaign_data(slug=campaign.slug, faqs=[
        ("Do I need to be registered?", "We help you return."), ("", ""), ("Pay?", "£40,000"),
    ])
    manager.post(url, data)
    campaign.refresh_from_db()
    assert campaign.faqs == [
        {"question": "Do I need to be registered?", "answer": "We help you return."},
        {"question": "Pay?", "answer": "£40,000"},
    ]


# --- Clone ------------------------------------------------------------------------------


def test_clone_makes_a_draft_copy_without_links(manager, campaign):
    make_link(campaign)
    assert manager.get(f"/staff/campaigns/{campaign.slug}/clone/").status_code == 405
    response = manager.post(f"/staff/campaigns/{campaign.slug}/clone/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/campaigns/come-back-to-care-copy/edit/"
    copy = Campaign.objects.get(slug="come-back-to-care-copy")
    assert (copy.status, copy.name, copy.headline) == ("draft", "Come Back to Care (copy)", campaign.headline)
    assert copy.links.count() == 0
    assert campaign.links.count() == 1


# --- Preview ----------------------------------------------------------------------------


def test_preview_shows_the_microsite_with_a_banner_and_counts_nothing(client, personas, draft):
    client.defaults["HTTP_USER_AGENT"] = MOBILE_UA
    login(client, personas.campaign_manager)
    response = client.get(f"/staff/campaigns/{draft.slug}/preview/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Preview: Spring draft – " in html
    assert '<h2 class="govuk-notification-banner__title" id="preview-title">Preview</h2>' in html
    assert "will see it when the campaign goes live" in html
    assert '<h1 class="govuk-heading-xl">Come back to social work</h1>' in html
    assert "Draft preview" not in html
    assert html.count('class="govuk-button govuk-button--start') == 2
    assert "/apply/" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-cache" in response["Cache-Control"]
    assert Event.objects.count() == 0


def test_preview_of_a_live_campaign_records_no_visit(client, personas, campaign):
    client.defaults["HTTP_USER_AGENT"] = MOBILE_UA
    login(client, personas.campaign_manager)
    html = client.get(f"/staff/campaigns/{campaign.slug}/preview/").content.decode()
    assert "as the public see it" in html
    assert Event.objects.count() == 0
    client.get(f"/c/{campaign.slug}/")
    assert Event.objects.filter(kind="visit").count() == 1


# --- Publish ----------------------------------------------------------------------------


def test_publish_page_asks_to_confirm_then_publishes(manager, draft):
    url = f"/staff/campaigns/{draft.slug}/publish/"
    html = manager.get(url).content.decode()
    assert "<title>Publish Spring draft – " in html
    assert "http://testserver/c/spring-draft/" in html
    assert ">Publish campaign</button>" in html
    draft.refresh_from_db()
    assert draft.status == "draft"  # a GET never writes

    response = manager.post(url)
    assert response.status_code == 302
    assert response["Location"] == "/staff/campaigns/spring-draft/edit/"
    draft.refresh_from_db()
    assert draft.status == "live"
    assert "Spring draft is live at http://testserver/c/spring-draft/" in manager.get(response["Location"]).content.decode()


def test_publish_with_problems_lists_them_and_changes_nothing(manager, draft):
    draft.headline = ""
    draft.ends_on = None
    draft.save()
    draft.job_roles.clear()
    url = f"/staff/campaigns/{draft.slug}/publish/"

    html = manager.get(url).content.decode()
    assert ">Publish campaign</button>" not in html
    assert 'href="/staff/campaigns/spring-draft/edit/#id_headline">Enter a headline for the microsite</a>' in html

    response = manager.post(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Publish Spring draft – " in html
    assert 'href="/staff/campaigns/spring-draft/edit/#id_ends_on_0">Enter the date the campaign ends</a>' in html
    assert ('href="/staff/campaigns/spring-draft/edit/#id_job_roles_0">Choose at least one role the '
            "campaign is recruiting for</a>") in html
    assert 'href="/staff/campaigns/spring-draft/edit/#id_headline">Enter a headline for the microsite</a>' in html
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publishing_a_live_campaign_is_409(manager, campaign):
    response = manager.post(f"/staff/campaigns/{campaign.slug}/publish/")
    assert response.status_code == 409
    assert "Only a draft can be published; this campaign is live" in response.content.decode()


# --- Close ------------------------------------------------------------------------------


def test_close_asks_to_confirm_then_closes(manager, campaign, link):
    url = f"/staff/campaigns/{campaign.slug}/close/"
    html = manager.get(url).content.decode()
    assert "Are you sure you want to close this campaign?" in html
    assert ">Close campaign</button>" in html
    campaign.refresh_from_db()
    assert campaign.status == "live"

    response = manager.post(url)
    assert response["Location"] == "/staff/campaigns/come-back-to-care/edit/"
    campaign.refresh_from_db()
    assert campaign.status == "closed"

    # The microsite says so and takes no applications; links still redirect and count.
    public = type(manager)(HTTP_USER_AGENT=MOBILE_UA)
    microsite = public.get(f"/c/{campaign.slug}/").content.decode()
    assert "This campaign has closed. It is no longer taking applications." in microsite
    assert "govuk-button--start" not in microsite
    apply = public.get(f"/c/{campaign.slug}/apply/")
    assert apply.status_code == 200
    assert "This campaign is no longer taking applications." in apply.content.decode()
    assert 'name="full_name"' not in apply.content.decode()
    assert public.post(f"/c/{campaign.slug}/apply/", {"full_name": "Ann"}).status_code == 200
    assert not Event.objects.filter(kind__in=["form_start", "application"]).exists()
    redirect = public.get(f"/r/{link.code}")
    assert redirect.status_code == 302
    assert redirect["Location"].startswith("/c/come-back-to-care/?")
    assert spool.ingest() == 1
    assert Event.objects.filter(kind="click", link=link).count() == 1


def test_closing_a_draft_is_409(manager, draft):
    response = manager.post(f"/staff/campaigns/{draft.slug}/close/")
    assert response.status_code == 409
    assert "Only a live campaign can be closed; this campaign is draft" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
