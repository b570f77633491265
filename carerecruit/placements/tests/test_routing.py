"""Routing on submission: to the councils chosen, else by postcode (ONSPD, else the
district table); each routed council gets its own route; existing applications can be
routed later."""

from io import StringIO

import pytest
from django.core.management import call_command

from carerecruit.candidates.models import Application
from carerecruit.placements.actions import (
    route_application,
    route_to_organisation,
    route_unrouted_applications,
)
from carerecruit.placements.models import ApplicationRoute, StageChange
from carerecruit.placements.postcodes import DATA_DIR, import_onspd
from carerecruit.placements.tests.helpers import BIRMINGHAM, COVENTRY, STAFFORDSHIRE, apply, council

pytestmark = pytest.mark.django_db


def routes(application):
    return sorted(
        (r.organisation.gss_code, r.reason, r.stage)
        for r in ApplicationRoute.objects.filter(application=application).select_related("organisation")
    )


def test_routed_to_every_council_chosen_each_with_its_own_pipeline(campaign):
    application = apply(campaign, postcode="WS13 6YY", councils=(BIRMINGHAM, COVENTRY))
    assert routes(application) == [
        (BIRMINGHAM, "chosen", "new"),
        (COVENTRY, "chosen", "new"),
    ]
    route = ApplicationRoute.objects.get(application=application, organisation__gss_code=COVENTRY)
    assert route.stage_entered_at == application.submitted_at == route.routed_at
    history = list(StageChange.objects.filter(route=route).values_list("from_stage", "to_stage", "changed_by", "reason"))
    assert history == [("", "new", None, "The candidate chose this council's area")]


def test_with_no_council_chosen_a_lichfield_postcode_goes_to_staffordshire_via_onspd(campaign):
    import_onspd(DATA_DIR / "onspd_sample.csv", regions={"E12000005"})
    application = apply(campaign, postcode="WS13 6YY", councils=())
    assert routes(application) == [(STAFFORDSHIRE, "postcode", "new")]


def test_without_onspd_the_postcode_district_decides(campaign):
    application = apply(campaign, postcode="CV1 2AB", councils=())
    assert routes(application) == [(COVENTRY, "district", "new")]


def test_an_unknown_postcode_stays_unrouted(campaign):
    application = apply(campaign, postcode="SW1A 2AA", councils=())
    assert routes(application) == []


def test_routing_again_adds_nothing(campaign):
    application = apply(campaign, councils=(BIRMINGHAM,))
    assert route_application(application) == []
    assert ApplicationRoute.objects.filter(application=application).count() == 1
    assert StageChange.objects.filter(route__application=application).count() == 1


def test_route_to_organisation_is_the_vacancy_hook(campaign, personas):
    application = apply(campaign, councils=(BIRMINGHAM,))
    route = route_to_organisation(application, personas.provider, reason="vacancy")
    assert route_to_organisation(application, personas.provider, reason="vacancy") == route
    assert routes(application) == [("", "vacancy", "new"), (BIRMINGHAM, "chosen", "new")]


def test_existing_applications_are_routed_by_the_command(campaign):
    # Applications made before routing existed (or loaded by the demo) have no routes.
    chosen = apply(campaign, councils=(COVENTRY,))
    by_district = apply(campaign, postcode="ST16 2DH", councils=())
    unknown = apply(campaign, postcode="SW1A 2AA", councils=())
    ApplicationRoute.objects.all().delete()

    out = StringIO()
    call_command("route-applications", stdout=out)
    assert out.getvalue().splitlines() == [
        "Routed 2 applications (2 routes).",
        "1 still unrouted: no council chosen and the postcode is unknown. Import the ONS "
        "Postcode Directory (carerecruit import-onspd FILE) and run this again.",
    ]
    assert routes(chosen) == [(COVENTRY, "chosen", "new")]
    assert routes(by_district) == [(STAFFORDSHIRE, "district", "new")]
    assert routes(unknown) == []
    assert route_unrouted_applications(Application.objects.filter(pk=unknown.pk)) == (0, 0)


def test_an_inactive_council_is_not_routed_to_by_postcode(campaign):
    coventry = council(COVENTRY)
    coventry.is_active = False
    coventry.save()
    application = apply(campaign, postcode="CV1 2AB", councils=())
    assert routes(application) == []
