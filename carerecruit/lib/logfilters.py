"""Logging filters used by ``settings.LOGGING``."""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest, PermissionDenied

# Exceptions that are answers to ordinary requests (a 403 for a read-only role, a 400 for
# a filter typed wrong), not faults: logged in one line.
_ORDINARY = (PermissionDenied, BadRequest)


class PermissionDeniedWithoutTraceback(logging.Filter):
    """Drop the traceback from Django's "Forbidden (Permission denied): <path>" warning.

    A read-only role trying to change something is an ordinary event, answered with our
    403 page; Django logs it on ``django.request`` with the exception attached, which
    prints a traceback per denial and buries real errors. The one-line warning (path,
    status 403) is kept. A ``BadRequest`` (400, e.g. a download asked for with bad
    filters) is treated the same way. Any other record passes unchanged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc_info = record.exc_info
        if exc_info and isinstance(exc_info, tuple) and isinstance(exc_info[1], _ORDINARY):
            record.exc_info = None
            record.exc_text = None
        return True
