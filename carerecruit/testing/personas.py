"""Named personas shared by every test: one staff user per role and organisation kind.

Each persona is created on the councils and regional body that migrations load, so tests
run against the real West Midlands reference data. Passwords are all PASSWORD.
"""

from __future__ import annotations

from dataclasses import dataclass

from carerecruit.organisations.models import Organisation, User
from carerecruit.reference.models import Region

PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105 (test fixture)


@dataclass
class Personas:
    regional_admin: User
    campaign_manager: User
    council_a_recruiter: User  # Birmingham
    council_b_recruiter: User  # Coventry
    provider_recruiter: User
    viewer: User
    regional_body: Organisation
    council_a: Organisation
    council_b: Organisation
    provider: Organisation


def make_user(username: str, organisation: Organisation | None, role: str, **extra) -> User:
    """Create an active staff user with the shared test password."""
    user = User(
        username=username, email=f"{username}@example.org", organisation=organisation,
        role=role, first_name=username.replace("_", " ").title(), **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def make_personas() -> Personas:
    """Create the named personas (see module docstring) and return them."""
    region = Region.objects.get(gss_code="E12000005")
    regional_body = Organisation.objects.get(kind=Organisation.Kind.REGIONAL_BODY, region=region)
    council_a = Organisation.objects.get(gss_code="E08000025")  # Birmingham
    council_b = Organisation.objects.get(gss_code="E08000026")  # Coventry
    provider = Organisation.objects.create(
        region=region, kind=Organisation.Kind.PROVIDER, name="Example Home Care Ltd",
        short_name="Example Home Care", slug="example-home-care",
    )
    return Personas(
        regional_admin=make_user("regional_admin", regional_body, User.Role.ADMIN),
        campaign_manager=make_user("campaign_manager", regional_body, User.Role.CAMPAIGN_MANAGER),
        council_a_recruiter=make_user("birmingham_recruiter", council_a, User.Role.RECRUITER),
        council_b_recruiter=make_user("coventry_recruiter", council_b, User.Role.RECRUITER),
        provider_recruiter=make_user("provider_recruiter", provider, User.Role.RECRUITER),
        viewer=make_user("regional_viewer", regional_body, User.Role.VIEWER),
        regional_body=regional_body,
        council_a=council_a,
        council_b=council_b,
        provider=provider,
    )
