"""The application form /c/<slug>/apply/ and its confirmation page."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.html import escape

from carerecruit.campaigns.models import Campaign
from carerecruit.candidates.models import Application, Candidate
from carerecruit.candidates.views import make_done_token
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.testing.factories import make_campaign
from carerecruit.tracking.actions import record_click
from carerecruit.tracking.models import Event

from .conftest import APPLY_URL, MOBILE_UA

SWE_REQUIRED = (
    "Enter your Social Work England registration number, or select "
    "'I'm not registered with Social Work England yet'"
)


def events(campaign, kind):
    return Event.objects.filter(campaign=campaign, kind=kind).count()


def done_url_of(response):
    assert response.status_code == 302
    return response["Location"]


# --- GET ---------------------------------------------------------------------------------


def test_form_shows_every_question(client, campaign):
    response = client.get(APPLY_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Apply – Come Back to Care – " in html
    assert '<h1 class="govuk-heading-xl">Apply to Come Back to Care</h1>' in html
    for name in (
        "full_name", "email", "phone", "postcode", "years_experience", "current_role",
        "swe_registration", "earliest_start_0", "earliest_start_1", "earliest_start_2",
    ):
        assert f'name="{name}"' in html
    # Job roles: only the campaign's two, as checkboxes.
    assert html.count('name="job_roles" type="checkbox"') == 2
    assert ">Occupational therapist</label>" in html
    assert ">Social worker</label>" in html
    # All 14 councils of the West Midlands.
    assert html.count('name="council_areas" type="checkbox"') == 14
    assert ">Birmingham</label>" in html
    assert ">Worcestershire</label>" in html
    assert html.count('name="hours_wanted" type="radio"') == 3
    assert html.count('name="right_to_work" type="radio"') == 3
    # The consent box is separate, optional and not ticked.
    consent = re.search(r'<input[^>]*name="talent_bank_consent"[^>]*>', html).group(0)
    assert "checked" not in consent
    assert 'href="/privacy/"' in html
    # Required only with a social work role, so not labelled "(optional)".
    assert 'for="id_swe_registration">Social Work England registration number</label>' in html
    assert "If you chose a social work role, you need to give this." in html
    assert "govuk-error-summary" not in html
    assert '<form method="post" action="/c/come-back-to-care/apply/" novalidate>' in html
    assert "no-cache" in response.headers["Cache-Control"]


def test_get_records_one_form_start(client, campaign):
    client.get(APPLY_URL)
    client.get(APPLY_URL)

    assert events(campaign, "form_start") == 1


def test_head_records_no_form_start(client, campaign):
    assert client.head(APPLY_URL).status_code == 200
    assert events(campaign, "form_start") == 0


def test_bot_get_records_no_form_start(campaign):
    Client(HTTP_USER_AGENT="facebookexternalhit/1.1").get(APPLY_URL)

    assert events(campaign, "form_start") == 0


def test_form_action_keeps_attribution_query(client, campaign):
    response = client.get(APPLY_URL + "?utm_source=facebook&utm_medium=social&cid=abc&x=1")

    html = response.content.decode()
    assert (
        '<form method="post" action="/c/come-back-to-care/apply/?cid=abc&amp;utm_source=facebook'
        '&amp;utm_medium=social" novalidate>'
    ) in html
    assert (
        'href="/c/come-back-to-care/?cid=abc&amp;utm_source=facebook&amp;utm_medium=social"'
        ' class="govuk-back-link"'
    ) in html


def test_campaign_without_roles_offers_every_public_role(client, campaign):
    campaign.job_roles.clear()

    html = client.get(APPLY_URL).content.decode()

    assert html.count('name="job_roles" type="checkbox"') == JobRole.objects.filter(
        offered_on_forms=True
    ).count()
    assert ">Software developer</label>" not in html


def test_simulated_campaign_form_is_labelled(client, db):
    make_campaign(slug="sim", is_simulated=True)

    html = client.get("/c/sim/apply/").content.decode()

    assert '<p class="cr-simulated">Simulated demo data</p>' in html


# --- A valid application ---------------------------------------------------------------


def test_valid_application_is_saved_and_confirmed(
    client, campaign, form_data, start_date, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY_URL, form_data)

    done = done_url_of(response)
    assert done.startswith("/c/come-back-to-care/apply/done/?ref=")
    assert "ann" not in done.lower() and "07700" not in done

    candidate = Candidate.objects.get()
    assert candidate.full_name == "Ann Lee"
    assert candidate.name_folded == "ann lee"
    assert candidate.email == "Ann.Lee@Example.org"
    assert candidate.email_normalised == "ann.lee@example.org"
    assert candidate.phone_e164 == "+447700900123"
    assert candidate.postcode == "B1 1AA"
    assert candidate.talent_bank_consent is True
    assert candidate.talent_bank_consent_at is not None

    application = Application.objects.get()
    assert application.candidate == candidate
    assert application.campaign == campaign
    assert application.full_name_given == "Ann Lee"
    assert [r.code for r in application.job_roles.all()] == [15]
    assert application.years_experience == 12
    assert application.current_role == "Senior occupational therapist"
    assert application.swe_registration == ""
    assert application.earliest_start == start_date
    assert application.hours_wanted == "part_time"
    assert [c.gss_code for c in application.council_areas.all()] == ["E08000025"]
    assert application.right_to_work == "yes"
    assert application.channel == "direct"
    assert application.link is None
    assert events(campaign, "application") == 1

    reference = application.code.hex[:8].upper()
    page = client.get(done)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h1 class="govuk-panel__title">Application complete</h1>' in html
    assert reference not in html  # it goes to the person's own inbox only
    assert "What happens next" in html
    assert "Ann Lee" not in html  # the page is reachable by URL: no personal data on it

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Ann.Lee@Example.org"]
    assert message.subject == "Your application to Come Back to Care"
    assert message.reply_to == ["comeback@example.org"]
    assert "Dear Ann Lee," in message.body
    assert f"Your reference number is {reference}." in message.body
    assert "What happens next" in message.body
    assert "You agreed to be kept in the regional talent bank" in message.body
    html_body, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f"<strong>{reference}</strong>" in html_body
    assert "Come Back to Care" in html_body
    assert "<img" not in html_body.lower()
    assert "http" not in html_body.lower()  # no tracked links, no remote content


def test_consent_left_unticked_is_recorded_as_no(client, campaign, form_data):
    del form_data["talent_bank_consent"]

    client.post(APPLY_URL, form_data)

    candidate = Candidate.objects.get()
    assert candidate.talent_bank_consent is False
    assert candidate.talent_bank_consent_at is None


def test_start_date_today_is_accepted(client, campaign, form_data):
    today = timezone.localdate()
    form_data.update(
        earliest_start_0=str(today.day), earliest_start_1=str(today.month),
        earliest_start_2=str(today.year),
    )

    done_url_of(client.post(APPLY_URL, form_data))

    assert Application.objects.get().earliest_start == today


# --- One candidate per person, one application per campaign ----------------------------


def test_email_in_any_case_is_one_candidate(client, campaign, form_data, django_capture_on_commit_callbacks):
    other = make_campaign(slug="time-to-care", name="Time to Care")
    other.job_roles.set(campaign.job_roles.all())

    with django_capture_on_commit_callbacks(execute=True):
        done_url_of(client.post(APPLY_URL, form_data))
        form_data.update(email="ann.lee@example.org", phone="07700 900456")
        done_url_of(client.post("/c/time-to-care/apply/", form_data))

    candidate = Candidate.objects.get()
    assert candidate.email == "Ann.Lee@Example.org"
    assert candidate.phone_e164 == "+447700900123"  # an unverified form never overwrites it
    assert Application.objects.filter(candidate=candidate).count() == 2
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["ann.lee@example.org"]


def test_phone_variants_are_one_number_and_one_candidate(client, form_data, db):
    for i, phone in enumerate(["07700 900123", "+44 7700 900123", "(07700) 900 123"]):
        slug = f"campaign-{i}"
        make_campaign(slug=slug)
        form_data.update(phone=phone, email=f"person{i}@example.org")
        done_url_of(client.post(f"/c/{slug}/apply/", form_data))

    candidate = Candidate.objects.get()
    assert candidate.phone_e164 == "+447700900123"
    assert candidate.email == "person0@example.org"
    assert Application.objects.filter(candidate=candidate).count() == 3


def _page_and_token_data(client, response) -> tuple[str, dict]:
    done = done_url_of(response)
    token = done.split("?ref=", 1)[1]
    return client.get(done).content.decode(), signing.loads(token, salt="carerecruit.candidates.apply-done")


def test_double_submit_makes_one_application(client, campaign, form_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(APPLY_URL, form_data)
        second = client.post(APPLY_URL, form_data)

    assert Application.objects.count() == 1
    assert Candidate.objects.count() == 1
    assert events(campaign, "application") == 1
    first_page, first_token = _page_and_token_data(client, first)
    second_page, second_token = _page_and_token_data(client, second)
    # The public answer is the same page either way, and its address carries nothing
    # that tells the two apart (the token is signed, not secret).
    assert first_page == second_page
    assert set(first_token) == set(second_token) == {"a"}
    assert "<title>Application complete – Come Back to Care – " in second_page
    assert "already applied to Come Back" not in second_page
    # A double click: one confirmation, and no "already applied" e-mail minutes later.
    assert [m.subject for m in mail.outbox] == ["Your application to Come Back to Care"]


def test_confirmation_page_promises_only_what_happens(
    client, campaign, form_data, django_capture_on_commit_callbacks
):
    """A repeat within minutes sends no e-mail, and a person recognised by phone and
    name is mailed at the address we hold: the page's words must fit every case, and
    be the same in every case."""
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = _page_and_token_data(client, client.post(APPLY_URL, form_data))
        repeat, _ = _page_and_token_data(client, client.post(APPLY_URL, form_data))

    assert len(mail.outbox) == 1  # the repeat sent nothing
    assert first == repeat
    text = " ".join(re.sub(r"<[^>]+>", " ", first).split())
    assert "We are sending an email" not in text
    assert "Your reference number will be in our email" in text
    assert (
        "We email your reference number to the email address you gave. If you have applied "
        "through this website before, we use the email address we already have for you."
    ) in text
    assert (
        "We do not send an email each time the form is sent: if it was sent again within a "
        "few minutes (for example, the button was pressed twice), the first email is the "
        "only one, and otherwise we send at most one email a day to say the form was sent again."
    ) in text
    assert "Ann.Lee" not in first and "ann.lee" not in first.lower()  # no typed address


def applied_an_hour_ago():
    Application.objects.update(submitted_at=timezone.now() - datetime.timedelta(hours=1))


def test_someone_typing_an_applicants_email_learns_nothing(
    client, campaign, form_data, django_capture_on_commit_callbacks
):
    client.post(APPLY_URL, form_data)  # Ann applies (her confirmation is not sent here)
    applied_an_hour_ago()
    application = Application.objects.get()
    stranger = Client(HTTP_USER_AGENT=MOBILE_UA)
    probe = dict(form_data, full_name="Someone Else", phone="07700 900999", postcode="CV1 2HU")
    fresh = dict(form_data, full_name="Bea Newman", email="bea@example.org", phone="07700 900456")

    with django_capture_on_commit_callbacks(execute=True):
        probed = stranger.post(APPLY_URL, probe)
        new_person = stranger.post(APPLY_URL, fresh)

    probed_page, _ = _page_and_token_data(stranger, probed)
    new_page, _ = _page_and_token_data(stranger, new_person)
    assert probed_page == new_page
    assert Application.objects.filter(campaign=campaign).count() == 2
    application.refresh_from_db()
    assert application.full_name_given == "Ann Lee"
    assert application.repeat_notice_sent_at is not None
    # The owner of the address is told, at the address we hold, by the name we hold.
    notice = next(m for m in mail.outbox if m.subject.startswith("You have already applied"))
    assert notice.to == ["Ann.Lee@Example.org"]
    assert notice.reply_to == ["comeback@example.org"]
    assert "Dear Ann Lee," in notice.body
    assert "Someone Else" not in notice.body and "CV1" not in notice.body
    assert f"(reference number {application.code.hex[:8].upper()})" in notice.body
    assert "we did not make a second application and we did not change anything" in notice.body


def candidate_row(candidate):
    """Every identity and contact field of a candidate, to show it did not change."""
    candidate.refresh_from_db()
    return (
        candidate.full_name, candidate.name_folded, candidate.email, candidate.email_normalised,
        candidate.phone_e164, candidate.postcode, candidate.talent_bank_consent,
        candidate.updated_at, candidate.last_active_at,
    )


@pytest.mark.parametrize("same_campaign", [True, False], ids=["same-campaign", "other-campaign"])
def test_another_person_giving_a_known_phone_gets_their_own_record(
    client, campaign, form_data, django_capture_on_commit_callbacks, same_campaign
):
    """The tester's case: Bea types her own name and e-mail and Ann's phone (a shared
    landline, a mistyped digit). Bea's application is Bea's, under her name, and her
    confirmation goes to her; Ann's record is untouched and gets no mail."""
    with django_capture_on_commit_callbacks(execute=True):
        ann_page, _ = _page_and_token_data(client, client.post(APPLY_URL, form_data))
    applied_an_hour_ago()
    ann = Candidate.objects.get()
    ann_application = Application.objects.get()
    ann_before = candidate_row(ann)
    make_campaign(slug="time-to-care", name="Time to Care")
    url = APPLY_URL if same_campaign else "/c/time-to-care/apply/"
    bea_data = dict(
        form_data, full_name="Bea Newman", email="Bea.Newman@example.net", phone="+44 7700 900123",
        postcode="CV1 2HU",
    )
    del bea_data["talent_bank_consent"]
    bea_client = Client(HTTP_USER_AGENT=MOBILE_UA)

    with django_capture_on_commit_callbacks(execute=True):
        bea_page, _ = _page_and_token_data(bea_client, bea_client.post(url, bea_data))

    assert Candidate.objects.count() == 2
    bea = Candidate.objects.exclude(pk=ann.pk).get()
    assert (bea.full_name, bea.name_folded, bea.email, bea.email_normalised) == (
        "Bea Newman", "bea newman", "Bea.Newman@example.net", "bea.newman@example.net"
    )
    assert (bea.phone_e164, bea.postcode, bea.talent_bank_consent) == ("+447700900123", "CV1 2HU", False)
    bea_application = Application.objects.get(candidate=bea)
    assert bea_application.campaign.slug == ("come-back-to-care" if same_campaign else "time-to-care")
    assert bea_application.full_name_given == "Bea Newman"
    # Ann: the same record, the same one application, nothing changed.
    assert candidate_row(ann) == ann_before
    assert list(Application.objects.filter(candidate=ann)) == [ann_application]
    ann_application.refresh_from_db()
    assert (ann_application.full_name_given, ann_application.repeat_notice_sent_at) == ("Ann Lee", None)
    # Mail: Ann's own confirmation, then Bea's to Bea's address, by Bea's name.
    assert [m.to for m in mail.outbox] == [["Ann.Lee@Example.org"], ["Bea.Newman@example.net"]]
    confirmation = mail.outbox[1]
    campaign_name = "Come Back to Care" if same_campaign else "Time to Care"
    assert confirmation.subject == f"Your application to {campaign_name}"
    assert "Dear Bea Newman," in confirmation.body
    assert "Ann" not in confirmation.body
    reference = bea_application.code.hex[:8].upper()
    assert f"Your reference number is {reference}." in confirmation.body
    # The public pages are the same for both people.
    if same_campaign:
        assert bea_page == ann_page
    # And the pair is put in front of an admin as a probable duplicate.
    from carerecruit.talentbank.duplicates import find_duplicates
    from carerecruit.talentbank.models import DuplicateCandidatePair

    assert find_duplicates() == 1
    pair = DuplicateCandidatePair.objects.get()
    assert (pair.candidate_a_id, pair.candidate_b_id, pair.reason, pair.status) == (
        ann.pk, bea.pk, "same_phone", "pending"
    )


