"""Templated e-mails to candidates on stage changes, and the log of every one sent.

Templates are edited by the regional admin, so they are treated as untrusted text. They
may contain only plain text and the placeholders in :data:`PLACEHOLDERS`, written
``{{ first_name }}``: no template tags, no filters, no attribute lookups.
:func:`template_errors` checks that by parsing the text with Django's template engine and
walking the parsed nodes, so a saved template can only ever substitute those values. It
is rendered by a separate engine with no template loaders (``{% include %}`` and
``{% extends %}`` cannot reach files): the plain-text body and the subject without
escaping, the HTML alternative with autoescaping on (a candidate's name with ``<`` in it
stays text).

Messages are sent after the transaction that moved the stage commits, and each one is
written to :class:`~carerecruit.placements.models.MessageLog` exactly as sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import TextNode, VariableNode
from django.utils import timezone
from django.utils.html import linebreaks

from carerecruit.placements.models import ApplicationRoute, MessageKind, MessageLog, MessageTemplate

logger = logging.getLogger(__name__)

PLACEHOLDERS: dict[str, str] = {
    "first_name": "the candidate's first name, as they typed it",
    "campaign": "the campaign's name",
    "council": "the name of the organisation working the application",
    "stage": "the new stage, e.g. Interview",
    "reference": "the application reference the candidate was given, e.g. 3F2A9C01",
    "site_name": "this service's name",
}

# No loaders and no extra libraries: include/extends/load find nothing. Tags are refused
# before rendering anyway (template_errors); this is the second line.
_ENGINE = Engine(loaders=[], libraries={}, autoescape=True, debug=False)

_SIGN_OFF = "\n\n{{ council }}\n{{ site_name }}"

# Built-in texts, used until the regional admin saves their own. (subject, body, send?)
DEFAULTS: dict[str, tuple[str, str, bool]] = {
    MessageKind.CONTACTED: (
        "{{ council }}: about your application to {{ campaign }}",
        "Dear {{ first_name }},\n\nThank you for applying to {{ campaign }}. We have read your "
        "application (reference {{ reference }}) and will be in touch soon to talk about the "
        "next steps." + _SIGN_OFF,
        True,
    ),
    MessageKind.SCREENING: (
        "{{ council }}: your application is being reviewed",
        "Dear {{ first_name }},\n\nWe are now reviewing your application to {{ campaign }} "
        "(reference {{ reference }}). We will contact you when we have finished." + _SIGN_OFF,
        False,
    ),
    MessageKind.INTERVIEW: (
        "{{ council }}: we would like to interview you",
        "Dear {{ first_name }},\n\nWe would like to invite you to an interview for {{ campaign }}. "
        "We will contact you shortly to arrange a time that suits you." + _SIGN_OFF,
        True,
    ),
    MessageKind.OFFER: (
        "{{ council }}: a job offer",
        "Dear {{ first_name }},\n\nWe are pleased to offer you a job following your application "
        "to {{ campaign }}. We will send you the details and talk you through what happens "
        "next." + _SIGN_OFF,
        True,
    ),
    MessageKind.CHECKS: (
        "{{ council }}: your pre-employment checks",
        "Dear {{ first_name }},\n\nBefore you start we need to complete some checks: an "
        "enhanced DBS check, your right to work in the UK, your identity and your references. "
        "We will tell you what we need from you." + _SIGN_OFF,
        True,
    ),
    MessageKind.PLACED: (
        "{{ council }}: welcome",
        "Dear {{ first_name }},\n\nYour checks are complete and your placement is confirmed. "
        "Welcome to the team; we look forward to working with you." + _SIGN_OFF,
        True,
    ),
    MessageKind.WITHDRAWN: (
        "{{ council }}: your application has been withdrawn",
        "Dear {{ first_name }},\n\nAs you asked, we have withdrawn your application to "
        "{{ campaign }} (reference {{ reference }}). You are welcome to apply again at any "
        "time." + _SIGN_OFF,
        True,
    ),
    MessageKind.NOT_SUITABLE: (
        "{{ council }}: your application to {{ campaign }}",
        "Dear {{ first_name }},\n\nThank you for your interest in working with us. We are "
        "sorry that we will not be taking your application (reference {{ reference }}) "
        "further this time." + _SIGN_OFF,
        True,
    ),
    MessageKind.TALENT_BANK: (
        "{{ council }}: we will keep your details",
        "Dear {{ first_name }},\n\nWe do not have a post for you right now, but we will keep "
        "your application to {{ campaign }} and contact you when a suitable one comes up."
        + _SIGN_OFF,
        True,
    ),
}


def template_errors(text: str) -> list[str]:
    """Problems that stop ``text`` being saved as a template; [] when it is fine.

    Allowed: plain text and ``{{ name }}`` for each name in :data:`PLACEHOLDERS`.
    """
    try:
        nodelist = _ENGINE.from_string(text).nodelist
    except TemplateSyntaxError as exc:
        return [f"Check the placeholders: {exc}"]
    errors = []
    allowed = ", ".join("{{ %s }}" % name for name in PLACEHOLDERS)  # noqa: UP031
    for node in nodelist:
        if isinstance(node, TextNode):
            continue
        if isinstance(node, VariableNode):
            variable = node.filter_expression
            lookups = getattr(variable.var, "lookups", None)
            if (
                variable.filters
                or not lookups
                or len(lookups) != 1
                or lookups[0] not in PLACEHOLDERS
            ):
                errors.append(
                    f"“{{{{ {variable.token} }}}}” is not a placeholder you can use. Use only {allowed}"
                )
            continue
        errors.append(f"Template tags such as “{{% … %}}” are not allowed. Use only {allowed}")
    return list(dict.fromkeys(errors))


@dataclass(frozen=True)
class TemplateText:
    """A template's effective text for one kind: saved by the admin or the default."""

    kind: str
    subject: str
    body: str
    is_active: bool
    is_default: bool
    updated_at: object = None
    updated_by: object = None


