"""The demo region comes with a searchable talent bank (its people are bulk-created, so
the demo rebuilds the talent profiles once)."""

from io import StringIO

import pytest
from django.core.management import call_command

from carerecruit.candidates.models import Candidate
from carerecruit.talentbank.models import TalentProfile, TalentRole


@pytest.mark.django_db
def test_demo_people_who_consented_are_in_the_talent_bank():
    call_command("demo", "--scale", "0.1", stdout=StringIO())
    consenting = set(Candidate.objects.filter(talent_bank_consent=True).values_list("pk", flat=True))
    assert consenting
    assert set(TalentProfile.objects.values_list("candidate_id", flat=True)) == consenting
    assert set(TalentRole.objects.values_list("candidate_id", flat=True)) <= consenting
    # The demo has no ONSPD import: people are placed at the centroid of the council whose
    # postcode district holds them, when the placements district table knows it.
    from carerecruit.placements.postcodes import council_for_postcode

    placeable = {
        c.pk for c in Candidate.objects.filter(pk__in=consenting) if council_for_postcode(c.postcode) is not None
    }
    assert len(placeable) >= len(consenting) - 2
    assert set(TalentProfile.objects.filter(latitude__isnull=False).values_list("candidate_id", flat=True)) == placeable