def test_same_name_and_phone_with_another_email_is_the_same_person(
    client, campaign, form_data, django_capture_on_commit_callbacks
):
    """Ann again, from a new address, her name typed another way: her record, and the
    confirmation to the address we hold (the form proves nothing about who typed it)."""
    client.post(APPLY_URL, form_data)
    applied_an_hour_ago()
    make_campaign(slug="time-to-care", name="Time to Care")
    ann = Candidate.objects.get()
    again = dict(form_data, full_name="  ANN  lee ", email="ann.personal@example.net", phone="07700900123")

    with django_capture_on_commit_callbacks(execute=True):
        done_url_of(client.post("/c/time-to-care/apply/", again))
        done_url_of(client.post(APPLY_URL, again))  # had applied to this one already

    assert list(Candidate.objects.all()) == [ann]
    ann.refresh_from_db()
    assert (ann.full_name, ann.email) == ("Ann Lee", "Ann.Lee@Example.org")
    assert sorted(ann.applications.values_list("campaign__slug", "full_name_given")) == [
        ("come-back-to-care", "Ann Lee"), ("time-to-care", "ANN  lee"),
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["Ann.Lee@Example.org"], "Your application to Time to Care"),
        (["Ann.Lee@Example.org"], "You have already applied to Come Back to Care"),
    ]


