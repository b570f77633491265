"""A checker for schema.org JobPosting JSON-LD against Google for Jobs' rules.

Source: Google Search Central, "Job posting (JobPosting) structured data" (required and
recommended properties; domain.md section 3). Returns a list of problems; empty = valid.
"""

from __future__ import annotations

import datetime
import json
import re

from django.utils.html import strip_tags

EMPLOYMENT_TYPES = {"FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"}
UNIT_TEXTS = {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}
REQUIRED = ("title", "description", "datePosted", "hiringOrganization", "jobLocation")
RECOMMENDED = ("validThrough", "employmentType", "baseSalary", "directApply", "identifier")
SCRIPT_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld_blocks(html: str) -> list[dict]:
    """Every application/ld+json block of a page, parsed."""
    return [json.loads(block) for block in SCRIPT_RE.findall(html)]


def _is_type(obj, type_name) -> bool:
    return isinstance(obj, dict) and obj.get("@type") == type_name


def job_posting_problems(data: dict) -> list[str]:
    problems = []
    if data.get("@context") not in ("https://schema.org/", "https://schema.org", "http://schema.org"):
        problems.append("@context must be schema.org")
    if data.get("@type") != "JobPosting":
        problems.append("@type must be JobPosting")
    for name in REQUIRED + RECOMMENDED:
        if name not in data:
            problems.append(f"missing {name}")
    title = data.get("title", "")
    if not isinstance(title, str) or not title.strip():
        problems.append("title must be a non-empty string")
    elif re.search(r"£|\bapply\b|\d{4,}", title, re.I):
        problems.append("title must be the job title only (no pay, codes or 'apply')")
    description = data.get("description", "")
    if not isinstance(description, str) or not strip_tags(description).strip():
        problems.append("description must be non-empty HTML")
    try:
        datetime.date.fromisoformat(data.get("datePosted", ""))
    except (TypeError, ValueError):
        problems.append("datePosted must be an ISO 8601 date")
    org = data.get("hiringOrganization")
    if not _is_type(org, "Organization") or not org.get("name"):
        problems.append("hiringOrganization must be an Organization with a name")
    elif "sameAs" in org and not str(org["sameAs"]).startswith(("http://", "https://")):
        problems.append("hiringOrganization.sameAs must be a URL")
    place = data.get("jobLocation")
    address = place.get("address") if _is_type(place, "Place") else None
    if not _is_type(address, "PostalAddress"):
        problems.append("jobLocation must be a Place with a PostalAddress")
    else:
        for name in ("addressLocality", "addressRegion", "postalCode"):
            if not address.get(name):
                problems.append(f"jobLocation.address.{name} missing")
        if address.get("addressCountry") != "GB":
            problems.append("addressCountry must be GB")
    try:
        through = datetime.datetime.fromisoformat(data.get("validThrough", ""))
        if through.tzinfo is None:
            problems.append("validThrough must carry a time zone offset")
    except (TypeError, ValueError):
        problems.append("validThrough must be an ISO 8601 date-time")
    types = data.get("employmentType")
    types = [types] if isinstance(types, str) else types
    if not types or not set(types) <= EMPLOYMENT_TYPES:
        problems.append("employmentType must be Google's values")
    salary = data.get("baseSalary")
    value = salary.get("value") if _is_type(salary, "MonetaryAmount") else None
    if not _is_type(value, "QuantitativeValue") or salary.get("currency") != "GBP":
        problems.append("baseSalary must be a MonetaryAmount in GBP with a QuantitativeValue")
    else:
        numbers = [value.get(k) for k in ("value", "minValue", "maxValue") if k in value]
        if not numbers or not all(isinstance(n, (int, float)) and not isinstance(n, bool) and n > 0 for n in numbers):
            problems.append("baseSalary amounts must be positive numbers")
        if ("minValue" in value) != ("maxValue" in value) or ("value" in value) == ("minValue" in value):
            problems.append("baseSalary needs value, or minValue and maxValue")
        if "minValue" in value and "maxValue" in value and value["minValue"] > value["maxValue"]:
            problems.append("baseSalary minValue above maxValue")
        if value.get("unitText") not in UNIT_TEXTS:
            problems.append("baseSalary unitText must be HOUR, DAY, WEEK, MONTH or YEAR")
    if data.get("directApply") is not True and data.get("directApply") is not False:
        problems.append("directApply must be a boolean")
    identifier = data.get("identifier")
    if not _is_type(identifier, "PropertyValue") or not identifier.get("name") or not identifier.get("value"):
        problems.append("identifier must be a PropertyValue with name and value")
    if "totalJobOpenings" in data and (not isinstance(data["totalJobOpenings"], int) or data["totalJobOpenings"] < 1):
        problems.append("totalJobOpenings must be a positive integer")
    return problems
