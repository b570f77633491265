"""Finding probable duplicates: the rules, the command, dismissed pairs stay dismissed."""

import pytest
from django.core.management import call_command

from carerecruit.candidates.models import Candidate
from carerecruit.talentbank.actions import do_merge_candidates
from carerecruit.talentbank.duplicates import (
    MAX_SHARED_PHONE,
    candidate_pairs,
    find_duplicates,
    name_similarity,
    shared_phone_pairs,
)
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


def test_same_phone_rule_on_plain_rows():
    rows = [
        (1, "ann lee", "+447700900001"),
        (2, "bea newman", "+447700900001"),  # a shared landline
        (3, "ann lee", "+447700900002"),
        (4, "erased", ""),
        (5, "nobody", ""),
    ]
    assert shared_phone_pairs(rows) == {(1, 2): ("same_phone", name_similarity("ann lee", "bea newman"))}
    switchboard = [(pk, f"person {pk}", "+441214960000") for pk in range(1, MAX_SHARED_PHONE + 2)]
    assert shared_phone_pairs(switchboard) == {}
    assert len(shared_phone_pairs(switchboard[:MAX_SHARED_PHONE])) == MAX_SHARED_PHONE * (MAX_SHARED_PHONE - 1) // 2


def test_people_sharing_a_phone_are_flagged(personas, campaign):
    """A phone typed with another name makes a second record (candidates.identity); the
    check puts the pair in front of an admin, who can merge it. A pair that also fits a
    name rule is recorded under that rule."""
    ann = applicant(campaign, "Ann Lee", phone="+447700900001", postcode="B1 1BB")
    bea = applicant(campaign, "Bea Newman", phone="+447700900001", postcode="WS1 1AA")
    anne = applicant(campaign, "Anne Lee", phone="+447700900001", postcode="B1 1BB")
    applicant(campaign, "Cy Other", phone="+447700900009", postcode="CV1 5FB")
    assert Candidate.objects.filter(phone_e164="+447700900001").count() == 3

    assert find_duplicates() == 3

    pairs = list(DuplicateCandidatePair.objects.order_by("candidate_a", "candidate_b").values_list(
        "candidate_a", "candidate_b", "reason", "similarity"))
    assert pairs == [
        (ann.pk, bea.pk, "same_phone", name_similarity("ann lee", "bea newman")),
        (ann.pk, anne.pk, "name_postcode", name_similarity("ann lee", "anne lee")),
        (bea.pk, anne.pk, "same_phone", name_similarity("bea newman", "anne lee")),
    ]
    assert find_duplicates() == 0

    # An admin finds Ann and Bea are one person after all (a new name), and merges them.
    pair = DuplicateCandidatePair.objects.get(candidate_a=ann, candidate_b=bea)
    do_merge_candidates(pair, survivor=ann, user=personas.regional_admin)
    ann.refresh_from_db()
    assert (ann.full_name, ann.phone_e164) == ("Ann Lee", "+447700900001")
    assert ann.applications.count() == 1  # both applied to this campaign: the earlier is kept
    assert not Candidate.objects.filter(pk=bea.pk).exists()
