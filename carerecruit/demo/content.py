"""What the demo region is made of: campaigns and their microsite copy, tracked links,
invented care providers, staff logins, and the word lists simulated candidates are
drawn from.

Everything here is plain data; :mod:`carerecruit.demo.simulation` turns it into rows.
Facts in the copy come from ``reference/domain.md``: Social Work England restoration
(4.2), DBS levels (4.1), pre-employment checks (4.4). The National Living Wage figure
is the April 2020 rate for people aged 25 and over (£8.72 an hour).

Personal data is invented and unreachable on purpose: e-mail addresses only on the
``example.org/.com/.net`` domains reserved by RFC 2606, and phone numbers only in
Ofcom's ranges reserved for drama ("Telephone numbers for drama purposes").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# One password for every demo login. Printed by `carerecruit demo`; for a local demo only.
DEMO_PASSWORD = "demo-password-2020"  # noqa: S105 (published demo credential)

# Fixed seed: the demo is the same on every machine and every run.
DEMO_SEED = 2020

# Region and organisations the demo hangs off (reference data loaded by migration).
REGION_GSS_CODE = "E12000005"  # ONS GSS code, West Midlands


@dataclass(frozen=True)
class LinkSpec:
    """One tracked link: where it was posted and how its clicks are spread over time.

    ``clicks`` is the expected number of human clicks at scale 1 over the five weeks.
    ``pattern`` names a time shape in :mod:`carerecruit.demo.simulation`:
    ``launch`` (peak on launch day, decaying), ``spike`` (peaks on ``days``, e.g. an
    e-mail send or a press article), ``steady`` (a paid ad on a daily budget) or
    ``poster`` (printed QR codes, from a few days in).
    """

    channel: str
    label: str
    utm_source: str
    utm_medium: str
    utm_content: str
    clicks: int
    pattern: str = "launch"
    days: tuple[int, ...] = ()


@dataclass(frozen=True)
class CampaignSpec:
    """A campaign and its microsite copy. Dates are Europe/London local dates."""

    slug: str
    name: str
    hashtag: str
    audience: str
    starts_on: datetime.date
    ends_on: datetime.date
    job_role_codes: tuple[int, ...]  # ASC-WDS main job role codes
    # Relative weights for the job roles simulated applicants choose.
    job_role_weights: tuple[int, ...]
    partner_council_gss: tuple[str, ...]
    partner_providers: tuple[str, ...]  # provider slugs from PROVIDERS
    headline: str
    introduction: str
    why_join: tuple[str, ...]
    faqs: tuple[tuple[str, str], ...]
    contact_email: str
    contact_phone: str
    brand_colour: str
    links: tuple[LinkSpec, ...]
    # Visits with no tracked link (typed address, search results), at scale 1.
    direct_visits: int
    # Years of experience simulated applicants report: (low, high) inclusive.
    experience_years: tuple[int, int]
    current_roles: tuple[str, ...]
    created_on: datetime.date = field(default=datetime.date(2020, 4, 6))


@dataclass(frozen=True)
class ProviderSpec:
    """An invented independent care provider (shown as simulated)."""

    slug: str
    name: str
    short_name: str
    home_council_gss: str


@dataclass(frozen=True)
class StaffSpec:
    """A demo staff login. ``organisation`` is ``"regional"``, a council GSS code or a
    provider slug."""

    username: str
    first_name: str
    last_name: str
    organisation: str
    role: str  # organisations.User.Role value
    description: str


# --- Councils -------------------------------------------------------------------------
BIRMINGHAM = "E08000025"
COVENTRY = "E08000026"
DUDLEY = "E08000027"
HEREFORDSHIRE = "E06000019"
SANDWELL = "E08000028"
SHROPSHIRE = "E06000051"
SOLIHULL = "E08000029"
STAFFORDSHIRE = "E10000028"
STOKE = "E06000021"
TELFORD = "E06000020"
WALSALL = "E08000030"
WARWICKSHIRE = "E10000031"
WOLVERHAMPTON = "E08000031"
WORCESTERSHIRE = "E10000034"

# --- Providers ------------------------------------------------------------------------
PROVIDERS = (
    ProviderSpec("kingfisher-lane-care", "Kingfisher Lane Care Ltd", "Kingfisher Lane Care",
                 BIRMINGHAM),
    ProviderSpec("brindley-homecare", "Brindley Homecare Ltd", "Brindley Homecare", SANDWELL),
    ProviderSpec("severnside-support", "Severnside Support Services CIC",
                 "Severnside Support", WORCESTERSHIRE),
    ProviderSpec("potteries-community-care", "Potteries Community Care Ltd",
                 "Potteries Community Care", STOKE),
    ProviderSpec("wrekin-view-nursing", "Wrekin View Nursing Homes Ltd", "Wrekin View Nursing",
                 TELFORD),
)

# --- Staff ----------------------------------------------------------------------------
STAFF = (
    StaffSpec("regional.admin", "Amina", "Hussain", "regional", "admin",
              "Regional admin, WM Regional Employers"),
    StaffSpec("campaign.manager", "Tom", "Griffiths", "regional", "campaign_manager",
              "Campaign manager, WM Regional Employers"),
    StaffSpec("birmingham.recruiter", "Grace", "Okafor", BIRMINGHAM, "recruiter",
              "Recruiter, Birmingham City Council"),
    StaffSpec("coventry.recruiter", "Rhys", "Davies", COVENTRY, "recruiter",
              "Recruiter, Coventry City Council"),
    StaffSpec("provider.recruiter", "Joanna", "Nowak", "kingfisher-lane-care", "recruiter",
              "Recruiter, Kingfisher Lane Care (simulated provider)"),
    StaffSpec("regional.viewer", "Michael", "Chen", "regional", "viewer",
              "Viewer (read only), WM Regional Employers"),
)


# --- Campaigns ------------------------------------------------------------------------
COME_BACK_TO_CARE = CampaignSpec(
    slug="come-back-to-care",
    name="Come Back to Care",
    hashtag="#ComeBackToCare",
    audience="Former social workers, occupational therapists and related professionals",
    starts_on=datetime.date(2020, 4, 20),
    ends_on=datetime.date(2020, 5, 24),
    job_role_codes=(6, 15, 17, 35, 39),
    job_role_weights=(60, 14, 6, 10, 10),
    partner_council_gss=(BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL, WALSALL, WOLVERHAMPTON,
                         STAFFORDSHIRE),
    partner_providers=(),
    headline="Come back to social work in the West Midlands",
    introduction=(
        "Councils across the West Midlands need experienced social workers, occupational "
        "therapists and other professionals to help adults and their families through a "
        "hard time. If you have stepped away from the profession, we will help you come "
        "back: with hours that fit your life, support to return to the Social Work England "
        "register, and a team that will be glad to have you."
    ),
    why_join=(
        "Your experience counts. We value what you learnt before you left and everything "
        "you have done since.",
        "Help to get back on the register, including planning the skills and knowledge "
        "update that Social Work England asks of returners.",
        "Full-time, part-time and job-share roles, so work fits around the rest of your life.",
        "A named mentor and regular supervision from an experienced social worker.",
        "Pay on the council's social worker grade, with a pension and paid leave.",
        "Work close to home, in one of the region's councils.",
    ),
    faqs=(
        ("I left social work some years ago. Can I come back?",
         "Yes. What you need to do depends on how long you have been away. If you left the "
         "Social Work England register less than 2 years ago, you can usually apply to "
         "restore your registration straight away. If you left 2 to 5 years ago, you need "
         "30 days of updating your skills and knowledge first; more than 5 years ago, 60 "
         "days. A day means at least 6 hours, all the days must fall in the 12 months "
         "before you apply, and up to half can be private study. We will help you plan it."),
        ("What do I need to restore my registration?",
         "Your previous Social Work England or HCPC registration number if you have it, the "
         "name and postcode you were registered under, and your date of birth. Social Work "
         "England decides every application; we help you get ready for it and can arrange "
         "supervised practice with an experienced social worker."),
        ("I am an occupational therapist. Can I apply?",
         "Yes. Councils also need occupational therapists, assessment officers and "
         "safeguarding and reviewing officers. Occupational therapists are registered with "
         "the Health and Care Professions Council (HCPC), not Social Work England."),
        ("Will I need a DBS check?",
         "Yes. Social workers who work with adults need an enhanced DBS check with a check "
         "of the adults' barred list. Your employer applies for it and pays the fee. If you "
         "subscribe to the DBS Update Service at the same level, your employer can check "
         "your certificate online with your permission."),
        ("What are the pay and hours?",
         "Each council sets its own pay, usually on its social worker grade, and you will "
         "see the salary before you accept an offer. Full-time, part-time, job-share and "
         "bank hours are all possible: tell us what you want on the form."),
        ("How can I get in touch?",
         "Email comebacktocare@example.org or call 0121 496 0000, Monday to Friday, 9am "
         "to 5pm. After you apply, a recruiter from the council you chose will contact you."),
    ),
    contact_email="comebacktocare@example.org",
    contact_phone="0121 496 0000",
    brand_colour="#1d3a5f",
    links=(
        LinkSpec("facebook", "Launch video", "facebook", "social", "launch-video", 700),
        LinkSpec("facebook", "Returner story: Jas, back after 6 years", "facebook", "social",
                 "returner-story-jas", 350, "spike", (9,)),
        LinkSpec("linkedin", "Launch post", "linkedin", "social", "launch-post", 520),
        LinkSpec("linkedin", "Sponsored post: return to social work", "linkedin", "paid_social",
                 "sponsored-return", 420, "steady"),
        LinkSpec("x", "Launch thread", "x", "social", "launch-thread", 230),
        LinkSpec("email", "Former staff newsletter", "newsletter", "email",
                 "former-staff-newsletter", 330, "spike", (0, 14)),
        LinkSpec("google_ads", "Search ad: return to social work", "google", "cpc",
                 "search-return-to-social-work", 260, "steady"),
        LinkSpec("press", "Regional newspaper feature", "newspaper", "referral",
                 "newspaper-feature", 150, "spike", (3,)),
        LinkSpec("qr", "Library and GP surgery posters", "poster", "print",
                 "library-poster", 60, "poster"),
    ),
    direct_visits=260,
    experience_years=(2, 28),
    current_roles=(
        "Social worker (left 2017)", "Senior social worker, adults' team", "Retired social worker",
        "Occupational therapist", "Approved mental health professional", "Practice educator",
        "Hospital discharge social worker", "Care home manager", "Independent best interests assessor",
        "Social worker, now a teaching assistant", "Career break to raise a family",
        "Reviewing officer",
    ),
)

STEP_UP_NOW = CampaignSpec(
    slug="step-up-now",
    name="Step Up Now",
    hashtag="#StepUpNow",
    audience="Final-year social work students",
    starts_on=datetime.date(2020, 4, 27),
    ends_on=datetime.date(2020, 5, 31),
    job_role_codes=(6, 39, 9),
    job_role_weights=(80, 12, 8),
    partner_council_gss=(BIRMINGHAM, COVENTRY, SOLIHULL, WARWICKSHIRE, STOKE, SHROPSHIRE),
    partner_providers=(),
    headline="Start your social work career in the West Midlands",
    introduction=(
        "You are nearly qualified. Councils across the West Midlands want to meet final-year "
        "social work students now, so you can start as a newly qualified social worker as "
        "soon as you join the register, with a supported first year and a team behind you."
    ),
    why_join=(
        "A supported first year: the Assessed and Supported Year in Employment (ASYE), with "
        "protected learning time and regular supervision.",
        "An offer before you graduate, starting once you join the Social Work England register.",
        "Work in adults' services in cities, market towns and the countryside.",
        "Room to grow into specialist, senior and approved mental health professional roles.",
        "Your DBS check paid for by your employer.",
    ),
    faqs=(
        ("I have not finished my course yet. Can I apply?",
         "Yes. This campaign is for students in the final year of a social work degree or "
         "master's course approved by Social Work England. Offers depend on you passing your "
         "course and joining the register."),
        ("When can I start work as a social worker?",
         "Once your award is confirmed you apply to join the Social Work England register. "
         "\"Social worker\" is a protected title, so you can practise once you are "
         "registered. Until then, some councils can offer you another role, such as "
         "assessment officer."),
        ("What is the ASYE?",
         "The Assessed and Supported Year in Employment is a 12-month programme for newly "
         "qualified social workers, run by your employer. You have a protected caseload, "
         "regular supervision and time for learning, and you are assessed at the end of "
         "the year."),
        ("Will I need a DBS check?",
         "Yes: an enhanced DBS check with a check of the adults' barred list, paid for by "
         "your employer. If you had one for a placement and subscribe to the DBS Update "
         "Service, tell your employer: they may be able to check it online with your "
         "permission."),
        ("What are the pay and hours?",
         "Newly qualified social workers are paid on each council's social worker grade, and "
         "you will see the salary before you accept an offer. Most ASYE posts are full time; "
         "some councils offer part-time posts."),
        ("How can I get in touch?",
         "Email stepupnow@example.org or call 0121 496 0001, Monday to Friday, 9am to 5pm."),
    ),
    contact_email="stepupnow@example.org",
    contact_phone="0121 496 0001",
    brand_colour="#5c2751",
    links=(
        LinkSpec("instagram", "Launch reel", "instagram", "social", "launch-reel", 600),
        LinkSpec("instagram", "Student takeover stories", "instagram", "social",
                 "student-takeover", 300, "spike", (7, 21)),
        LinkSpec("tiktok", "A day in the life of a newly qualified social worker", "tiktok",
                 "social", "day-in-the-life", 350, "spike", (2,)),
        LinkSpec("facebook", "Launch post", "facebook", "social", "launch-post", 280),
        LinkSpec("linkedin", "Launch post", "linkedin", "social", "launch-post", 220),
        LinkSpec("x", "Launch thread", "x", "social", "launch-thread", 150),
        LinkSpec("email", "University course mailing", "university", "email",
                 "course-mailing", 320, "spike", (0, 10, 24)),
        LinkSpec("qr", "Campus posters", "poster", "print", "campus-poster", 110, "poster"),
    ),
    direct_visits=190,
    experience_years=(0, 2),
    current_roles=(
        "Final-year BA Social Work student", "Final-year MA Social Work student",
        "Social work student on placement", "Step Up to Social Work trainee",
        "Student, part-time care worker", "Student, support worker at weekends",
    ),
)

TIME_TO_CARE = CampaignSpec(
    slug="time-to-care",
    name="Time to Care",
    hashtag="#TimeToCare",
    audience="Care workers, support workers and nurses for independent care providers",
    starts_on=datetime.date(2020, 5, 4),
    ends_on=datetime.date(2020, 6, 7),
    job_role_codes=(8, 7, 52, 16, 37, 34, 45),
    job_role_weights=(48, 12, 20, 6, 4, 5, 5),
    partner_council_gss=(BIRMINGHAM, COVENTRY, TELFORD, HEREFORDSHIRE, WORCESTERSHIRE),
    partner_providers=tuple(p.slug for p in PROVIDERS),
    headline="Care is a job that matters. Now is the time to care.",
    introduction=(
        "Care homes, home care services and supported living providers across the West "
        "Midlands are looking for people who are kind, reliable and want to make a "
        "difference. You do not need experience: you are paid while you train. If you have "
        "worked in care before, your skills are needed now."
    ),
    why_join=(
        "No experience needed: paid training, including the Care Certificate.",
        "Flexible shifts: days, nights, weekends, part time or full time.",
        "Work close to home, with employers in every part of the region.",
        "A career that grows with you, from care worker to senior care worker, team leader "
        "and registered manager.",
        "Your DBS check paid for by your employer.",
        "Work that matters: help people live the lives they choose.",
    ),
    faqs=(
        ("Do I need experience or qualifications?",
         "No. Many of our employers welcome people who are new to care. You will be paid "
         "while you train, including the Care Certificate, before you work on your own. If "
         "you are a registered nurse or have worked in care, tell us on the form."),
        ("What are the pay and hours?",
         "Each provider sets its own pay, and every role pays at least the National Living "
         "Wage (£8.72 an hour from April 2020 if you are 25 or over). Many pay more for "
         "nights, weekends and experience. You can work full time, part time or bank shifts."),
        ("Will I need a DBS check?",
         "Yes. Care work is regulated activity with adults, so you need an enhanced DBS "
         "check with a check of the adults' barred list. Your employer applies and pays the "
         "fee. A DBS Adult First check can let you start work under supervision while the "
         "full check is done."),
        ("What other checks will I need?",
         "Proof of identity, your right to work in the UK, references from previous "
         "employers and an explanation of any gaps in your work history. Registered nurses "
         "also need a live Nursing and Midwifery Council (NMC) registration."),
        ("Do I need to drive?",
         "Not for work in a care home. For home care, a driving licence and a car help, as "
         "you travel between people's homes; many providers pay mileage and travel time."),
        ("How can I get in touch?",
         "Email timetocare@example.org or call 0121 496 0002, Monday to Friday, 9am to 5pm. "
         "After you apply, a provider near you will contact you."),
    ),
    contact_email="timetocare@example.org",
    contact_phone="0121 496 0002",
    brand_colour="#0b5345",
    links=(
        LinkSpec("facebook", "Launch video", "facebook", "social", "launch-video", 1200),
        LinkSpec("facebook", "Carer story: Marcia, 12 years in home care", "facebook", "social",
                 "carer-story-marcia", 700, "spike", (6, 20)),
        LinkSpec("facebook", "Local ads: Birmingham and the Black Country", "facebook",
                 "paid_social", "local-ads-black-country", 600, "steady"),
        LinkSpec("instagram", "Launch reel", "instagram", "social", "launch-reel", 450),
        LinkSpec("tiktok", "A shift in 60 seconds", "tiktok", "social", "shift-in-60-seconds",
                 300, "spike", (4,)),
        LinkSpec("x", "Launch thread", "x", "social", "launch-thread", 180),
        LinkSpec("email", "Jobcentre partner bulletin", "jobcentre", "email",
                 "jobcentre-bulletin", 350, "spike", (1, 15)),
        LinkSpec("google_ads", "Search ad: care jobs near me", "google", "cpc",
                 "search-care-jobs-near-me", 600, "steady"),
        LinkSpec("press", "Local radio interview", "radio", "referral", "radio-interview", 120,
                 "spike", (8,)),
        LinkSpec("qr", "Bus shelter posters", "poster", "print", "bus-shelter-poster", 150,
                 "poster"),
    ),
    direct_visits=420,
    experience_years=(0, 15),
    current_roles=(
        "Care worker", "Senior care worker", "Healthcare assistant, NHS", "Retail assistant",
        "Hospitality (furloughed)", "Parent returning to work", "Student", "Support worker",
        "Registered nurse", "Kitchen assistant in a care home", "Delivery driver",
        "Unpaid carer for a family member", "Teaching assistant", "Cleaner",
    ),
)

CAMPAIGNS = (COME_BACK_TO_CARE, STEP_UP_NOW, TIME_TO_CARE)

# --- The live campaign ----------------------------------------------------------------
# The three campaigns above replay spring 2020, so they have ended and take no
# applications. The demo also makes one campaign that is live on the day it is loaded,
# with no simulated history: a newcomer can apply, open its tracked links and watch
# their own clicks and applications (and nothing else) arrive on its dashboard.
LIVE_CAMPAIGN_SLUG = "care-jobs-now-demo"
LIVE_CAMPAIGN_NAME = "Care Jobs Now (demo, live)"
# Its dates, in days from the local (Europe/London) date it is loaded on.
LIVE_STARTED_DAYS_AGO = 7
LIVE_ENDS_DAYS_AFTER = 60
# Its own random stream, only for its link codes: the same codes on every machine and
# every load, whatever else the demo holds, and the spring-2020 figures are unchanged.
LIVE_LINK_SEED = 2026
# The link printed by `carerecruit demo` and shown in the README.
LIVE_EXAMPLE_CHANNEL = "facebook"


def live_campaign(today: datetime.date) -> CampaignSpec:
    """The live demo campaign for a load on local date ``today``: started
    :data:`LIVE_STARTED_DAYS_AGO` days before it, ends :data:`LIVE_ENDS_DAYS_AFTER` days
    after it (both Europe/London local dates). Its links have no clicks and it has no
    direct visits: nothing is simulated for it."""
    starts_on = today - datetime.timedelta(days=LIVE_STARTED_DAYS_AGO)
    return CampaignSpec(
        slug=LIVE_CAMPAIGN_SLUG,
        name=LIVE_CAMPAIGN_NAME,
        hashtag="#CareJobsNow",
        audience="Anyone trying the demo: care and support workers for councils and providers",
        starts_on=starts_on,
        ends_on=today + datetime.timedelta(days=LIVE_ENDS_DAYS_AFTER),
        job_role_codes=(8, 7, 52, 34),
        job_role_weights=(1, 1, 1, 1),  # unused: no simulated applicants
        # The councils and provider of the demo's recruiter logins, so each of them sees
        # the applications a newcomer sends.
        partner_council_gss=(BIRMINGHAM, COVENTRY, SANDWELL, WOLVERHAMPTON),
        partner_providers=("kingfisher-lane-care", "brindley-homecare"),
        headline="Care jobs near you: apply today (demo)",
        introduction=(
            "This is the demo's live campaign, made when the demo was loaded so that you can "
            "try the application form, the tracked links and the live dashboard. Nothing "
            "about it is simulated: every click, visit and application its dashboard shows "
            "is one you made. Care homes, home care services and councils across the West "
            "Midlands are looking for kind, reliable people; you do not need experience, "
            "as you are paid while you train."
        ),
        why_join=(
            "No experience needed: paid training, including the Care Certificate.",
            "Flexible shifts: days, nights, weekends, part time or full time.",
            "Work close to home, with employers in every part of the region.",
            "Your DBS check paid for by your employer.",
        ),
        faqs=(
            ("Is this a real job advert?",
             "No. This campaign belongs to the carerecruit demo. Applications sent here stay "
             "in this copy of the demo and reach only its demo staff logins."),
            ("Do I need experience or qualifications?",
             "No. Many employers welcome people who are new to care. You are paid while you "
             "train, including the Care Certificate, before you work on your own."),
            ("What are the pay and hours?",
             "Each employer sets its own pay, and every role pays at least the National "
             "Living Wage. You can work full time, part time or bank shifts."),
            ("Will I need a DBS check?",
             "Yes. Care work is regulated activity with adults, so you need an enhanced DBS "
             "check with a check of the adults' barred list. Your employer applies and pays "
             "the fee."),
            ("How can I get in touch?",
             "Email carejobsnow@example.org or call 0121 496 0003, Monday to Friday, 9am to "
             "5pm."),
        ),
        contact_email="carejobsnow@example.org",
        contact_phone="0121 496 0003",
        brand_colour="#1d4f91",
        links=(
            LinkSpec("facebook", "Launch post", "facebook", "social", "launch-post", 0),
            LinkSpec("linkedin", "Launch post", "linkedin", "social", "launch-post", 0),
            LinkSpec("email", "Partner newsletter", "newsletter", "email", "partner-newsletter", 0),
            LinkSpec("qr", "Printed posters", "poster", "print", "poster", 0),
        ),
        direct_visits=0,
        experience_years=(0, 15),
        current_roles=("Care worker",),
        created_on=starts_on - datetime.timedelta(days=1),
    )


# --- Conversions ----------------------------------------------------------------------
# Per channel: (click → visit, visit → form start, form start → application). Clicks lose
# people on slow networks and in in-app browsers; e-mail and LinkedIn audiences arrive
# knowing what they want, short-video audiences mostly browse.
CONVERSION = {
    "facebook": (0.68, 0.23, 0.28),
    "instagram": (0.62, 0.20, 0.24),
    "linkedin": (0.79, 0.31, 0.37),
    "x": (0.58, 0.17, 0.21),
    "tiktok": (0.55, 0.15, 0.18),
    "email": (0.82, 0.33, 0.39),
    "google_ads": (0.74, 0.26, 0.30),
    "press": (0.76, 0.27, 0.31),
    "qr": (0.86, 0.29, 0.32),
    "direct": (1.0, 0.28, 0.33),
}

# Where a visit from each channel says it came from (the Referer header's host).
REFERRER_HOSTS = {
    "facebook": ("l.facebook.com", "m.facebook.com", "lm.facebook.com"),
    "instagram": ("l.instagram.com",),
    "linkedin": ("www.linkedin.com",),
    "x": ("t.co",),
    "tiktok": ("www.tiktok.com",),
    "email": ("",),
    "google_ads": ("www.google.com", "www.google.co.uk"),
    "press": ("",),
    "qr": ("",),
    "direct": ("", "", "", "www.google.com", "www.google.co.uk", "www.bing.com",
               "duckduckgo.com"),
}

# Link-preview crawlers that fetch a link when it is posted or shared (flagged, not counted).
BOT_USER_AGENTS = {
    "facebook": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "instagram": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "linkedin": "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "x": "Twitterbot/1.0",
    "tiktok": "Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)",
    "email": "Mozilla/5.0 (compatible; Barracuda Sentinel (EE))",
    "google_ads": "AdsBot-Google (+http://www.google.com/adsbot.html)",
    "press": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "qr": "WhatsApp/2.20.108 A",
}
# Share of extra, bot-made clicks on top of each link's human clicks.
BOT_SHARE = 0.04

# --- People ---------------------------------------------------------------------------
# Diverse first and last names as they are spelt, accents and apostrophes included.
FIRST_NAMES = (
    "Aaliyah", "Abdul", "Adaeze", "Agnieszka", "Aisha", "Alex", "Amara", "Amir", "Andrew",
    "Aoife", "Asha", "Bartosz", "Bethan", "Bogdan", "Callum", "Charlotte", "Chidi", "Chloé",
    "Ciarán", "Dafydd", "Daniel", "Darren", "Deborah", "Declan", "Ebony", "Eilidh", "Eleni",
    "Emily", "Esther", "Faisal", "Fatima", "Femi", "Gareth", "Gemma", "Grace", "Gurpreet",
    "Hamza", "Hannah", "Harjit", "Ibrahim", "Imogen", "Ioana", "Isaac", "Jack", "Jade",
    "Jagdeep", "Jamal", "Jasmin", "Jennifer", "Joanne", "José", "Kamala", "Karen", "Kelly",
    "Kemi", "Kerry-Ann", "Kofi", "Lakshmi", "Leanne", "Liam", "Lucy", "Maciej", "Marcia",
    "Marie-Claire", "Mei", "Mohammed", "Nadia", "Naomi", "Ngozi", "Niamh", "Noor", "Oliver",
    "Olivia", "Oluwaseun", "Paul", "Precious", "Priya", "Rachel", "Rajesh", "Renée", "Rhiannon",
    "Ryan", "Samina", "Sandeep", "Sarah", "Seán", "Shanice", "Siobhán", "Simone", "Sophie",
    "Stacey", "Tariq", "Thomas", "Tomasz", "Tyrone", "Valentina", "Wojciech", "Yasmin",
    "Yusuf", "Zainab", "Zoë",
)
LAST_NAMES = (
    "Adeyemi", "Ahmed", "Akhtar", "Ali", "Anderson", "Ashworth-Jones", "Bajwa", "Baker",
    "Begum", "Bennett", "Brown", "Campbell", "Chen", "Clarke", "Cooper", "D'Arcy", "D'Souza",
    "Davies", "Dhillon", "Edwards", "Evans", "Fernández", "Gill", "Green", "Griffiths",
    "Hall", "Hill", "Hughes", "Hussain", "Iqbal", "Jackson", "James", "Johnson", "Jones",
    "Kaur", "Khan", "Kowalski", "Lewis", "MacDonald", "Mahmood", "Mensah", "Mistry", "Morgan",
    "Murphy", "Ní Bhriain", "Nguyen", "Novák", "Nowak", "O'Brien", "O'Connor", "O'Neill",
    "Okafor", "Okonkwo", "Owusu", "Patel", "Popescu", "Price", "Rahman", "Roberts",
    "Robinson", "Sandhu", "Sharma", "Shah", "Singh", "Smith", "Taylor", "Thomas", "Turner",
    "Walsh", "Ward", "Williams", "Wilson", "Wiśniewska", "Wood", "Wright", "Zielińska",
)
EMAIL_DOMAINS = ("example.org", "example.com", "example.net")  # RFC 2606 reserved

# Ofcom drama numbers in E.164: each prefix is followed by three digits 000–999. The
# mobile block (07700 900000–900999) comes first; the geographic blocks (0121 496 0xxx,
# 020 7946 0xxx, 0113 496 0xxx, 0161 496 0xxx) are used only if a very large demo needs
# more than 1,000 candidates, as a candidate's phone is unique.
# Ofcom drama ranges. The mobile range 07700 900xxx comes last: it is what people type
# when they try the form by hand, and a demo candidate holding that number would make
# their test application join that simulated person.
DRAMA_PHONE_PREFIXES = ("+441214960", "+442079460", "+441134960", "+441614960", "+447700900")

# Postcode areas of the West Midlands: (area, postcode districts, council GSS code,
# weight). Districts are real outward codes; the council is the one that mostly covers
# them, which is what the simulated applicant picks as their area.
POSTCODE_AREAS = (
    ("B", (*range(1, 36), 38, 42, 44, 45), BIRMINGHAM, 30),
    ("B", (64, 65, 66, 67, 68, 69, 70, 71), SANDWELL, 8),
    ("B", (90, 91, 92, 93, 94), SOLIHULL, 5),
    ("CV", (1, 2, 3, 4, 5, 6), COVENTRY, 9),
    ("CV", (10, 11, 12, 21, 22, 31, 32, 34, 35, 37), WARWICKSHIRE, 7),
    ("DY", (1, 2, 3, 5, 6, 8, 9), DUDLEY, 7),
    ("WS", (1, 2, 3, 4, 5, 8, 9), WALSALL, 6),
    ("WS", (6, 7, 11, 12, 13, 14, 15), STAFFORDSHIRE, 4),
    ("WV", (1, 2, 3, 4, 6, 10, 11, 14), WOLVERHAMPTON, 6),
    ("ST", (1, 2, 3, 4, 6), STOKE, 6),
    ("ST", (5, 10, 13, 14, 15, 16, 17, 18, 19), STAFFORDSHIRE, 6),
    ("WR", (1, 2, 3, 4, 5, 9, 10, 11, 14), WORCESTERSHIRE, 6),
    ("HR", (1, 2, 4, 6, 8, 9), HEREFORDSHIRE, 2),
    ("TF", (1, 2, 3, 4, 7, 10), TELFORD, 3),
    ("SY", (1, 2, 3, 4, 5, 8, 11, 13), SHROPSHIRE, 3),
)
# Letters that may end an inward code (Royal Mail never uses C, I, K, M, O or V there).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
