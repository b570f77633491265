"""`carerecruit route-applications`: route applications that have no route yet."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from carerecruit.candidates.models import Application
from carerecruit.placements.actions import route_unrouted_applications


class Command(BaseCommand):
    help = (
        "Route every application that is not routed to any organisation yet: to the councils "
        "the candidate chose, else to the council of their postcode (ONSPD, else the "
        "approximate postcode-district table). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", metavar="SLUG", help="Only this campaign's applications.")

    def handle(self, *args, campaign: str | None, **options):
        applications = Application.objects.all()
        if campaign:
            applications = applications.filter(campaign__slug=campaign)
        routed, routes = route_unrouted_applications(applications)
        left = applications.filter(routes__isnull=True).count()
        self.stdout.write(self.style.SUCCESS(
            f"Routed {routed:,} application{'s' if routed != 1 else ''} ({routes:,} routes)."
        ))
        if left:
            self.stdout.write(
                f"{left:,} still unrouted: no council chosen and the postcode is unknown. "
                "Import the ONS Postcode Directory (carerecruit import-onspd FILE) and run this again."
            )
