"""schema.org JobPosting structured data for a vacancy page (Google for Jobs).

Source: Google Search Central, "Job posting (JobPosting) structured data", and
schema.org/JobPosting; the property list and the ASC-WDS contract type mapping are in
domain.md section 3. Google requires ``title``, ``description`` (HTML),
``datePosted``, ``hiringOrganization`` and ``jobLocation``; we also give the
recommended ``validThrough``, ``employmentType``, ``baseSalary``, ``directApply`` and
``identifier``, plus ``totalJobOpenings``, ``jobStartDate`` and ``url``.

Only a vacancy that is open and not past its closing date gets markup: Google asks for
the markup to go when the job closes (the page then answers 410 Gone).
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from carerecruit.lib.localtime import local_date, local_zone
from carerecruit.vacancies.models import ContractType, Vacancy

# ASC-WDS EMPLSTATUS → schema.org employmentType (domain.md 3). Permanent depends on
# the hours: 30 or more a week is full time (the threshold of our application form).
EMPLOYMENT_TYPES = {
    ContractType.TEMPORARY: "TEMPORARY",
    ContractType.POOL_BANK: "PER_DIEM",
    ContractType.AGENCY: "CONTRACTOR",
    ContractType.OTHER: "OTHER",
}
FULL_TIME_HOURS = 30

# What Django's json_script escapes, so the JSON cannot end the <script> element or
# open a comment or entity inside it, whatever the staff typed.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def employment_type(contract_type: int, hours_per_week) -> str:
    """The schema.org ``employmentType`` for an ASC-WDS contract type code: Permanent →
    ``FULL_TIME`` (30 hours a week or more) or ``PART_TIME``; Temporary → ``TEMPORARY``;
    Pool/Bank → ``PER_DIEM``; Agency → ``CONTRACTOR``; Other → ``OTHER``."""
    if contract_type == ContractType.PERMANENT:
        return "FULL_TIME" if hours_per_week >= FULL_TIME_HOURS else "PART_TIME"
    return EMPLOYMENT_TYPES.get(contract_type, "OTHER")


def paragraphs(text: str) -> list[str]:
    """Plain text split into paragraphs on blank lines, each stripped, empty ones dropped."""
    return [p.strip() for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if p.strip()]


def description_html(text: str) -> str:
    """Staff-written plain text as HTML: each paragraph in ``<p>``, single line breaks as
    ``<br>``, every character escaped (``<script>`` stays text)."""
    return "".join(
        "<p>" + "<br>".join(escape(line.strip()) for line in para.split("\n")) + "</p>"
        for para in paragraphs(text)
    )


def pounds_number(pence: int) -> int | float:
    """Pence as a JSON number of pounds: ``1275`` → ``12.75``, ``2800000`` → ``28000``."""
    whole, part = divmod(int(pence), 100)
    return whole if part == 0 else round(pence / 100, 2)


def valid_through(closing_date: datetime.date) -> str:
    """The end of the closing day in Europe/London as ISO 8601 with its offset:
    ``2027-03-30`` → ``"2027-03-30T23:59:59+01:00"`` (BST), ``"…+00:00"`` in winter."""
    end = datetime.datetime.combine(closing_date, datetime.time(23, 59, 59), tzinfo=local_zone())
    return end.isoformat()


def job_posting(vacancy: Vacancy, *, url: str) -> dict[str, Any]:
    """The JobPosting object for ``vacancy`` (a dict ready for JSON).

    ``url`` is the absolute address of the vacancy's public page. The vacancy must have
    been published (``published_at`` set); ``organisation`` and its ``region`` should be
    loaded with it.
    """
    organisation = vacancy.organisation
    hiring: dict[str, Any] = {"@type": "Organization", "name": organisation.name}
    if organisation.website:
        hiring["sameAs"] = organisation.website
    address: dict[str, Any] = {"@type": "PostalAddress"}
    if vacancy.street_address:
        address["streetAddress"] = vacancy.street_address
    address.update(
        {
            "addressLocality": vacancy.town,
            "addressRegion": organisation.region.name,
            "postalCode": vacancy.postcode,
            "addressCountry": "GB",
        }
    )
    value: dict[str, Any] = {"@type": "QuantitativeValue"}
    if vacancy.pay_max_pence is None:
        value["value"] = pounds_number(vacancy.pay_min_pence)
    else:
        value["minValue"] = pounds_number(vacancy.pay_min_pence)
        value["maxValue"] = pounds_number(vacancy.pay_max_pence)
    value["unitText"] = vacancy.pay_unit
    posting: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": description_html(vacancy.description),
        "identifier": {
            "@type": "PropertyValue",
            "name": organisation.name,
            "value": vacancy.reference or vacancy.code,
        },
        "datePosted": local_date(vacancy.published_at).isoformat(),
        "validThrough": valid_through(vacancy.closing_date),
        "employmentType": employment_type(vacancy.contract_type, vacancy.hours_per_week),
        "hiringOrganization": hiring,
        "jobLocation": {"@type": "Place", "address": address},
        "baseSalary": {"@type": "MonetaryAmount", "currency": "GBP", "value": value},
        "directApply": True,
        "totalJobOpenings": vacancy.number_of_posts,
        "url": url,
    }
    if vacancy.starts_on:
        posting["jobStartDate"] = vacancy.starts_on.isoformat()
    return posting


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """``<script type="application/ld+json">…</script>`` holding ``data`` as JSON, with
    ``<``, ``>`` and ``&`` escaped as ``\\u003C``/``\\u003E``/``\\u0026`` (as Django's
    ``json_script`` does), so no value can close the element. JSON parsers read the
    escapes back as the original characters."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
