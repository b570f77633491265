"""Every API error is JSON with a 4xx status (never an HTML page).

Body (:class:`carerecruit.api.serializers.ErrorSerializer`)::

    {"status": 400, "code": "invalid_parameter", "message": "…",
     "parameters": {"start": ["Enter a date as YYYY-MM-DD, for example 2020-04-01."]}}

``parameters`` appears only on 400 and names each bad query parameter. 429 answers carry
``Retry-After`` (seconds). Unknown paths under ``/api/v1/`` answer 404 through
:func:`not_found` rather than the site's HTML page.
"""

from __future__ import annotations

import logging

from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger("carerecruit.api")

CODES = {
    400: "invalid_parameter",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def error_body(status_code: int, message: str, parameters: dict | None = None) -> dict:
    """The JSON error body for ``status_code``."""
    body = {"status": status_code, "code": CODES.get(status_code, "error"), "message": message}
    if parameters:
        body["parameters"] = parameters
    return body


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(key): [str(v) for v in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    return {}


def json_exception_handler(exc, context):
    """DRF ``EXCEPTION_HANDLER``: DRF's own handling (status, headers such as
    ``Retry-After`` and ``WWW-Authenticate``), with our body."""
    response = exception_handler(exc, context)
    if response is None:
        # A bug: still JSON, and logged with the traceback.
        logger.exception("API error on %s", context["request"].path)
        return Response(
            error_body(500, "Something went wrong on our side. Try again later."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            400, "Check the query parameters.", _flatten(exc.detail) or {"request": [str(exc.detail)]}
        )
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        unit = "second" if wait == 1 else "seconds"
        response.data = error_body(429, f"Too many requests for this token: try again in {wait} {unit}.")
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = error_body(response.status_code, str(detail) or "Request refused.")
    return response


def not_found(request, *args, **kwargs):
    """Any path under ``/api/v1/`` that names no endpoint: a JSON 404."""
    return JsonResponse(error_body(404, "No such API endpoint. See /api/v1/openapi.json."), status=404)
