"""SQL expressions for ranking in the database: the haversine distance and point tables.

Ranking tens of thousands of people one row at a time in Python costs far more than the
database computing the same numbers next to the index it is reading, so matching and
search compute their scores in SQL and fetch only the page shown. The *rules* stay in
the plain Python functions of :mod:`~carerecruit.talentbank.matching` and
:mod:`~carerecruit.talentbank.search`; these helpers only turn them into SQL (a
``CASE`` built from a rule's outcome for each possible value), and the tests check that
the database's score equals the Python score for every result.

Works on SQLite and PostgreSQL: the distance needs only arithmetic, ASIN and SQRT
(native in both; SQLite 3.35+ built with its math functions, otherwise Django registers
Python versions, slower but equal).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db.models import Case, ExpressionWrapper, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import ASin, Least, Sqrt

from carerecruit.talentbank.geo import EARTH_RADIUS_KM, unit_vector


def haversine_a(lat0: float, lon0: float) -> ExpressionWrapper:
    """Haversine's ``a`` between (``lat0``, ``lon0``) and each row's point, from the
    row's unit vector (fields ``x``, ``y``, ``z``; see
    :func:`carerecruit.talentbank.geo.unit_vector`): a quarter of the squared chord,
    arithmetic only."""
    x0, y0, z0 = unit_vector(lat0, lon0)
    dx, dy, dz = F("x") - Value(x0), F("y") - Value(y0), F("z") - Value(z0)
    return ExpressionWrapper((dx * dx + dy * dy + dz * dz) / Value(4.0), output_field=FloatField())


def haversine_km(a_field: str) -> ExpressionWrapper:
    """Great-circle distance in km from an annotation ``a_field`` holding haversine's
    ``a``: ``2R·asin(√a)``, the formula of :func:`carerecruit.talentbank.geo.haversine_km`."""
    return ExpressionWrapper(
        Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(F(a_field)), Value(1.0))), output_field=FloatField()
    )


def linear_points(field: str, radius_km: float, top: int) -> ExpressionWrapper:
    """``top × (1 − field ÷ radius)`` for a distance annotation ``field``. Only for rows
    already kept within the radius (``field <= radius_km``), where it is never negative:
    leaving out the CASE for rows beyond saves evaluating the distance again per row."""
    return ExpressionWrapper(
        Value(float(top)) * (Value(1.0) - F(field) / Value(float(radius_km))), output_field=FloatField()
    )


def _points(value: float) -> Value:
    # Whole points as integers: PostgreSQL then adds machine integers, not the NUMERIC
    # it would make of a literal like 25.0.
    if float(value).is_integer():
        return Value(int(value), output_field=IntegerField())
    return Value(float(value), output_field=FloatField())


def _output(values: Iterable[float]) -> IntegerField | FloatField:
    return IntegerField() if all(float(v).is_integer() for v in values) else FloatField()


def choice_points(field: str, points: Mapping[object, float]) -> Case | Value:
    """``CASE field WHEN value THEN points …`` for a field with few values (hours wanted,
    a yes/no flag), from a rule's outcome for each value; anything else 0. A rule worth
    nothing whatever the value is simply 0."""
    if not any(points.values()):
        return _points(0)
    return Case(
        *(When(Q(**{field: value}), then=_points(p)) for value, p in points.items() if p),
        default=_points(0),
        output_field=_output(points.values()),
    )


def date_points(field: str, steps: Iterable[tuple[datetime.date, float]], *, on_or_after: bool = False) -> Case:
    """Points by date thresholds, first match wins: for each ``(date, points)``, the
    field is on or before ``date`` (or on or after, with ``on_or_after``). NULL or no
    match: 0."""
    lookup = "gte" if on_or_after else "lte"
    steps = list(steps)
    return Case(
        *(When(Q(**{f"{field}__{lookup}": date}), then=_points(p)) for date, p in steps),
        default=_points(0),
        output_field=_output(p for _date, p in steps),
    )