def test_double_submit_with_a_known_phone_makes_one_application(
    client, campaign, form_data, django_capture_on_commit_callbacks
):
    client.post(APPLY_URL, form_data)
    bea_data = dict(form_data, full_name="Bea Newman", email="bea@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY_URL, bea_data)
        client.post(APPLY_URL, bea_data)

    bea = Candidate.objects.get(email_normalised="bea@example.org")
    assert Candidate.objects.count() == 2
    assert Application.objects.filter(candidate=bea).count() == 1
    assert Application.objects.count() == 2
    assert events(campaign, "application") == 2
    assert [m.to for m in mail.outbox] == [["bea@example.org"]]


def test_already_applied_email_is_sent_at_most_once_a_day(
    client, campaign, form_data, django_capture_on_commit_callbacks
):
    client.post(APPLY_URL, form_data)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY_URL, form_data)
    assert len(mail.outbox) == 0  # a double click: nothing more than the confirmation

    applied_an_hour_ago()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post(APPLY_URL, form_data)
    assert len(mail.outbox) == 1

    Application.objects.update(repeat_notice_sent_at=timezone.now() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY_URL, form_data)
    assert len(mail.outbox) == 2


def test_applying_again_changes_nothing(client, campaign, form_data):
    client.post(APPLY_URL, form_data)
    before = Application.objects.get()
    candidate_before = Candidate.objects.get()

    form_data.update(
        email="ANN.LEE@EXAMPLE.ORG", full_name="Ann Smith", postcode="CV1 2HU",
        years_experience="13", hours_wanted="full_time",
    )
    del form_data["talent_bank_consent"]
    response = client.post(APPLY_URL, form_data)

    done_url_of(response)
    after = Application.objects.get()
    assert after.pk == before.pk
    assert after.years_experience == 12
    assert after.hours_wanted == "part_time"
    candidate = Candidate.objects.get()
    assert candidate.full_name == "Ann Lee"
    assert candidate.postcode == "B1 1AA"
    assert candidate.talent_bank_consent is True
    assert candidate.updated_at == candidate_before.updated_at


