"""The query parameters every list shares, read and checked in one place.

- ``start``, ``end``: local dates (Europe/London) as ``YYYY-MM-DD``, inclusive, from
  1900-01-01 to 2999-12-31; ``end`` not before ``start``.
- ``council``: a council's ONS GSS code (e.g. ``E08000025``).
- ``role``: an ASC-WDS main job role code (e.g. ``7``).

A bad value raises DRF's ValidationError naming the parameter, which the API answers as
400 (:mod:`carerecruit.api.errors`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole

GSS_CODE = re.compile(r"^[EWSN]\d{8}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Dates outside these answer 400: periods are shifted by days and months (comparison
# periods, UTC bounds of local days), which would overflow at year 1 or 9999.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)


@dataclass(frozen=True)
class ApiFilters:
    """Checked filters: dates, the council (an Organisation) and the job role code."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    council: Organisation | None = None
    role: int | None = None


def _date(params, name: str, errors: dict) -> datetime.date | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        if not DATE.fullmatch(raw):
            raise ValueError
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        errors[name] = ["Enter a date as YYYY-MM-DD, for example 2020-04-01."]
        return None
    if not EARLIEST <= day <= LATEST:
        errors[name] = ["Enter a date from 1900-01-01 to 2999-12-31."]
        return None
    return day


#: Parameters of every list (carerecruit.api.pagination).
PAGE_PARAMETERS = ("page", "page_size")


def read_filters(params, *, allowed=("start", "end", "council", "role"), also=PAGE_PARAMETERS) -> ApiFilters:
    """Read ``start``, ``end``, ``council`` and ``role`` (those in ``allowed``) from a
    QueryDict; ``also`` names the endpoint's other parameters. Raises ValidationError
    ``{parameter: [message]}`` for every bad one, and for every parameter the endpoint
    does not take (a typo such as ``councl`` would otherwise quietly return everything)
    and every parameter given more than once (``council=A&council=B`` would otherwise
    quietly use B)."""
    errors: dict[str, list[str]] = {}
    known = (*allowed, *also)
    repeated: dict[str, list[str]] = {}
    for name in params:
        if name not in known:
            errors[name] = [f"This endpoint does not take this parameter. It takes: {', '.join(known)}."]
        elif len(params.getlist(name)) > 1:
            repeated[name] = [f"Give this parameter once, not {len(params.getlist(name))} times."]
    start = _date(params, "start", errors) if "start" in allowed else None
    end = _date(params, "end", errors) if "end" in allowed else None
    if start and end and end < start:
        errors["end"] = ["The end date must be the same as or after the start date."]
    council = None
    raw = params.get("council") if "council" in allowed else None
    if raw is not None:
        code = raw
        # fullmatch: "$" would let a trailing newline through, to be echoed in the message.
        if not GSS_CODE.fullmatch(code):
            errors["council"] = ["Enter a council's ONS GSS code, for example E08000025."]
        else:
            council = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, gss_code=code).first()
            if council is None:
                errors["council"] = [f"No council has the GSS code {code}."]
    role = None
    raw = params.get("role") if "role" in allowed else None
    if raw is not None:
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 4:
            errors["role"] = ["Enter an ASC-WDS main job role code: a whole number, for example 7."]
        elif not JobRole.objects.filter(code=int(raw)).exists():
            errors["role"] = [f"There is no ASC-WDS main job role with code {int(raw)}."]
        else:
            role = int(raw)
    # A repeated parameter's own message wins over one about its last value.
    errors.update(repeated)
    if errors:
        raise ValidationError(errors)
    return ApiFilters(start, end, council, role)


START = OpenApiParameter(
    "start", OpenApiTypes.DATE, description="First local date (Europe/London), YYYY-MM-DD, inclusive."
)
END = OpenApiParameter(
    "end", OpenApiTypes.DATE, description="Last local date (Europe/London), YYYY-MM-DD, inclusive; not before start."
)
COUNCIL = OpenApiParameter(
    "council", OpenApiTypes.STR, pattern=r"^[EWSN]\d{8}$",
    description="A council's ONS GSS code, e.g. E08000025 (Birmingham).",
)
ROLE = OpenApiParameter(
    "role", {"type": "integer", "minimum": 1, "maximum": 9999}, description="ASC-WDS main job role code, e.g. 7 (senior care worker)."
)
FILTERS = [START, END, COUNCIL, ROLE]
