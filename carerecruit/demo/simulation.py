"""The simulated demo region: load it, measure it, delete it.

:func:`load_demo` writes the campaigns, tracked links, invented providers, staff logins
and five weeks of funnel activity described in :mod:`carerecruit.demo.content`. Every
row it writes is marked ``is_simulated`` (staff users, which have no such flag, are
known by their usernames in ``content.STAFF``), so :func:`delete_demo` can remove exactly
the demo and nothing else.

It also makes one campaign that is live on the day it is loaded
(:func:`ensure_live_campaign`, ``content.live_campaign``): its dates count from that
local date and it has tracked links but no simulated history, so its dashboard shows only
what a newcomer does on it.

Determinism: all randomness comes from one ``random.Random(seed)`` and all times are
fixed dates in spring 2020, so the same seed and scale give the same rows, figures and
link codes on every machine and every run. The live campaign's dates depend on the day
it is loaded; its link codes come from their own seed and are always the same. Nothing
here sends e-mail: applications are written directly, not through the public form's
action.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F

from carerecruit.campaigns.models import LINK_CODE_ALPHABET, LINK_CODE_LENGTH, Campaign, TrackedLink
from carerecruit.candidates.models import Application, Candidate, HoursWanted, RightToWork
from carerecruit.demo import content
from carerecruit.demo.content import CampaignSpec, LinkSpec
from carerecruit.lib.localtime import local_today
from carerecruit.lib.names import fold_name
from carerecruit.lib.postcodes import normalise_postcode
from carerecruit.organisations.models import Organisation, User
from carerecruit.reference.models import JobRole, Region
from carerecruit.tracking.models import Event, EventKind

LONDON = ZoneInfo("Europe/London")
UTC = datetime.UTC
BATCH_SIZE = 2000

# Relative click volume by local hour of day: quiet overnight, a lunchtime bump and an
# evening peak when people scroll their phones.
HOUR_WEIGHTS = (
    0.30, 0.15, 0.10, 0.08, 0.08, 0.15, 0.40, 0.90, 1.20, 1.30, 1.20, 1.20,
    1.60, 1.50, 1.10, 1.00, 1.00, 1.20, 1.40, 1.80, 2.00, 1.80, 1.20, 0.60,
)
# Relative volume by weekday, Monday first. Work-minded channels fall away at weekends;
# short-video apps do not.
WEEKDAY_WEIGHTS = {
    "default": (1.10, 1.05, 1.00, 1.00, 0.90, 0.60, 0.75),
    "work": (1.15, 1.10, 1.05, 1.05, 0.90, 0.30, 0.35),
    "leisure": (0.95, 0.95, 0.95, 1.00, 1.05, 1.10, 1.10),
}
CHANNEL_WEEKDAYS = {"linkedin": "work", "email": "work", "instagram": "leisure", "tiktok": "leisure"}

# A simulated applicant who already applied to another campaign (one candidate, many
# applications) rather than a new person.
REPEAT_CANDIDATE_SHARE = 0.04
TALENT_BANK_CONSENT_SHARE = 0.68


@dataclass
class Funnel:
    """Non-bot event counts for one campaign (bot clicks are counted separately)."""

    links: int = 0
    clicks: int = 0
    bot_clicks: int = 0
    visits: int = 0
    form_starts: int = 0
    applications: int = 0


@dataclass
class DemoFigures:
    """What :func:`load_demo` wrote: funnels keyed by campaign slug, in content order."""

    funnels: dict[str, Funnel] = field(default_factory=dict)
    candidates: int = 0
    providers: int = 0
    staff: int = 0

    @property
    def total(self) -> Funnel:
        """The sum of every campaign's funnel."""
        out = Funnel()
        for funnel in self.funnels.values():
            for name in vars(out):
                setattr(out, name, getattr(out, name) + getattr(funnel, name))
        return out


class DemoConflict(Exception):
    """The database holds real (non-simulated) rows the demo would collide with."""