def test_returning_person_keeps_first_name_and_new_spelling_is_kept_too(client, campaign, form_data):
    make_campaign(slug="time-to-care", name="Time to Care")
    client.post(APPLY_URL, form_data)

    form_data.update(full_name="Ann Lee-Smith", postcode="cv12hu")
    del form_data["talent_bank_consent"]
    done_url_of(client.post("/c/time-to-care/apply/", form_data))

    candidate = Candidate.objects.get()
    assert candidate.full_name == "Ann Lee"
    assert candidate.postcode == "CV1 2HU"
    assert candidate.talent_bank_consent is True  # an unticked box is not a withdrawal
    names = sorted(Application.objects.values_list("full_name_given", flat=True))
    assert names == ["Ann Lee", "Ann Lee-Smith"]


def test_consent_given_on_a_later_application_is_recorded(client, campaign, form_data):
    make_campaign(slug="time-to-care", name="Time to Care")
    del form_data["talent_bank_consent"]
    client.post(APPLY_URL, form_data)

    form_data["talent_bank_consent"] = "on"
    client.post("/c/time-to-care/apply/", form_data)

    candidate = Candidate.objects.get()
    assert candidate.talent_bank_consent is True
    assert candidate.talent_bank_consent_at == Application.objects.get(
        campaign__slug="time-to-care"
    ).submitted_at


