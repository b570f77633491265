"""do_submit_application: identity, one application per campaign, races, side effects."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from carerecruit.campaigns.models import Campaign
from carerecruit.candidates.actions import (
    application_reference,
    do_submit_application,
    normalise_email,
)
from carerecruit.candidates.models import Application, Candidate
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.testing.factories import make_campaign, make_link
from carerecruit.tracking.actions import Attribution
from carerecruit.tracking.models import Event


def answers(**overrides):
    data = {
        "full_name": "Ann Lee",
        "email": "Ann.Lee@Example.org",
        "phone": "+447700900123",
        "postcode": "B1 1AA",
        "job_roles": list(JobRole.objects.filter(code=15)),
        "years_experience": 3,
        "current_role": "",
        "swe_registration": "",
        "earliest_start": datetime.date(2030, 6, 1),
        "hours_wanted": "flexible",
        "council_areas": list(Organisation.objects.filter(gss_code="E08000026")),
        "right_to_work": "yes",
        "talent_bank_consent": False,
    }
    data.update(overrides)
    return data


def test_normalise_email():
    assert normalise_email(" Ann.Lee@Example.org ") == "ann.lee@example.org"


def test_creates_candidate_application_and_event(campaign, link, django_capture_on_commit_callbacks):
    now = datetime.datetime(2020, 4, 20, 23, 30, tzinfo=datetime.UTC)
    attribution = Attribution(
        link=link, channel="facebook", utm_source="facebook", utm_medium="social",
        utm_campaign="come-back-to-care", referrer_host="m.facebook.com",
        click_id="0123456789abcdef0123456789abcdef",
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        application, created = do_submit_application(campaign, answers(), attribution, now=now)

    assert created is True
    # The confirmation e-mail goes out on commit (other apps may add callbacks of their
    # own, e.g. the talent bank's profile refresh).
    assert sum(1 for c in callbacks if "do_submit_application" in c.__qualname__) == 1
    application.refresh_from_db()
    assert application.submitted_at == now
    assert application.candidate.created_at == now
    assert application.link == link
    assert application.channel == "facebook"
    assert application.referrer_host == "m.facebook.com"
    assert application.click_id == "0123456789abcdef0123456789abcdef"
    assert [c.short_name for c in application.council_areas.all()] == ["Coventry"]
    event = Event.objects.get(kind="application")
    assert event.occurred_at == now
    assert (event.link_id, event.channel, event.campaign_id) == (link.pk, "facebook", campaign.pk)
    assert len(mail.outbox) == 1
    assert application_reference(application) == application.code.hex[:8].upper()
    assert len(application_reference(application)) == 8


def test_no_attribution_means_direct(campaign):
    application, _ = do_submit_application(campaign, answers(), None)

    assert (application.channel, application.link, application.utm_source) == ("direct", None, "")


def test_second_submit_returns_the_first(campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, created_first = do_submit_application(campaign, answers(), None)
        second, created_second = do_submit_application(
            campaign, answers(email="ANN.LEE@example.org", years_experience=9), None
        )

    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert Application.objects.get().years_experience == 3
    assert Event.objects.filter(kind="application").count() == 1
    # Within minutes of applying it is a double click: the confirmation is enough.
    assert [m.subject for m in mail.outbox] == ["Your application to Come Back to Care"]


def test_email_match_wins_over_phone_match(campaign):
    other = make_campaign(slug="other")
    do_submit_application(campaign, answers(), None)
    do_submit_application(
        campaign, answers(email="bob@example.org", phone="+447700900456"), None
    )

    # E-mail is Ann's, phone is Bob's: it is Ann, and Bob's number is not moved to her.
    application, created = do_submit_application(
        other, answers(email="ann.lee@example.org", phone="+447700900456"), None
    )

    assert created is True
    assert application.candidate.email_normalised == "ann.lee@example.org"
    assert application.candidate.phone_e164 == "+447700900123"
    assert Candidate.objects.count() == 2


def test_phone_matches_only_with_the_same_folded_name(campaign, django_capture_on_commit_callbacks):
    """Identity (candidates.identity): e-mail, else phone and folded full name."""
    other = make_campaign(slug="other", name="Other")
    third = make_campaign(slug="third", name="Third")
    with django_capture_on_commit_callbacks(execute=True):
        ann_app, _ = do_submit_application(
            campaign, answers(full_name="Siobhán O’Neill-Smith", email="siobhan@example.org"), None
        )
        # Another name with her phone: a new person, mailed at the address typed.
        bea_app, bea_created = do_submit_application(
            campaign, answers(full_name="Bea Newman", email="Bea@Example.net"), None
        )
        # Her name folded the same (case, accents, apostrophe, hyphen): her record.
        again, again_created = do_submit_application(
            other, answers(full_name="siobhan o'neill smith", email="s.oneill@example.com"), None
        )
        # Bea from a new address finds Bea among the two holders of the number, not Ann.
        bea_again, _ = do_submit_application(
            other, answers(full_name="BEA NEWMAN", email="bea.work@example.net"), None
        )
        # Word order and a new surname are other names: new records, for an admin to merge.
        reordered, _ = do_submit_application(
            third, answers(full_name="O'Neill-Smith Siobhan", email="x@example.org"), None
        )

    ann, bea = ann_app.candidate, bea_app.candidate
    assert bea_created and again_created
    assert bea != ann
    assert (bea.full_name, bea.email, bea.phone_e164) == ("Bea Newman", "Bea@Example.net", "+447700900123")
    assert again.candidate == ann
    assert bea_again.candidate == bea
    assert reordered.candidate not in (ann, bea)
    assert Candidate.objects.filter(phone_e164="+447700900123").count() == 3
    ann.refresh_from_db()
    assert (ann.full_name, ann.email) == ("Siobhán O’Neill-Smith", "siobhan@example.org")
    assert [m.to for m in mail.outbox] == [
        ["siobhan@example.org"], ["Bea@Example.net"], ["siobhan@example.org"],
        ["Bea@Example.net"], ["x@example.org"],
    ]


def test_a_missing_phone_is_filled_in_even_when_someone_else_holds_it(campaign):
    other = make_campaign(slug="other")
    do_submit_application(campaign, answers(full_name="Bea Newman", email="bea@example.org"), None)
    ann, _ = do_submit_application(campaign, answers(phone="+447700900456"), None)
    Candidate.objects.filter(pk=ann.candidate_id).update(phone_e164="")

    do_submit_application(other, answers(), None)  # Ann's e-mail, Bea's phone

    assert Candidate.objects.get(pk=ann.candidate_id).phone_e164 == "+447700900123"
    assert Candidate.objects.filter(phone_e164="+447700900123").count() == 2


def test_simulated_without_email(campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application, _ = do_submit_application(
            campaign, answers(), None, is_simulated=True, send_email=False
        )

    assert application.is_simulated is True
    assert application.candidate.is_simulated is True
    assert Event.objects.get(kind="application").is_simulated is True
    assert mail.outbox == []


def test_mail_failure_does_not_lose_the_application(
    campaign, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nothing listens here

    with django_capture_on_commit_callbacks(execute=True):
        application, created = do_submit_application(campaign, answers(), None)

    assert created is True
    assert Application.objects.filter(pk=application.pk).exists()


def _race(campaign_id, data_list):
    """Run one do_submit_application per item at the same instant, each in its own
    thread and database connection; return the created flags."""
    barrier = threading.Barrier(len(data_list))
    results, errors = [], []

    def worker(data):
        try:
            campaign = Campaign.objects.get(pk=campaign_id)
            barrier.wait(timeout=10)
            results.append(do_submit_application(campaign, data, None)[1])
        except Exception as exc:  # reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(data,)) for data in data_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return sorted(results)


def test_lookup_that_lost_a_race_retries_and_finds_the_winner(campaign, monkeypatch):
    """The insert of a request whose lookup ran just before another request committed
    hits the unique constraint; the retry must find the winner's application."""
    from carerecruit.candidates import actions

    first, _ = do_submit_application(campaign, answers(), None)
    real_find = actions._find_candidate
    calls = []

    def stale_then_real(*args):
        calls.append(args)
        return None if len(calls) == 1 else real_find(*args)

    monkeypatch.setattr(actions, "_find_candidate", stale_then_real)

    second, created = do_submit_application(campaign, answers(), None)

    assert len(calls) == 2
    assert (second.pk, created) == (first.pk, False)
    assert Candidate.objects.count() == 1
    assert Application.objects.count() == 1
    assert Event.objects.filter(kind="application").count() == 1