def demo_is_loaded() -> bool:
    """True when any simulated campaign exists (the demo, or part of it, is loaded)."""
    return Campaign.objects.filter(is_simulated=True).exists()


def delete_demo() -> None:
    """Delete every simulated row and the demo staff logins, in one transaction.

    Removes simulated events, candidates, applications, tracked links, campaigns (with
    their rollups) and providers. Real applications made through a demo campaign's
    microsite during a demo are deleted with the campaign they belong to; the people who
    made them (real ``Candidate`` rows) are left for the candidates app's own retention.
    """
    with transaction.atomic():
        campaigns = Campaign.objects.filter(is_simulated=True)
        # Plain DELETEs: Event has no dependants, so Django does not load the rows.
        Event.objects.filter(is_simulated=True).delete()
        Event.objects.filter(campaign__in=campaigns).delete()
        Application.objects.filter(campaign__in=campaigns).delete()
        Candidate.objects.filter(is_simulated=True).delete()
        campaigns.delete()
        User.objects.filter(username__in=[s.username for s in content.STAFF]).delete()
        Organisation.objects.filter(is_simulated=True).delete()


def roll_up_all() -> int:
    """Fold every settled event into the daily funnel rollups, so dashboards open on
    ready-made counts; return how many non-bot events were folded.

    Uses the worker's own ``catch_up``, which calls ``roll_up_events`` batch by batch until
    the watermark stops moving (a count of 0 alone could be a batch of only bot clicks).
    """
    from carerecruit.tracking.rollups import catch_up

    return catch_up()


