"""Read-only queries over vacancies shared by the public pages and the region home."""

from __future__ import annotations

from django.db.models import QuerySet

from carerecruit.lib.localtime import local_today
from carerecruit.reference.models import Region
from carerecruit.vacancies.models import Vacancy


def open_vacancies(region: Region | None) -> QuerySet[Vacancy]:
    """Vacancies the public may see in ``region``: open, closing date (local) today or
    later, newest first. Used by ``/vacancies/`` and the region home page."""
    if region is None:
        return Vacancy.objects.none()
    return (
        Vacancy.objects.filter(
            organisation__region=region, status=Vacancy.Status.OPEN, closing_date__gte=local_today()
        )
        .select_related("organisation", "job_role", "council_area")
        .order_by("-published_at", "title", "pk")
    )
