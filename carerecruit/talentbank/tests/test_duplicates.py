"""Finding probable duplicates: the rules, the command, dismissed pairs stay dismissed."""

import pytest
from django.core.management import call_command

from carerecruit.talentbank.duplicates import candidate_pairs, name_similarity
from carerecruit.talentbank.models import DuplicateCandidatePair
from carerecruit.talentbank.tests.builders import applicant

pytestmark = pytest.mark.django_db


def test_name_similarity():
    assert name_similarity("ann lee", "lee ann") == 1.0
    assert name_similarity("siobhan oneill", "siobhan oneil") == 0.963
    assert name_similarity("ann lee", "bob chan") < 0.5


def test_rules_on_plain_rows():
    rows = [
        (1, "siobhan oneill", "B1 1AA"),
        (2, "siobhan oneil", "B1 1AA"),  # similar name, same postcode
        (3, "ann lee", "B15 2TT"),
        (4, "ann lee", "B15 3DD"),  # same name, same district
        (5, "ann lee", "B16 1AA"),  # same name, other district
        (6, "bob chan", "B1 1AA"),  # same postcode, different name
        (7, "", ""),  # erased
        (8, "", ""),
    ]
    assert candidate_pairs(rows) == {
        (1, 2): ("name_postcode", 0.963),
        (3, 4): ("name_district", 1.0),
    }


def test_find_duplicates_command_records_each_pair_once(campaign, capsys):
    a = applicant(campaign, "Siobhán O’Neill", postcode="B1 1BB")
    b = applicant(campaign, "Siobhan ONeil", postcode="b1 1bb")
    c = applicant(campaign, "Ann Lee", postcode="B15 2TT")
    d = applicant(campaign, "Ann Lee", postcode="B15 9ZZ", consent=False)
    applicant(campaign, "Ann Lee", postcode="WS1 1AA")
    call_command("find-duplicates")
    assert capsys.readouterr().out == "2 new possible duplicate pairs found\n"
    pairs = list(DuplicateCandidatePair.objects.order_by("candidate_a").values_list(
        "candidate_a", "candidate_b", "reason", "similarity", "status"))
    assert pairs == [
        (a.pk, b.pk, "name_postcode", 0.963, "pending"),
        (c.pk, d.pk, "name_district", 1.0, "pending"),
    ]
    DuplicateCandidatePair.objects.filter(candidate_a=c).update(status="dismissed")
    call_command("find-duplicates")
    assert capsys.readouterr().out == "0 new possible duplicate pairs found\n"
    assert DuplicateCandidatePair.objects.count() == 2
    assert DuplicateCandidatePair.objects.get(candidate_a=c).status == "dismissed"