# --- Normalising ------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [" b1  1aa", "b11aa"])
def test_postcode_is_normalised(client, campaign, form_data, typed):
    form_data["postcode"] = typed

    done_url_of(client.post(APPLY_URL, form_data))

    assert Candidate.objects.get().postcode == "B1 1AA"


@pytest.mark.parametrize("name", ["Siobhán O’Neill-Smith", "D'Arcy"])
def test_names_are_stored_and_shown_exactly(
    client, campaign, form_data, name, django_capture_on_commit_callbacks
):
    form_data["full_name"] = name
    with django_capture_on_commit_callbacks(execute=True):
        done_url_of(client.post(APPLY_URL, form_data))

    assert Candidate.objects.get().full_name == name
    assert Application.objects.get().full_name_given == name
    assert f"Dear {name}," in mail.outbox[0].body
    html_body = mail.outbox[0].alternatives[0][0]
    assert f"<p>Dear {escape(name)},</p>" in html_body

    # ... and kept exactly in the input when the form is shown again with an error.
    form_data["postcode"] = "NOTAPOSTCODE"
    html = client.post(APPLY_URL, form_data).content.decode()
    assert f'value="{escape(name)}"' in html


def test_name_folded_for_search(client, campaign, form_data):
    form_data["full_name"] = "Siobhán O’Neill-Smith"

    client.post(APPLY_URL, form_data)

    assert Candidate.objects.get().name_folded == "siobhan oneill smith"


