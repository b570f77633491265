"""Finding candidate records that are probably the same person.

Rules (each pair is recorded once, with the first rule that matched):

1. **Similar name, same postcode**: the folded names (``Candidate.name_folded``: lower
   case, no accents or apostrophes), with their words sorted, have a difflib similarity
   ratio of at least 0.85 ("Siobhan O'Neill" / "Siobhán ONeil", "Ann Lee" / "Lee Ann"),
   and the normalised postcodes are equal.
2. **Same name, same postcode district**: identical folded names and the same outward
   code (``B1`` of ``B1 1AA``): people move within a district, or mistype the inward
   code.
3. **Same phone**: the same E.164 number, whatever the names. An application is matched
   to a known person by e-mail, else by phone *and* folded name
   (:mod:`carerecruit.candidates.identity`), so a phone typed with another name makes a
   second record: a family's shared landline, a mistyped digit, or the same person
   under a new surname. Only a person can tell those apart, so every such pair is
   raised, its similarity the names' (low for strangers, high for a new spelling).
   Numbers held by more than :data:`MAX_SHARED_PHONE` records (a care agency's
   switchboard, a test number) are not paired: that is not one person, and the pairs
   would swamp the review list.

Same e-mail cannot happen: the database holds one candidate per normalised address.

Blocking: names are only compared within one postcode (rule 1) or one name and district
(rule 2), and phones within one number (rule 3), so the cost grows with the number of
people, not its square. Candidates with no name or postcode (erased) are skipped by
rules 1 and 2, and with no phone by rule 3.
"""

from __future__ import annotations

from collections import defaultdict
from difflib import SequenceMatcher
from itertools import combinations

from django.db import IntegrityError, transaction
from django.db.models import Count

from carerecruit.candidates.models import Candidate
from carerecruit.talentbank.models import DuplicateCandidatePair

SIMILARITY_THRESHOLD = 0.85
# Rule 3 skips a phone number held by more records than this.
MAX_SHARED_PHONE = 10


def name_similarity(folded_a: str, folded_b: str) -> float:
    """Similarity 0–1 of two folded names, word order ignored (difflib ratio of the
    names with their words sorted), to 3 decimal places."""
    a = " ".join(sorted(folded_a.split()))
    b = " ".join(sorted(folded_b.split()))
    if a == b:
        return 1.0
    return round(SequenceMatcher(None, a, b, autojunk=False).ratio(), 3)


def postcode_district(postcode: str) -> str:
    """The outward code of a normalised postcode: ``"B1 1AA"`` → ``"B1"``."""
    return postcode.split(" ", 1)[0]


def candidate_pairs(rows) -> dict[tuple[int, int], tuple[str, float]]:
    """Pairs found in ``rows`` of ``(pk, name_folded, postcode)``:
    ``{(smaller pk, larger pk): (reason, similarity)}``."""
    by_postcode: dict[str, list[tuple[int, str]]] = defaultdict(list)
    by_name_district: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for pk, name, postcode in rows:
        if not name or not postcode:
            continue
        by_postcode[postcode].append((pk, name))
        by_name_district[(name, postcode_district(postcode))].append((pk, postcode))
    found: dict[tuple[int, int], tuple[str, float]] = {}
    for people in by_postcode.values():
        for (pk_a, name_a), (pk_b, name_b) in combinations(people, 2):
            similarity = name_similarity(name_a, name_b)
            if similarity >= SIMILARITY_THRESHOLD:
                found[(min(pk_a, pk_b), max(pk_a, pk_b))] = (
                    DuplicateCandidatePair.Reason.SIMILAR_NAME_SAME_POSTCODE, similarity
                )
    for people in by_name_district.values():
        for (pk_a, _pc_a), (pk_b, _pc_b) in combinations(people, 2):
            found.setdefault(
                (min(pk_a, pk_b), max(pk_a, pk_b)), (DuplicateCandidatePair.Reason.SAME_NAME_SAME_DISTRICT, 1.0)
            )
    return found


def shared_phone_pairs(rows) -> dict[tuple[int, int], tuple[str, float]]:
    """Pairs found in ``rows`` of ``(pk, name_folded, phone_e164)`` by rule 3 (same
    phone): ``{(smaller pk, larger pk): ("same_phone", name similarity)}``. Empty phones
    and numbers held by more than :data:`MAX_SHARED_PHONE` records are skipped."""
    by_phone: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, name, phone in rows:
        if phone:
            by_phone[phone].append((pk, name))
    found: dict[tuple[int, int], tuple[str, float]] = {}
    for people in by_phone.values():
        if len(people) > MAX_SHARED_PHONE:
            continue
        for (pk_a, name_a), (pk_b, name_b) in combinations(people, 2):
            found[(min(pk_a, pk_b), max(pk_a, pk_b))] = (
                DuplicateCandidatePair.Reason.SAME_PHONE, name_similarity(name_a, name_b)
            )
    return found


def _shared_phone_rows():
    """``(pk, name_folded, phone_e164)`` of the candidates whose phone another candidate
    also holds (the database groups them, using the ``candidate_phone`` index)."""
    shared = (
        Candidate.objects.exclude(phone_e164="").order_by().values("phone_e164")
        .annotate(holders=Count("pk")).filter(holders__gt=1, holders__lte=MAX_SHARED_PHONE)
        .values("phone_e164")
    )
    return Candidate.objects.filter(phone_e164__in=shared).order_by().values_list(
        "pk", "name_folded", "phone_e164"
    )


def find_duplicates() -> int:
    """Record every new pair of probable duplicates among all candidates; return how many
    were added. Pairs already recorded (pending or dismissed) are left alone. Command:
    ``carerecruit find-duplicates``."""
    rows = Candidate.objects.order_by().values_list("pk", "name_folded", "postcode").iterator(chunk_size=5000)
    found = candidate_pairs(rows)
    # A pair is recorded with the first rule that matched: the name rules come first.
    for pair, found_by in shared_phone_pairs(_shared_phone_rows()).items():
        found.setdefault(pair, found_by)
    known = set(DuplicateCandidatePair.objects.values_list("candidate_a_id", "candidate_b_id"))
    added = 0
    for (a, b), (reason, similarity) in sorted(found.items()):
        if (a, b) in known:
            continue
        try:
            with transaction.atomic():
                DuplicateCandidatePair.objects.create(
                    candidate_a_id=a, candidate_b_id=b, reason=reason, similarity=similarity
                )
        except IntegrityError:
            continue  # recorded meanwhile by a concurrent run, or one of them was erased
        added += 1
    return added
