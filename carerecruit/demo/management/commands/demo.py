"""`carerecruit demo`: load the simulated West Midlands demo region.

Running it again does not duplicate anything: it says the demo is already loaded and
stops (first adding the live campaign if a demo loaded before it existed lacks it).
``--reset`` deletes the demo (every simulated row and the demo logins) and loads it
afresh, giving exactly the same figures, and a live campaign dated from that day.
"""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from carerecruit.demo import content
from carerecruit.demo.simulation import (
    DemoConflict,
    DemoFigures,
    delete_demo,
    demo_is_loaded,
    ensure_live_campaign,
    live_campaign,
    load_demo,
    roll_up_all,
)

ROLE_NAMES = {
    "admin": "Regional admin",
    "campaign_manager": "Campaign manager",
    "recruiter": "Recruiter",
    "viewer": "Viewer (read only)",
}


class Command(BaseCommand):
    help = (
        "Load the simulated demo region: three spring-2020 campaigns with microsites, tracked "
        "links, invented care providers, staff logins and five weeks of simulated activity, "
        "plus one campaign live today with tracked links and no simulated history, to try "
        "the application form. Deterministic; refuses to load twice (use --reset to reload)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true",
            help="Delete the demo (every simulated row and the demo logins) and load it again.",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0,
            help="Multiply every volume by this (default 1: about 10,000 clicks, 600 "
                 "applications). Smaller is quicker, e.g. 0.1 in tests.",
        )
        parser.add_argument(
            "--no-forecast-history", action="store_true",
            help="Leave out the simulated 2017-2020 monthly history (its own closed campaign, "
                 "about 600 applications) that gives the forecast page something to model.",
        )

    def handle(self, *args, reset: bool, scale: float, no_forecast_history: bool = False, **options):
        if not scale > 0:
            raise CommandError("--scale must be a positive number, e.g. 0.1 or 1")
        if demo_is_loaded():
            if not reset:
                # A demo loaded before the live campaign existed gets it now; otherwise
                # this changes nothing.
                _, added = ensure_live_campaign()
                self.stdout.write(
                    "The demo region is already loaded; "
                    + (f"added its live campaign, {content.LIVE_CAMPAIGN_NAME}.\n" if added
                       else "nothing was changed.\n")
                    + "To delete it and load it again, run: carerecruit demo --reset"
                )
                # `make demo` runs this on every start: show where to go and how to sign
                # in again, rather than only in the first run's output.
                self.stdout.write("")
                self._where_and_who()
                return
            self.stdout.write("Deleting the existing demo region (simulated rows and demo logins)…")
            delete_demo()
        elif reset:
            delete_demo()  # Leftover demo logins or providers from an interrupted load.
        started = time.monotonic()
        try:
            figures = load_demo(scale=scale)
        except DemoConflict as exc:
            raise CommandError(
                f"Cannot load the demo: {exc}. The demo needs these names free; run it on "
                "a fresh database, or rename those records."
            ) from exc
        folded = roll_up_all()
        # Councils' ASC-WDS returns, through the real import, for the regional dashboard.
        from carerecruit.workforce.demo import load_demo_workforce

        load_demo_workforce()
        # A labelled, simulated monthly history (2017 to 2020) in its own closed campaign,
        # so the forecast page has series long enough to model; the worker computes the
        # forecasts on its first check after `serve` starts.
        if not no_forecast_history:
            from carerecruit.forecast.demo import load_forecast_history

            load_forecast_history()
        self._report(figures, scale, folded, time.monotonic() - started)

    def _report(self, figures: DemoFigures, scale: float, folded: int, seconds: float) -> None:
        out = self.stdout.write
        out(self.style.SUCCESS(
            f"Loaded the simulated demo region in {seconds:.1f} s "
            f"(seed {content.DEMO_SEED}, scale {scale:g}). Its campaigns, providers, links, "
            "events and candidates are all marked as simulated."
        ))
        out("")
        first = min(spec.starts_on for spec in content.CAMPAIGNS)
        last = max(spec.ends_on for spec in content.CAMPAIGNS)
        out(f"Simulated activity, {first.day} {first:%B} to {last.day} {last:%B %Y} (bot clicks are flagged "
            "and not counted):")
        header = ("campaign", "links", "clicks", "visits", "form starts", "applications", "bot clicks")
        rows = [
            (spec.hashtag, *_funnel_row(figures.funnels[spec.slug])) for spec in content.CAMPAIGNS
        ]
        rows.append(("Total", *_funnel_row(figures.total)))
        out(_table(header, rows, numeric_from=1))
        out(f"{figures.candidates:,} candidates (some applied to more than one campaign), "
            f"{figures.providers} invented care providers, {folded:,} events folded into "
            "the daily funnel rollups.")
        out("Impressions, reach and spend are ad-platform figures: they arrive with ad-platform "
            "imports, so the demo does not invent them.")
        out("")
        self._where_and_who()

    def _where_and_who(self) -> None:
        """The addresses to open and the staff logins (printed on every run)."""
        out = self.stdout.write
        first = min(spec.starts_on for spec in content.CAMPAIGNS)
        last = max(spec.ends_on for spec in content.CAMPAIGNS)
        out(f"The demo replays {first.day} {first:%B} to {last.day} {last:%B %Y}: its campaigns have "
            "ended, so their microsites say applications are closed, and their dashboards open on "
            "those weeks.")
        base = _base_url()
        live = live_campaign()
        live_links = []
        if live is None:
            out("To try the application form, publish a campaign in the staff area.")
        elif live.takes_applications:
            out(f"{live.name} is live until {live.ends_on.day} {live.ends_on:%B %Y} and has no "
                "simulated history: apply on its microsite and open its tracked link in a "
                "browser: its dashboard counts only what you do. Clicks from curl and other "
                "tools without a browser's User-Agent are recorded as bots and not counted.")
            link = (live.links.filter(channel=content.LIVE_EXAMPLE_CHANNEL).order_by("pk").first()
                    or live.links.order_by("pk").first())
            live_links.append((f"{base}{live.get_absolute_url()}", f"{live.name} microsite: apply here"))
            if link is not None:
                live_links.append((f"{base}{link.get_absolute_url()}",
                                   f"its {link.get_channel_display()} tracked link"))
            live_links.append((f"{base}{reverse('insights:campaign-dashboard', args=[live.slug])}",
                               "its dashboard (staff)"))
        else:
            out(f"{live.name} ended on {live.ends_on.day} {live.ends_on:%B %Y}; to make a fresh "
                "one live from today, reload the demo: carerecruit demo --reset")
        out("Open:")
        links = [(f"{base}/", "region home"), *live_links]
        links += [(f"{base}/c/{spec.slug}/", f"{spec.hashtag} microsite") for spec in content.CAMPAIGNS]
        links.append((f"{base}/staff/", "staff area (sign in below)"))
        out(_table(("address", "what"), links))
        out("")
        out(self.style.WARNING(
            f"Staff logins, for a LOCAL DEMO ONLY. Every account's password is: "
            f"{content.DEMO_PASSWORD}"
        ))
        out(_table(
            ("username", "role", "organisation"),
            [(s.username, ROLE_NAMES[s.role], s.description.split(", ", 1)[-1])
             for s in content.STAFF],
        ))
        # `make demo` starts the site itself straight after this.
        if not os.environ.get("MAKELEVEL"):
            out("Start the site with: carerecruit serve")


def _funnel_row(funnel) -> tuple[str, ...]:
    return tuple(f"{n:,}" for n in (funnel.links, funnel.clicks, funnel.visits,
                                     funnel.form_starts, funnel.applications, funnel.bot_clicks))


def _base_url() -> str:
    return f"http://127.0.0.1:{os.environ.get('PORT') or 8000}"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], numeric_from: int | None = None) -> str:
    """Plain-text table with two-space gaps; columns from ``numeric_from`` right-aligned."""
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]

    def line(row):
        cells = []
        for i, cell in enumerate(row):
            right = numeric_from is not None and i >= numeric_from
            cells.append(str(cell).rjust(widths[i]) if right else str(cell).ljust(widths[i]))
        return "  " + "  ".join(cells).rstrip()

    return "\n".join([line(header), *(line(r) for r in rows)])