def test_script_as_a_name_is_shown_as_text(client, campaign, form_data, django_capture_on_commit_callbacks):
    script = "<script>alert(1)</script>"
    form_data["full_name"] = script
    form_data["postcode"] = "NOTAPOSTCODE"

    html = client.post(APPLY_URL, form_data).content.decode()
    assert script not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html

    form_data["postcode"] = "B1 1AA"
    with django_capture_on_commit_callbacks(execute=True):
        done = done_url_of(client.post(APPLY_URL, form_data))
    assert Candidate.objects.get().full_name == script
    assert script not in client.get(done).content.decode()
    html_body = mail.outbox[0].alternatives[0][0]
    assert script not in html_body
    assert "<p>Dear &lt;script&gt;alert(1)&lt;/script&gt;,</p>" in html_body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


# --- Errors -----------------------------------------------------------------------------


def test_bad_postcode_shows_error_and_keeps_everything_typed(client, campaign, form_data, start_date):
    form_data["postcode"] = "NOTAPOSTCODE"

    response = client.post(APPLY_URL, form_data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Apply – Come Back to Care – " in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert '<li><a href="#id_postcode">Enter a full UK postcode, like B1 1AA</a></li>' in html
    assert (
        '<p id="id_postcode-error" class="govuk-error-message"><span class="govuk-visually-hidden">'
        "Error:</span> Enter a full UK postcode, like B1 1AA</p>"
    ) in html
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in html
    # Everything typed is still there.
    assert 'value="NOTAPOSTCODE"' in html
    assert 'value="Ann Lee"' in html
    assert 'value="Ann.Lee@Example.org"' in html
    assert 'value="07700 900123"' in html
    assert 'value="12"' in html
    assert 'value="Senior occupational therapist"' in html
    assert f'name="earliest_start_0" type="text" inputmode="numeric" value="{start_date.day}"' in html
    assert f'name="earliest_start_2" type="text" inputmode="numeric" value="{start_date.year}"' in html
    ot = JobRole.objects.get(code=15).pk
    assert f'name="job_roles" type="checkbox" value="{ot}" checked>' in html
    birmingham = Organisation.objects.get(gss_code="E08000025").pk
    assert f'name="council_areas" type="checkbox" value="{birmingham}" checked>' in html
    assert 'name="hours_wanted" type="radio" value="part_time" checked>' in html
    assert 'name="right_to_work" type="radio" value="yes" checked>' in html
    assert re.search(r'<input[^>]*name="talent_bank_consent"[^>]*checked', html)
    assert Candidate.objects.count() == 0
    assert Application.objects.count() == 0


def test_empty_form_lists_every_required_question(client, campaign):
    html = client.post(APPLY_URL, {}).content.decode()

    summary = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', html)
    assert summary == [
        ("id_full_name", "Enter your full name"),
        ("id_email", "Enter your email address"),
        ("id_phone", "Enter your mobile phone number"),
        ("id_postcode", "Enter your postcode"),
        ("id_job_roles_0", "Select at least one job you are interested in"),
        ("id_years_experience", "Enter your years of experience in social care or social work"),
        ("id_earliest_start_0", "Enter the date you could start"),
        ("id_hours_wanted_0", "Select how many hours you would like to work"),
        ("id_right_to_work_0", "Select whether you have the right to work in the UK"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "ann.lee@", "Enter an email address in the correct format, like name@example.com"),
        ("phone", "12345", "Enter a phone number, like 07700 900 982 or +44 7700 900 982"),
        ("years_experience", "61", "Years of experience must be 60 or fewer"),
        ("years_experience", "-1", "Years of experience must be 0 or more"),
        ("years_experience", "three", "Years of experience must be a whole number, like 3"),
        ("job_roles", ["999999"], "Select jobs from the list"),
        ("council_areas", ["nonsense"], "Select council areas from the list"),
        ("hours_wanted", "always", "Select how many hours you would like to work"),
        ("right_to_work", "maybe", "Select whether you have the right to work in the UK"),
        ("full_name", "x" * 201, "Full name must be 200 characters or fewer"),
        # Zero-width space, joiner, word joiner, BOM; Hangul fillers: nothing to read.
        ("full_name", "\u200b\u200d\u2060\ufeff", "Enter your full name using letters – it cannot be only numbers, symbols, spaces or invisible characters"),
        ("full_name", "\u3164 \u115f", "Enter your full name using letters – it cannot be only numbers, symbols, spaces or invisible characters"),
        ("swe_registration", "999999999", "Enter your real Social Work England registration number, not a placeholder"),
        ("swe_registration", "AB1234", "Enter a Social Work England registration number in the correct format, like SW104233"),
    ],
)
def test_field_errors(client, campaign, form_data, field, value, message):
    form_data[field] = value

    response = client.post(APPLY_URL, form_data)

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert Application.objects.count() == 0