def load_demo(*, seed: int = content.DEMO_SEED, scale: float = 1.0) -> DemoFigures:
    """Write the demo region in one transaction and return its figures.

    ``scale`` multiplies every volume (1.0 ≈ 10,000 clicks and 600 applications; tests
    use less). Raises :class:`DemoConflict` if a real campaign already uses one of the
    demo's slugs or a demo username is taken, and ``ValueError`` for a scale that is not
    positive. Call :func:`delete_demo` first to reload; :func:`roll_up_all` afterwards.
    """
    if not scale > 0:
        raise ValueError("scale must be positive")
    slugs = [spec.slug for spec in content.CAMPAIGNS] + [content.LIVE_CAMPAIGN_SLUG]
    taken = list(Campaign.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if taken:
        raise DemoConflict(f"campaigns already exist with the demo's slugs: {', '.join(taken)}")
    usernames = [s.username for s in content.STAFF]
    taken = list(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        raise DemoConflict(f"users already exist with the demo's usernames: {', '.join(taken)}")
    with transaction.atomic():
        figures = _Loader(random.Random(seed), scale).load()
        ensure_live_campaign()
        return figures


def ensure_live_campaign(today: datetime.date | None = None) -> tuple[Campaign | None, bool]:
    """Make the live demo campaign (``content.live_campaign``) unless it exists; return
    ``(campaign, created)``.

    ``today`` is the local (Europe/London) date its dates count from; default today.
    Idempotent: an existing one is returned as it is, even once it has ended (``demo
    --reset`` makes a fresh one). ``(None, False)`` when a real (not simulated) campaign
    already has its slug: the demo never touches real campaigns. Raises
    ``IntegrityError`` only if one of its fixed link codes is taken by another link.
    """
    existing = Campaign.objects.filter(slug=content.LIVE_CAMPAIGN_SLUG).first()
    if existing is not None:
        return (existing if existing.is_simulated else None), False
    spec = content.live_campaign(today or local_today())
    with transaction.atomic():
        loader = _Loader(random.Random(content.LIVE_LINK_SEED), scale=1.0)
        return loader.make_live_campaign(spec), True


def live_campaign() -> Campaign | None:
    """The live demo campaign if it is loaded (None otherwise)."""
    return Campaign.objects.filter(slug=content.LIVE_CAMPAIGN_SLUG, is_simulated=True).first()


def local_datetime(day: datetime.date, seconds: int) -> datetime.datetime:
    """The UTC instant ``seconds`` after local (Europe/London) midnight on ``day``."""
    naive = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(seconds=seconds)
    return naive.replace(tzinfo=LONDON).astimezone(UTC)


def day_weights(link: LinkSpec, days: int, start: datetime.date) -> list[float]:
    """Relative click volume for each day of a campaign ``days`` long, for one link.

    Shapes (see ``LinkSpec.pattern``): a launch post peaks on day 0 and decays with a
    5-day time constant to a floor; a spike (e-mail send, article, new post) peaks on each
    of its days and decays within two or three days, with nothing before the first; a
    paid ad spends a daily budget from launch; a poster is read from day 3, once printed.
    """
    weekday = WEEKDAY_WEIGHTS[CHANNEL_WEEKDAYS.get(link.channel, "default")]
    weights = []
    for d in range(days):
        if link.pattern == "launch":
            w = 0.18 + math.exp(-d / 5)
        elif link.pattern == "spike":
            w = sum(math.exp(-(d - s) / 1.3) for s in link.days if s <= d)
            w = w + 0.04 if d >= min(link.days) else 0.0
        elif link.pattern == "steady":
            w = (0.6, 0.85)[d] if d < 2 else 1.0
        elif link.pattern == "poster":
            w = 1.0 if d >= 3 else 0.0
        else:
            raise ValueError(f"unknown pattern {link.pattern!r}")
        weights.append(w * weekday[(start + datetime.timedelta(days=d)).weekday()])
    return weights


@dataclass
class _Touch:
    """One simulated visitor journey's attribution, shared by all its events."""

    campaign: Campaign
    link: TrackedLink | None
    channel: str
    referrer_host: str
    click_id: str
    visitor_hash: str = ""


class _Loader:
    """Builds the demo with one random stream; used once by :func:`load_demo`."""

    def __init__(self, rng: random.Random, scale: float):
        self.rng = rng
        self.scale = scale
        self.events: list[Event] = []
        self.figures = DemoFigures()
        self.visitor_counter = 0
        # (spec, touch, submitted_at) per application; the rows are written after the events.
        self.applications: list[tuple[CampaignSpec, _Touch, datetime.datetime]] = []

    # --- organisations, staff, campaigns, links ----------------------------------------
    def _read_reference(self) -> None:
        """The region, its regional body and councils, and the job roles."""
        self.region = Region.objects.get(gss_code=content.REGION_GSS_CODE)
        self.regional_body = Organisation.objects.get(
            region=self.region, kind=Organisation.Kind.REGIONAL_BODY
        )
        self.councils = {
            o.gss_code: o
            for o in Organisation.objects.filter(region=self.region, kind=Organisation.Kind.COUNCIL)
        }
        self.job_roles = {r.code: r for r in JobRole.objects.all()}

    def load(self) -> DemoFigures:
        self._read_reference()
        self.providers = self._make_providers()
        self._make_staff()
        for spec in content.CAMPAIGNS:
            campaign = self._make_campaign(spec)
            links = self._make_links(spec, campaign)
            funnel = self.figures.funnels[spec.slug] = Funnel(links=len(links))
            self._simulate(spec, campaign, links, funnel)
        self._write_people()
        # Route the applications and take a share through to placement and retention
        # (placements app; deterministic, its own random stream; see placements.demo).
        from carerecruit.placements.demo import simulate_pipeline

        simulate_pipeline()
        # The talent bank's search index (talentbank app): bulk-created people send no
        # signals, so build it once here.
        from carerecruit.talentbank.profiles import rebuild_talent_profiles

        rebuild_talent_profiles()
        self.events.sort(key=lambda e: e.occurred_at)
        Event.objects.bulk_create(self.events, batch_size=BATCH_SIZE)
        return self.figures

    def _make_providers(self) -> dict[str, Organisation]:
        providers = {}
        for spec in content.PROVIDERS:
            providers[spec.slug] = Organisation.objects.create(
                region=self.region, kind=Organisation.Kind.PROVIDER, name=spec.name,
                short_name=spec.short_name, slug=spec.slug, is_simulated=True,
            )
        self.figures.providers = len(providers)
        return providers

    def _organisation(self, key: str) -> Organisation:
        if key == "regional":
            return self.regional_body
        return self.councils.get(key) or self.providers[key]

    def _make_staff(self) -> None:
        password = _demo_password_hash()
        for spec in content.STAFF:
            User.objects.create(
                username=spec.username, first_name=spec.first_name, last_name=spec.last_name,
                email=f"{spec.username}@example.org", organisation=self._organisation(spec.organisation),
                role=spec.role, password=password,
            )
        self.figures.staff = len(content.STAFF)

    def _make_campaign(self, spec: CampaignSpec) -> Campaign:
        created = local_datetime(spec.created_on, 10 * 3600)
        campaign = Campaign.objects.create(
            region=self.region, owner=self.regional_body, name=spec.name, slug=spec.slug,
            hashtag=spec.hashtag, audience=spec.audience, status=Campaign.Status.LIVE,
            starts_on=spec.starts_on, ends_on=spec.ends_on, headline=spec.headline,
            introduction=spec.introduction, why_join=list(spec.why_join),
            faqs=[{"question": q, "answer": a} for q, a in spec.faqs],
            contact_email=spec.contact_email, contact_phone=spec.contact_phone,
            brand_colour=spec.brand_colour, is_simulated=True, created_at=created,
        )
        Campaign.objects.filter(pk=campaign.pk).update(updated_at=F("created_at"))
        campaign.job_roles.set([self.job_roles[c] for c in spec.job_role_codes])
        campaign.partners.set(
            [self.councils[g] for g in spec.partner_council_gss]
            + [self.providers[s] for s in spec.partner_providers]
        )
        return campaign

    def _link_code(self) -> str:
        return "".join(self.rng.choice(LINK_CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))

    def make_live_campaign(self, spec: CampaignSpec) -> Campaign:
        """The live campaign (``content.live_campaign``) and its links, with the demo's
        simulated providers as partners where they exist; no events, no people."""
        self._read_reference()
        self.providers = {
            o.slug: o for o in Organisation.objects.filter(
                is_simulated=True, kind=Organisation.Kind.PROVIDER, slug__in=spec.partner_providers)
        }
        spec = dataclasses.replace(
            spec, partner_providers=tuple(s for s in spec.partner_providers if s in self.providers)
        )
        campaign = self._make_campaign(spec)
        # Went live on its first day at 09:00 local time, as staff would have published it.
        published = local_datetime(spec.starts_on, 9 * 3600)
        Campaign.objects.filter(pk=campaign.pk).update(published_at=published)
        campaign.published_at = published
        self._make_links(spec, campaign)
        return campaign

    def _make_links(self, spec: CampaignSpec, campaign: Campaign) -> list[TrackedLink]:
        manager = User.objects.filter(username="campaign.manager").first()
        links = []
        for link in spec.links:
            # Made the working day before it was first posted.
            first_day = min(link.days) if link.pattern == "spike" else 0
            made_on = spec.starts_on + datetime.timedelta(days=first_day - 1)
            links.append(TrackedLink(
                campaign=campaign, code=self._link_code(), label=link.label, channel=link.channel,
                utm_source=link.utm_source, utm_medium=link.utm_medium, utm_campaign=spec.slug,
                utm_content=link.utm_content, created_by=manager,
                created_at=local_datetime(made_on, 15 * 3600), is_simulated=True,
            ))
        return TrackedLink.objects.bulk_create(links)

    # --- activity ----------------------------------------------------------------------
    def _count(self, expected: float) -> int:
        """A volume near ``expected`` × scale (±10%), so totals are not suspiciously round."""
        return round(expected * self.scale * self.rng.uniform(0.9, 1.1))

    def _times(self, weights: list[float], start: datetime.date, n: int) -> list[datetime.datetime]:
        days = self.rng.choices(range(len(weights)), weights=weights, k=n)
        hours = self.rng.choices(range(24), weights=HOUR_WEIGHTS, k=n)
        return sorted(
            local_datetime(start + datetime.timedelta(days=d), h * 3600 + self.rng.randrange(3600))
            for d, h in zip(days, hours, strict=True)
        )

    def _simulate(self, spec: CampaignSpec, campaign: Campaign, links: list[TrackedLink],
                  funnel: Funnel) -> None:
        days = (spec.ends_on - spec.starts_on).days + 1
        rng = self.rng
        for link_spec, link in zip(spec.links, links, strict=True):
            weights = day_weights(link_spec, days, spec.starts_on)
            for at in self._times(weights, spec.starts_on, self._count(link_spec.clicks)):
                touch = _Touch(
                    campaign, link, link.channel,
                    referrer_host=rng.choice(content.REFERRER_HOSTS[link.channel]),
                    click_id=f"{rng.getrandbits(64):016x}",
                )
                self._event(EventKind.CLICK, at, touch)
                funnel.clicks += 1
                # A visit lands a few seconds after its click, once the page has loaded.
                self._journey(spec, touch, at + datetime.timedelta(seconds=rng.randint(1, 20)),
                              funnel, content.CONVERSION[link.channel])
            # Link-preview crawlers fetch the link around the times people see the post.
            n_bots = round(self._count(link_spec.clicks) * content.BOT_SHARE)
            for at in self._times(weights, spec.starts_on, n_bots):
                touch = _Touch(campaign, link, link.channel, referrer_host="", click_id="")
                self._event(EventKind.CLICK, at, touch, is_bot=True,
                            detail={"user_agent": content.BOT_USER_AGENTS[link.channel]})
                funnel.bot_clicks += 1
        # Visits with no tracked link: typed addresses, search results, forwarded pages.
        direct = LinkSpec("direct", "", "", "", "", spec.direct_visits)
        weights = day_weights(direct, days, spec.starts_on)
        for at in self._times(weights, spec.starts_on, self._count(spec.direct_visits)):
            touch = _Touch(campaign, None, "direct",
                           referrer_host=rng.choice(content.REFERRER_HOSTS["direct"]), click_id="")
            self._journey(spec, touch, at, funnel, content.CONVERSION["direct"], visit_certain=True)

    def _journey(self, spec: CampaignSpec, touch: _Touch, at: datetime.datetime, funnel: Funnel,
                 rates: tuple[float, float, float], *, visit_certain: bool = False) -> None:
        """Visit → form start → application, each step taken with the channel's rate."""
        rng = self.rng
        to_visit, to_start, to_apply = rates
        if not visit_certain and rng.random() >= to_visit:
            return
        self.visitor_counter += 1
        touch.visitor_hash = hashlib.sha256(f"demo-visitor-{self.visitor_counter}".encode()).hexdigest()
        self._event(EventKind.VISIT, at, touch)
        funnel.visits += 1
        if rng.random() >= to_start:
            return
        at += datetime.timedelta(seconds=rng.randint(20, 900))
        self._event(EventKind.FORM_START, at, touch)
        funnel.form_starts += 1
        if rng.random() >= to_apply:
            return
        # Most people finish the form in under five minutes; some take longer.
        at += datetime.timedelta(seconds=rng.randint(100, 720))
        self._event(EventKind.APPLICATION, at, touch)
        funnel.applications += 1
        self.applications.append((spec, touch, at))

    def _event(self, kind: str, at: datetime.datetime, touch: _Touch, *, is_bot: bool = False,
               detail: dict | None = None) -> None:
        link = touch.link
        self.events.append(Event(
            # Ids, not instances: the related-object descriptors cost ~20% of the load time.
            kind=kind, occurred_at=at, campaign_id=touch.campaign.pk,
            link_id=link.pk if link else None, channel=touch.channel,
            utm_source=link.utm_source if link else "", utm_medium=link.utm_medium if link else "",
            utm_campaign=link.utm_campaign if link else "",
            utm_content=link.utm_content if link else "", utm_term=link.utm_term if link else "",
            visitor_hash="" if kind == EventKind.CLICK else touch.visitor_hash,
            click_id=touch.click_id, referrer_host=touch.referrer_host,
            is_bot=is_bot, is_simulated=True, detail=detail or {},
        ))

    # --- candidates and applications ---------------------------------------------------
    def _write_people(self) -> None:
        rng = self.rng
        self.applications.sort(key=lambda item: item[2])
        phones = self._phone_numbers()
        emails: set[str] = set()
        candidates: list[Candidate] = []
        homes: list[str] = []  # GSS code of each candidate's council, same order
        applied: list[set[str]] = []  # campaign slugs per candidate, same order
        rows = []  # (candidate index, spec, touch, submitted_at)
        for spec, touch, at in self.applications:
            if candidates and rng.random() < REPEAT_CANDIDATE_SHARE:
                eligible = [i for i, slugs in enumerate(applied) if spec.slug not in slugs]
                if eligible:
                    index = rng.choice(eligible)
                    applied[index].add(spec.slug)
                    candidates[index].last_active_at = at
                    rows.append((index, spec, touch, at))
                    continue
            candidate, home = self._new_candidate(at, emails, phones)
            candidates.append(candidate)
            homes.append(home)
            applied.append({spec.slug})
            rows.append((len(candidates) - 1, spec, touch, at))
        Candidate.objects.bulk_create(candidates, batch_size=BATCH_SIZE)
        # Re-read ids by code: not every backend returns primary keys from bulk inserts.
        ids = dict(Candidate.objects.filter(is_simulated=True).values_list("code", "pk"))
        Candidate.objects.filter(is_simulated=True).update(updated_at=F("last_active_at"))
        applications = [
            self._new_application(ids[candidates[i].code], candidates[i].full_name, homes[i],
                                  spec, touch, at)
            for i, spec, touch, at in rows
        ]
        Application.objects.bulk_create([a for a, _, _ in applications], batch_size=BATCH_SIZE)
        app_ids = dict(Application.objects.filter(is_simulated=True).values_list("code", "pk"))
        roles_through = Application.job_roles.through
        councils_through = Application.council_areas.through
        roles_through.objects.bulk_create(
            [roles_through(application_id=app_ids[a.code], jobrole_id=role.pk)
             for a, roles, _ in applications for role in roles], batch_size=BATCH_SIZE)
        councils_through.objects.bulk_create(
            [councils_through(application_id=app_ids[a.code], organisation_id=council.pk)
             for a, _, councils in applications for council in councils], batch_size=BATCH_SIZE)
        self.figures.candidates = len(candidates)

    def _phone_numbers(self) -> Iterator[str]:
        for prefix in content.DRAMA_PHONE_PREFIXES:
            suffixes = list(range(1000))
            self.rng.shuffle(suffixes)
            for suffix in suffixes:
                yield f"{prefix}{suffix:03d}"
        raise RuntimeError("the demo ran out of Ofcom drama phone numbers")

    def _new_candidate(self, at: datetime.datetime, emails: set[str],
                       phones: Iterator[str]) -> tuple[Candidate, str]:
        """A new simulated person and the GSS code of the council they live in."""
        rng = self.rng
        first, last = rng.choice(content.FIRST_NAMES), rng.choice(content.LAST_NAMES)
        full_name = f"{first} {last}"
        f, la = (_email_part(first), _email_part(last))
        style = rng.randrange(4)
        local = (f"{f}.{la}", f"{f}{la}", f"{f[0]}.{la}", f"{f}.{la}{rng.randint(1, 99)}")[style]
        domain = rng.choice(content.EMAIL_DOMAINS)
        n = 1
        address = f"{local}@{domain}"
        while address in emails:
            n += 1
            address = f"{local}{n}@{domain}"
        emails.add(address)
        # About one in five people type their address with capitals; identity ignores case.
        typed = address if rng.random() < 0.8 else address.split("@")[0].title() + f"@{domain}"
        consent = rng.random() < TALENT_BANK_CONSENT_SHARE
        postcode, home = self._postcode()
        candidate = Candidate(
            full_name=full_name, name_folded=fold_name(full_name), email=typed,
            email_normalised=address, phone_e164=next(phones), postcode=postcode,
            talent_bank_consent=consent, talent_bank_consent_at=at if consent else None,
            created_at=at, last_active_at=at, is_simulated=True,
        )
        return candidate, home

    def _postcode(self) -> tuple[str, str]:
        """A well-formed West Midlands postcode and the GSS code of its council."""
        rng = self.rng
        area, districts, council, _ = rng.choices(
            content.POSTCODE_AREAS, weights=[a[3] for a in content.POSTCODE_AREAS]
        )[0]
        inward = f"{rng.randint(1, 9)}{rng.choice(content.INWARD_LETTERS)}{rng.choice(content.INWARD_LETTERS)}"
        return normalise_postcode(f"{area}{rng.choice(districts)} {inward}"), council

    def _new_application(self, candidate_id: int, full_name: str, home: str, spec: CampaignSpec,
                         touch: _Touch, at: datetime.datetime):
        """An unsaved Application with its job roles and council areas (saved by the caller)."""
        rng = self.rng
        codes = spec.job_role_codes
        chosen = rng.choices(codes, weights=spec.job_role_weights)
        if rng.random() < 0.25:
            chosen = list(dict.fromkeys(chosen + rng.choices(codes, weights=spec.job_role_weights)))
        roles = [self.job_roles[c] for c in chosen]
        # The applicant's own council first, sometimes a partner council they would also
        # travel to.
        councils = [self.councils[home]]
        if rng.random() < 0.35:
            other = self.councils[rng.choice(spec.partner_council_gss)]
            if other not in councils:
                councils.append(other)
        low, high = spec.experience_years
        years = 0 if spec.slug == "time-to-care" and rng.random() < 0.4 else rng.randint(low, high)
        swe = ""
        if 6 in chosen and spec.slug == "come-back-to-care" and rng.random() < 0.85:
            swe = f"SW{rng.randint(10000, 129999)}"
        today = at.astimezone(LONDON).date()
        if spec.slug == "step-up-now":
            earliest = datetime.date(2020, 8, 3) + datetime.timedelta(weeks=rng.randint(0, 9))
        else:
            earliest = today + datetime.timedelta(days=rng.randint(7, 70))
        hours = rng.choices(
            [HoursWanted.FULL_TIME, HoursWanted.PART_TIME, HoursWanted.FLEXIBLE],
            weights={"come-back-to-care": (40, 40, 20), "step-up-now": (85, 10, 5)}.get(
                spec.slug, (45, 35, 20)),
        )[0]
        right_to_work = rng.choices(
            [RightToWork.YES, RightToWork.NOT_SURE, RightToWork.NO], weights=(94, 4, 2)
        )[0]
        link = touch.link
        application = Application(
            candidate_id=candidate_id, campaign=touch.campaign, submitted_at=at,
            full_name_given=full_name,
            years_experience=years, current_role=rng.choice(spec.current_roles),
            swe_registration=swe, earliest_start=earliest, hours_wanted=hours,
            right_to_work=right_to_work, link=link, channel=touch.channel,
            utm_source=link.utm_source if link else "", utm_medium=link.utm_medium if link else "",
            utm_campaign=link.utm_campaign if link else "",
            utm_content=link.utm_content if link else "", utm_term=link.utm_term if link else "",
            referrer_host=touch.referrer_host, click_id=touch.click_id, is_simulated=True,
        )
        return application, roles, councils


@functools.cache
def _demo_password_hash() -> str:
    # One hash for every login and every reload in this process: hashing is slow on
    # purpose, and the demo accounts share one published password anyway.
    return make_password(content.DEMO_PASSWORD)


def _email_part(name: str) -> str:
    """``"Ní Bhriain"`` → ``"nibhriain"``: the folded name with only a–z and digits kept."""
    return "".join(ch for ch in fold_name(name) if ch.isascii() and ch.isalnum())
