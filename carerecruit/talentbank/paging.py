"""Pages of ranked results whose total is counted by the database, for the GOV.UK
pagination include (``vacancies/_pagination.html``), which reads the attributes of
Django's ``Page`` that are given here."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


def page_number(value: str | None) -> int:
    """The page asked for in a query string: a positive integer, else 1."""
    try:
        return max(1, int(value or 1))
    except (TypeError, ValueError):
        return 1


@dataclass
class ResultPage:
    """Page ``number`` (from 1) of ``count`` results, ``per_page`` a page; ``rows`` are
    this page's. ``paginator`` is the page itself, as templates ask
    ``page.paginator.num_pages``."""

    number: int
    per_page: int
    count: int
    rows: list = field(default_factory=list)

    @classmethod
    def clamp(cls, requested: int, per_page: int, count: int) -> ResultPage:
        """The page to show for a request: past the last page shows the last one."""
        last = max(1, math.ceil(count / per_page))
        return cls(min(max(1, requested), last), per_page, count)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def paginator(self) -> ResultPage:
        return self

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    def start_index(self) -> int:
        """The rank (from 1) of this page's first result."""
        return self.offset + 1 if self.count else 0

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)