def test_start_date_in_the_past_is_rejected(client, campaign, form_data):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    form_data.update(
        earliest_start_0=str(yesterday.day), earliest_start_1=str(yesterday.month),
        earliest_start_2=str(yesterday.year),
    )

    html = client.post(APPLY_URL, form_data).content.decode()

    assert "The date you could start must be today or in the future" in html
    assert Application.objects.count() == 0


def test_start_date_not_real(client, campaign, form_data):
    form_data.update(earliest_start_0="31", earliest_start_1="2", earliest_start_2="2030")

    html = client.post(APPLY_URL, form_data).content.decode()

    assert '<li><a href="#id_earliest_start_0">The date you could start must be a real date</a></li>' in html


# --- Social Work England registration --------------------------------------------------


@pytest.fixture
def social_worker_data(form_data):
    form_data["job_roles"] = [str(JobRole.objects.get(code=6).pk)]
    return form_data


def test_swe_number_required_for_social_worker(client, campaign, social_worker_data):
    html = client.post(APPLY_URL, social_worker_data).content.decode()

    assert f'<li><a href="#id_swe_registration">{escape(SWE_REQUIRED)}</a></li>' in html
    assert Application.objects.count() == 0


def test_swe_number_is_normalised(client, campaign, social_worker_data):
    social_worker_data["swe_registration"] = " sw 104 233 "

    done_url_of(client.post(APPLY_URL, social_worker_data))

    assert Application.objects.get().swe_registration == "SW104233"


def test_swe_digits_alone_get_the_prefix(client, campaign, social_worker_data):
    social_worker_data["swe_registration"] = "104233"

    done_url_of(client.post(APPLY_URL, social_worker_data))

    assert Application.objects.get().swe_registration == "SW104233"


def test_not_yet_registered_student_may_leave_it_blank(client, campaign, social_worker_data):
    social_worker_data["swe_not_yet_registered"] = "on"

    done_url_of(client.post(APPLY_URL, social_worker_data))

    assert Application.objects.get().swe_registration == ""


def test_swe_placeholder_rejected(client, campaign, social_worker_data):
    social_worker_data["swe_registration"] = "999999999"

    html = client.post(APPLY_URL, social_worker_data).content.decode()

    assert (
        '<li><a href="#id_swe_registration">Enter your real Social Work England registration '
        "number, not a placeholder</a></li>"
    ) in html
    assert 'value="999999999"' in html
    assert Application.objects.count() == 0


def test_swe_not_needed_for_other_roles(client, campaign, form_data):
    done_url_of(client.post(APPLY_URL, form_data))
    assert Application.objects.count() == 1


# --- Attribution ------------------------------------------------------------------------


def test_attribution_from_utm_on_the_apply_url(client, campaign, form_data):
    url = APPLY_URL + "?utm_source=Facebook&utm_medium=Social&utm_campaign=Spring+Push&utm_content=video-1"

    done_url_of(client.post(url, form_data))

    application = Application.objects.get()
    assert application.link is None
    assert application.channel == "facebook"
    assert application.utm_source == "facebook"
    assert application.utm_medium == "social"
    assert application.utm_campaign == "Spring Push"
    assert application.utm_content == "video-1"
    assert application.click_id == ""
    event = Event.objects.get(kind="application")
    assert (event.channel, event.utm_source, event.utm_campaign) == ("facebook", "facebook", "Spring Push")


def test_attribution_from_click_id_on_the_apply_url(client, campaign, link, form_data):
    request = RequestFactory().get(f"/r/{link.code}", HTTP_USER_AGENT=MOBILE_UA)
    cid = record_click(request, link)

    done_url_of(client.post(f"{APPLY_URL}?cid={cid}&utm_source=facebook", form_data))

    application = Application.objects.get()
    assert application.link == link
    assert application.channel == "facebook"
    assert application.utm_source == "facebook"
    assert application.utm_medium == "social"
    assert application.utm_campaign == "come-back-to-care"
    # Kept: the click id alone (32 hex), not the link id and signature the URL carried.
    click_id = cid.split("-")[0]
    assert len(click_id) == 32
    assert application.click_id == click_id
    event = Event.objects.get(kind="application")
    assert (event.link_id, event.click_id) == (link.pk, click_id)


