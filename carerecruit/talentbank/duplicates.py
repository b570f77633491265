"""Finding candidate records that are probably the same person.

Rules (each pair is recorded once, with the first rule that matched):

1. **Similar name, same postcode**: the folded names (``Candidate.name_folded``: lower
   case, no accents or apostrophes), with their words sorted, have a difflib similarity
   ratio of at least 0.85 ("Siobhan O'Neill" / "Siobhán ONeil", "Ann Lee" / "Lee Ann"),
   and the normalised postcodes are equal.
2. **Same name, same postcode district**: identical folded names and the same outward
   code (``B1`` of ``B1 1AA``): people move within a district, or mistype the inward
   code.

Same phone number: the database already holds one candidate per phone number
(``candidate_unique_phone``) and an application is matched to a known person by
e-mail, then by phone, so two records never share a phone; there is nothing left to
find. Same e-mail likewise.

Blocking: names are only compared within one postcode (rule 1) or one name and district
(rule 2), so the cost grows with the number of people, not its square. Candidates with
no name or postcode (erased) are skipped.
"""

from __future__ import annotations

from collections import defaultdict
from difflib import SequenceMatcher
from itertools import combinations

from django.db import IntegrityError, transaction

from carerecruit.candidates.models import Candidate
from carerecruit.talentbank.models import DuplicateCandidatePair

SIMILARITY_THRESHOLD = 0.85


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


def find_duplicates() -> int:
    """Record every new pair of probable duplicates among all candidates; return how many
    were added. Pairs already recorded (pending or dismissed) are left alone. Command:
    ``carerecruit find-duplicates``."""
    rows = Candidate.objects.order_by().values_list("pk", "name_folded", "postcode").iterator(chunk_size=5000)
    found = candidate_pairs(rows)
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