def template_for(region_id: int, kind: str) -> TemplateText:
    """The region's template for ``kind`` (a MessageKind value), else the default."""
    saved = MessageTemplate.objects.filter(region_id=region_id, kind=kind).select_related("updated_by").first()
    if saved is not None:
        return TemplateText(kind, saved.subject, saved.body, saved.is_active, False,
                            saved.updated_at, saved.updated_by)
    subject, body, active = DEFAULTS[kind]
    return TemplateText(kind, subject, body, active, True)


def first_name(full_name: str) -> str:
    """The first word of a name as typed (``"Siobhán O'Neill"`` → ``"Siobhán"``)."""
    parts = full_name.split()
    return parts[0] if parts else ""


def context_for(route: ApplicationRoute, kind: str) -> dict[str, str]:
    """Placeholder values for ``route`` (application, candidate, campaign and organisation
    should be select_related)."""
    from carerecruit.candidates.actions import application_reference

    application = route.application
    return {
        "first_name": first_name(application.full_name_given or application.candidate.full_name),
        "campaign": application.campaign.name,
        "council": route.organisation.name,
        "stage": MessageKind(kind).label,
        "reference": application_reference(application),
        "site_name": settings.CARERECRUIT_SITE_NAME,
    }


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def render(template: TemplateText, values: dict[str, str]) -> RenderedMessage:
    """Substitute ``values`` into ``template``: the subject on one line, unescaped; the
    body as plain text, unescaped; and an HTML alternative, escaped, in paragraphs."""
    plain = Context(values, autoescape=False)
    subject = " ".join(_ENGINE.from_string(template.subject).render(plain).split())
    text = _ENGINE.from_string(template.body).render(Context(values, autoescape=False))
    html_body = _ENGINE.from_string(template.body).render(Context(values, autoescape=True))
    # linebreaks() escapes nothing itself: html_body is already escaped by autoescape.
    html = f"<!DOCTYPE html><html lang=\"en-GB\"><body>{linebreaks(html_body)}</body></html>"
    return RenderedMessage(subject=subject[:255], text=text, html=html)


def send_stage_message(route_pk: int, kind: str, sent_by_pk: int | None) -> MessageLog | None:
    """Send the e-mail for ``kind`` about route ``route_pk`` and log it; called on commit.

    Returns the MessageLog row, or None when nothing was sent: the template for ``kind``
    is switched off, the route was erased meanwhile, or the kind has no template. A mail
    server error is logged (status ``failed``) rather than raised: the stage has moved.
    """
    if kind not in MessageKind.values:
        return None
    route = (
        ApplicationRoute.objects.select_related(
            "application__candidate", "application__campaign", "organisation"
        )
        .filter(pk=route_pk)
        .first()
    )
    if route is None:
        return None
    template = template_for(route.organisation.region_id, kind)
    if not template.is_active:
        return None
    message = render(template, context_for(route, kind))
    to = route.application.candidate.email
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        to=[to],
        reply_to=[route.application.campaign.contact_email or settings.CARERECRUIT_CONTACT_EMAIL],
    )
    email.attach_alternative(message.html, "text/html")
    status = MessageLog.Status.SENT
    try:
        email.send()
    except Exception:  # any mail transport error; the move itself stands
        logger.exception("stage e-mail for route %s (%s) was not sent", route_pk, kind)
        status = MessageLog.Status.FAILED
    return MessageLog.objects.create(
        route=route, kind=kind, to_email=to, subject=message.subject, body=message.text,
        sent_at=timezone.now(), sent_by_id=sent_by_pk, status=status,
    )
