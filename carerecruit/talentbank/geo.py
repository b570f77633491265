"""Distances for the talent bank: postcode → point, great-circle distance, bounding boxes.

Points are WGS84 latitude/longitude in decimal degrees; distances are kilometres. The
postcode → place lookup belongs to the placements app (its ONSPD ``PostcodeLocation``
table and the postcode-district table); this module is the one place the talent bank
and vacancies ask it, so a change there is a change here only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

from carerecruit.lib.postcodes import COMPACT_POSTCODE_RE, compact_postcode

# Mean Earth radius (IUGG R1), the usual choice for the haversine formula; the spherical
# model is within 0.5% of the ellipsoid, far below the spread of a postcode's centroid.
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LATITUDE = math.pi * EARTH_RADIUS_KM / 180  # ≈ 111.195 km


class Point(NamedTuple):
    """A WGS84 point: ``latitude`` and ``longitude`` in decimal degrees."""

    latitude: float
    longitude: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points (degrees), by the haversine
    formula on a sphere of radius :data:`EARTH_RADIUS_KM`.

    Example: Birmingham New Street (52.4778, -1.8990) to Coventry station (52.4008,
    -1.5135) is about 27.4 km.
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    # min() guards against a rounding error pushing ``a`` a hair above 1 (antipodes).
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def unit_vector(latitude: float, longitude: float) -> tuple[float, float, float]:
    """The point as a unit vector ``(x, y, z)`` from the Earth's centre (degrees in).

    Stored beside each talent profile's point so the database can compute the haversine
    term with arithmetic alone: for two points, ``sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2)``
    (haversine's ``a``) equals a quarter of the squared straight-line (chord) distance
    between their unit vectors, ``((x₁−x₂)² + (y₁−y₂)² + (z₁−z₂)²) / 4``. Same formula,
    no trigonometry per row.
    """
    phi, lmb = math.radians(latitude), math.radians(longitude)
    return (math.cos(phi) * math.cos(lmb), math.cos(phi) * math.sin(lmb), math.sin(phi))


def haversine_a_limit(radius_km: float) -> float:
    """The largest haversine ``a`` within ``radius_km``: ``sin²(radius / 2R)``, so
    "distance ≤ radius" is "a ≤ this", with no inverse sine per row."""
    return math.sin(min(radius_km / (2 * EARTH_RADIUS_KM), math.pi / 2)) ** 2


class BoundingBox(NamedTuple):
    """Latitude and longitude ranges (degrees) that contain a circle; see
    :func:`bounding_box`."""

    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float


def bounding_box(latitude: float, longitude: float, radius_km: float) -> BoundingBox:
    """The smallest latitude/longitude box containing every point within ``radius_km``
    of (``latitude``, ``longitude``).

    Used as an indexed pre-filter before the exact haversine test: anything outside the
    box is certainly too far. The longitude half-width widens with latitude
    (1/cos φ, taken at the box's edge nearer the pole so the box never cuts the circle).
    Raises ValueError for a negative radius. Not for circles crossing a pole or the
    180° meridian (no UK search does).
    """
    if radius_km < 0:
        raise ValueError("radius_km must not be negative")
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    polar_edge = min(89.9, abs(latitude) + dlat)
    dlon = dlat / math.cos(math.radians(polar_edge))
    return BoundingBox(latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon)


def postcode_point(postcode: str) -> Point | None:
    """The point of a UK postcode (any spacing or case), or None when it cannot be
    located; see :func:`postcode_points`."""
    return postcode_points([postcode]).get(postcode)


def postcode_points(postcodes: Iterable[str]) -> dict[str, Point]:
    """Points for many postcodes at once: ``{postcode as given: Point}``, leaving out
    those that cannot be located (malformed, or unknown to both sources).

    Sources, in order (the placements app's, see ``placements.postcodes``):

    1. the postcode's own ONSPD point (``PostcodeLocation``), one query per 500;
    2. otherwise the centroid of the council whose area holds it, from the
       postcode-district table: approximate (a council area spans tens of km), but it
       lets the demo, which has no ONSPD import, search by distance. Looked up once per
       postcode district.
    """
    from carerecruit.placements.models import PostcodeLocation
    from carerecruit.placements.postcodes import council_for_postcode

    wanted: dict[str, list[str]] = {}
    for postcode in postcodes:
        compact = compact_postcode(postcode or "")
        if COMPACT_POSTCODE_RE.fullmatch(compact):
            wanted.setdefault(compact, []).append(postcode)
    found: dict[str, Point] = {}
    located: set[str] = set()
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        rows = PostcodeLocation.objects.filter(
            compact__in=keys[start:start + 500], latitude__isnull=False, longitude__isnull=False
        ).values_list("compact", "latitude", "longitude")
        for compact, lat, lon in rows:
            located.add(compact)
            for given in wanted[compact]:
                found[given] = Point(lat, lon)
    by_district: dict[str, Point | None] = {}
    for compact in keys:
        if compact in located:
            continue
        district = compact[:-3]
        if district not in by_district:
            match = council_for_postcode(f"{district} {compact[-3:]}")
            council = match.council if match is not None else None
            by_district[district] = (
                Point(float(council.latitude), float(council.longitude))
                if council is not None and council.latitude is not None and council.longitude is not None
                else None
            )
        point = by_district[district]
        if point is not None:
            for given in wanted[compact]:
                found[given] = point
    return found