def test_attribution_follows_the_visitor_from_the_microsite(client, campaign, link, form_data):
    request = RequestFactory().get(f"/r/{link.code}", HTTP_USER_AGENT=MOBILE_UA)
    cid = record_click(request, link)

    microsite = client.get(f"/c/come-back-to-care/?cid={cid}").content.decode()
    action_url = f"/c/come-back-to-care/apply/?cid={cid}"
    assert f'href="{action_url}"' in microsite
    form = client.get(action_url).content.decode()
    assert f'action="{action_url}"' in form
    done_url_of(client.post(action_url, form_data))

    assert Application.objects.get().link == link


# --- Closed and draft campaigns ---------------------------------------------------------


def test_closed_campaign_takes_no_application(client, campaign, form_data):
    make_campaign(slug="time-to-care", name="Time to Care")
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)

    page = client.get(APPLY_URL)
    posted = client.post(APPLY_URL, form_data)

    for response in (page, posted):
        assert response.status_code == 200
        html = response.content.decode()
        assert '<h1 class="govuk-heading-l">Come Back to Care has closed</h1>' in html
        assert "<form method=\"post\" action=\"/c/come-back-to-care" not in html
        assert 'href="/c/time-to-care/">Time to Care</a>' in html
    assert Application.objects.count() == 0
    assert Candidate.objects.count() == 0
    assert events(campaign, "form_start") == 0


def test_campaign_past_its_end_date_takes_no_application(client, campaign, form_data):
    Campaign.objects.filter(pk=campaign.pk).update(ends_on=datetime.date(2020, 5, 24))

    page = client.get(APPLY_URL)
    posted = client.post(APPLY_URL, form_data)

    for response in (page, posted):
        assert response.status_code == 200
        html = response.content.decode()
        assert '<h1 class="govuk-heading-l">Come Back to Care has closed</h1>' in html
        assert "Applications closed on 24 May 2020." in html
        assert "<form method=\"post\"" not in html
    assert Application.objects.count() == 0
    assert events(campaign, "form_start") == 0


def test_draft_campaign_form_is_404(client, campaign, form_data):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)

    assert client.get(APPLY_URL).status_code == 404
    assert client.post(APPLY_URL, form_data).status_code == 404
    assert client.get(APPLY_URL + "done/?ref=x").status_code == 404
    assert Application.objects.count() == 0


def test_unknown_campaign_form_is_404(client, db):
    assert client.get("/c/nope/apply/").status_code == 404


def test_put_is_not_allowed(client, campaign):
    assert client.put(APPLY_URL).status_code == 405


# --- Confirmation page ------------------------------------------------------------------


def test_confirmation_needs_a_valid_token(client, campaign, form_data):
    done = done_url_of(client.post(APPLY_URL, form_data))

    assert client.get("/c/come-back-to-care/apply/done/").status_code == 404
    tampered = client.get(done[:-2] + "xx")
    assert tampered.status_code == 404
    assert "This page has expired" in tampered.content.decode()
    # The token is bound to its campaign.
    make_campaign(slug="time-to-care", name="Time to Care")
    other = done.replace("come-back-to-care", "time-to-care")
    assert client.get(other).status_code == 404


def test_confirmation_token_expires_after_an_hour(client, campaign, form_data, monkeypatch):
    client.post(APPLY_URL, form_data)
    application = Application.objects.get()
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 3601)
    old = make_done_token(application, created=True)
    monkeypatch.setattr(signing.time, "time", real_time)

    response = client.get(f"/c/come-back-to-care/apply/done/?ref={old}")

    assert response.status_code == 404
    assert "This page has expired" in response.content.decode()


def test_candidate_pages_set_no_tracking_cookie(client, campaign, form_data):
    client.get("/c/come-back-to-care/")
    client.get(APPLY_URL)
    done = done_url_of(client.post(APPLY_URL, form_data))
    client.get(done)

    # Only Django's CSRF cookie (strictly necessary for the form), never a session.
    assert set(client.cookies.keys()) == {"csrftoken"}


def test_start_date_too_far_ahead_is_rejected(client, campaign, form_data):
    form_data["earliest_start_2"] = str(timezone.localdate().year + 6)

    html = client.post(APPLY_URL, form_data).content.decode()

    assert "The date you could start must be within the next 5 years" in html
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_a_name_without_letters_is_refused_in_words_that_fit(campaign):
    from carerecruit.candidates.forms import INVISIBLE_NAME_MESSAGE, ApplicationForm

    form = ApplicationForm(campaign, {"full_name": "-2+3"})
    assert form.errors["full_name"] == [INVISIBLE_NAME_MESSAGE]
    assert "numbers, symbols" in INVISIBLE_NAME_MESSAGE
