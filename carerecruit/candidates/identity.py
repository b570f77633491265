"""Who an application belongs to: the identity rule shared by the public form
(:func:`carerecruit.candidates.actions.do_submit_application`) and imports
(:func:`carerecruit.candidates.importer.plan_import`).

Design: one Candidate per person, e-mail case-insensitive, phone in E.164. A form or an
imported row is the person of an existing Candidate when

1. the e-mail matches (``Candidate.email_normalised``, the whole address lower-cased;
   the database holds one candidate per such address), else
2. the phone matches (``Candidate.phone_e164``) **and** the folded full names match
   (:func:`name_key` of the name typed equals ``Candidate.name_folded``).

A phone on its own is not a person: a family shares a landline, a digit gets mistyped,
a number is passed on. Matching on it alone attached one person's application to a
stranger's record (their name and e-mail lost, the confirmation sent to the stranger).
So several candidates may hold one phone number (a plain index, no unique constraint),
and the talent bank's duplicate check (``talentbank.duplicates``, rule "same phone")
puts every such pair in front of an admin, who merges or dismisses it.

The name compared is the whole name as typed, folded (:func:`carerecruit.lib.names.fold_name`:
case, accents, apostrophes, hyphens and spacing do not count), not a family name and a
given name: the form asks for one "Full name", and splitting it is guesswork (one-word
names, family name first, double-barrelled names). Word order counts, and so does any
other difference ("Ann Lee" and "Ann Lee-Smith" are not a match): a name that differs
makes a second record for an admin to merge, which is the safe way round, while a
wrong match hands one person's application to another.
"""

from __future__ import annotations

from carerecruit.lib.names import fold_name

# Candidate.name_folded's max_length.
NAME_FOLDED_LENGTH = 200


def name_key(full_name: str) -> str:
    """The folded form of a name as typed, as stored in ``Candidate.name_folded`` and
    compared for a phone match: ``"Siobhán O’Neill-Smith"`` → ``"siobhan oneill smith"``,
    cut to the column's 200 characters."""
    return fold_name(full_name)[:NAME_FOLDED_LENGTH]