def test_new_person_sharing_a_phone_who_lost_a_race_retries_on_the_email_constraint(
    campaign, monkeypatch
):
    """Bea (Ann's phone) double-clicks: the second request's lookup ran before the first
    committed, so it makes a candidate with Bea's e-mail, hits the e-mail constraint, and
    its retry finds Bea's application."""
    from carerecruit.candidates import actions

    do_submit_application(campaign, answers(), None)
    bea = answers(full_name="Bea Newman", email="bea@example.org")
    first, _ = do_submit_application(campaign, bea, None)
    real_find = actions._find_candidate
    calls = []

    def stale_then_real(*args):
        calls.append(args)
        return None if len(calls) == 1 else real_find(*args)

    monkeypatch.setattr(actions, "_find_candidate", stale_then_real)

    second, created = do_submit_application(campaign, dict(bea), None)

    assert calls == [("bea@example.org", "+447700900123", "bea newman")] * 2
    assert (second.pk, created) == (first.pk, False)
    assert Candidate.objects.count() == 2
    assert Application.objects.count() == 2


# Real concurrency needs real transactions in separate connections. SQLite's in-memory
# test database (shared cache) answers "table is locked" instead of waiting, so these
# run on PostgreSQL; production SQLite serialises writers with BEGIN IMMEDIATE.
concurrent = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs a server database for real concurrency"
    ),
]


@concurrent[0]
@concurrent[1]
def test_concurrent_double_submit_makes_one_application():
    campaign = make_campaign()
    make_link(campaign)
    data = answers()

    created = _race(campaign.pk, [data, dict(data)])

    assert created == [False, True]
    assert Candidate.objects.count() == 1
    assert Application.objects.count() == 1
    assert Event.objects.filter(kind="application").count() == 1
    assert len(mail.outbox) == 1


@concurrent[0]
@concurrent[1]
def test_concurrent_double_submit_by_a_known_candidate():
    campaign = make_campaign()
    other = make_campaign(slug="other")
    do_submit_application(other, answers(), None)
    data = answers(email="ann.lee@example.org")

    created = _race(campaign.pk, [data, dict(data)])

    assert created == [False, True]
    assert Candidate.objects.count() == 1
    assert Application.objects.filter(campaign=campaign).count() == 1


@concurrent[0]
@concurrent[1]
def test_concurrent_double_submit_by_a_new_person_with_a_known_phone():
    campaign = make_campaign()
    do_submit_application(campaign, answers(), None)
    data = answers(full_name="Bea Newman", email="bea@example.org")

    created = _race(campaign.pk, [data, dict(data)])

    assert created == [False, True]
    assert Candidate.objects.count() == 2
    bea = Candidate.objects.get(email_normalised="bea@example.org")
    assert (bea.full_name, bea.phone_e164) == ("Bea Newman", "+447700900123")
    assert Application.objects.filter(candidate=bea).count() == 1
    assert Application.objects.count() == 2
