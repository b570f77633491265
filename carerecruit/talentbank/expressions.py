"""SQL expressions for ranking in the database: the haversine distance and point tables.

Ranking tens of thousands of people one row at a time in Python costs far more than the
database computing the same numbers next to the index it is reading, so matching and
search compute their scores in SQL and fetch only the page shown. The *rules* stay in
the plain Python functions of :mod:`~carerecruit.talentbank.matching` and
:mod:`~carerecruit.talentbank.search`; these helpers only turn them into SQL (a
``CASE`` built from a rule's outcome for each possible value), and the tests check that
the database's score equals the Python score for every result.

Works on SQLite and PostgreSQL: SIN, COS, ASIN, SQRT and RADIANS are native in both
(SQLite 3.35+ built with its math functions; otherwise Django registers Python versions,
slower but equal).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping

from django.db.models import Case, ExpressionWrapper, F, FloatField, Q, Value, When
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt

from carerecruit.talentbank.geo import EARTH_RADIUS_KM


def haversine_km(latitude: str, longitude: str, lat0: float, lon0: float) -> ExpressionWrapper:
    """Great-circle distance in km from (``lat0``, ``lon0``) to the point in the fields
    ``latitude``/``longitude`` (degrees): the formula of
    :func:`carerecruit.talentbank.geo.haversine_km`, in SQL."""
    phi, lmb = Radians(F(latitude)), Radians(F(longitude))
    phi0, lmb0 = math.radians(lat0), math.radians(lon0)
    a = Power(Sin((phi - Value(phi0)) / Value(2.0)), 2) + Value(math.cos(phi0)) * Cos(phi) * Power(
        Sin((lmb - Value(lmb0)) / Value(2.0)), 2
    )
    return ExpressionWrapper(
        Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(a), Value(1.0))), output_field=FloatField()
    )


def linear_points(field: str, radius_km: float, top: int) -> Case:
    """``top × (1 − field ÷ radius)`` for a distance annotation ``field``, 0 at or
    beyond the radius."""
    return Case(
        When(Q(**{f"{field}__gte": radius_km}), then=Value(0.0)),
        default=ExpressionWrapper(
            Value(float(top)) * (Value(1.0) - F(field) / Value(float(radius_km))), output_field=FloatField()
        ),
        output_field=FloatField(),
    )


def choice_points(field: str, points: Mapping[object, float]) -> Case:
    """``CASE field WHEN value THEN points …`` for a field with few values (hours wanted,
    a yes/no flag), from a rule's outcome for each value; anything else 0."""
    return Case(
        *(When(Q(**{field: value}), then=Value(float(p))) for value, p in points.items()),
        default=Value(0.0),
        output_field=FloatField(),
    )


def date_points(field: str, steps: Iterable[tuple[datetime.date, float]], *, on_or_after: bool = False) -> Case:
    """Points by date thresholds, first match wins: for each ``(date, points)``, the
    field is on or before ``date`` (or on or after, with ``on_or_after``). NULL or no
    match: 0."""
    lookup = "gte" if on_or_after else "lte"
    return Case(
        *(When(Q(**{f"{field}__{lookup}": date}), then=Value(float(p))) for date, p in steps),
        default=Value(0.0),
        output_field=FloatField(),
    )
