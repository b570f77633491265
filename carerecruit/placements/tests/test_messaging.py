"""Candidate e-mail templates: only the listed placeholders, escaped in HTML, editable by
the regional admin; every message sent is logged."""

import pytest

from carerecruit.placements import actions
from carerecruit.placements.messaging import (
    DEFAULTS,
    TemplateText,
    render,
    send_stage_message,
    template_errors,
    template_for,
)
from carerecruit.placements.models import MessageKind, MessageLog, MessageTemplate
from carerecruit.placements.tests.helpers import apply, route_of
from carerecruit.reference.models import Region

ALLOWED = ("Use only {{ first_name }}, {{ campaign }}, {{ council }}, {{ stage }}, "
           "{{ reference }}, {{ site_name }}")


def test_plain_text_and_listed_placeholders_are_fine():
    assert template_errors("Dear {{ first_name }}, welcome to {{campaign}} at {{ council }}.") == []
    assert template_errors("No placeholders at all") == []
    assert all(template_errors(subject) == [] and template_errors(body) == []
               for subject, body, _ in DEFAULTS.values())


@pytest.mark.parametrize(("text", "error"), [
    ("{{ password }}", f"“{{{{ password }}}}” is not a placeholder you can use. {ALLOWED}"),
    ("{{ first_name.upper }}", f"“{{{{ first_name.upper }}}}” is not a placeholder you can use. {ALLOWED}"),
    ("{{ first_name|safe }}", f"“{{{{ first_name|safe }}}}” is not a placeholder you can use. {ALLOWED}"),
    ("{{ 'x' }}", f"“{{{{ 'x' }}}}” is not a placeholder you can use. {ALLOWED}"),
    ("{% include 'base.html' %}", f"Template tags such as “{{% … %}}” are not allowed. {ALLOWED}"),
    ("{% debug %}", f"Template tags such as “{{% … %}}” are not allowed. {ALLOWED}"),
    ("{% if first_name %}x{% endif %}", f"Template tags such as “{{% … %}}” are not allowed. {ALLOWED}"),
])
def test_anything_else_is_refused(text, error):
    assert template_errors(text) == [error]


def test_a_broken_template_is_refused_not_a_500():
    assert template_errors("{% if %}")[0].startswith("Check the placeholders:")


def test_rendering_escapes_html_but_not_the_text_body():
    template = TemplateText("contacted", "Hi {{ first_name }}\nthere", "Dear {{ first_name }},\n\nSee you.", True, True)
    message = render(template, {"first_name": "<b>Ann</b> & Co"})
    assert message.subject == "Hi <b>Ann</b> & Co there"
    assert message.text == "Dear <b>Ann</b> & Co,\n\nSee you."
    assert "<p>Dear &lt;b&gt;Ann&lt;/b&gt; &amp; Co,</p>\n\n<p>See you.</p>" in message.html


@pytest.mark.django_db
def test_the_region_template_replaces_the_default_and_can_be_switched_off(campaign, personas, mailoutbox):
    region = Region.objects.get(gss_code="E12000005")
    assert template_for(region.pk, "offer").is_default is True
    actions.do_save_message_template(
        region, "offer", subject="  Offer   from {{ council }} ", body="Hello {{ first_name }} ({{ reference }})",
        is_active=True, by=personas.regional_admin,
    )
    saved = template_for(region.pk, "offer")
    assert (saved.subject, saved.is_default, saved.updated_by) == (
        "Offer from {{ council }}", False, personas.regional_admin,
    )
    with pytest.raises(actions.PipelineError, match="not a placeholder"):
        actions.do_save_message_template(region, "offer", subject="{{ email }}", body="x", is_active=True,
                                         by=personas.regional_admin)

    application = apply(campaign, name="Ann Lee")
    route = route_of(application)
    log = send_stage_message(route.pk, "offer", personas.council_a_recruiter.pk)
    reference = application.code.hex[:8].upper()
    assert (log.subject, log.body, log.kind) == ("Offer from Birmingham City Council", f"Hello Ann ({reference})", "offer")
    assert mailoutbox[0].subject == "Offer from Birmingham City Council"

    MessageTemplate.objects.filter(kind="offer").update(is_active=False)
    assert send_stage_message(route.pk, "offer", None) is None
    assert send_stage_message(route.pk, "new", None) is None  # no template for "new"
    assert MessageLog.objects.count() == 1
    assert set(MessageKind.values) == set(DEFAULTS)


@pytest.mark.django_db
def test_a_mail_server_failure_is_logged_not_raised(campaign, settings):
    settings.EMAIL_BACKEND = "carerecruit.placements.tests.test_messaging.BrokenBackend"
    route = route_of(apply(campaign))
    log = send_stage_message(route.pk, "interview", None)
    assert log.status == "failed"


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")
