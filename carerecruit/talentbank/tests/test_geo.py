"""Distances: haversine, bounding boxes, postcode points."""

import math

import pytest

from carerecruit.organisations.models import Organisation
from carerecruit.talentbank.geo import (
    KM_PER_DEGREE_LATITUDE,
    Point,
    bounding_box,
    haversine_a_limit,
    haversine_km,
    postcode_point,
    postcode_points,
    unit_vector,
)
from carerecruit.talentbank.tests.builders import add_postcodes

BIRMINGHAM = (52.4797, -1.9027)
COVENTRY = (52.4081, -1.5106)


def test_haversine_known_distances():
    assert haversine_km(*BIRMINGHAM, *BIRMINGHAM) == 0.0
    assert round(haversine_km(*BIRMINGHAM, *COVENTRY), 3) == 27.743
    assert round(haversine_km(*COVENTRY, *BIRMINGHAM), 3) == 27.743
    # One degree of latitude along a meridian.
    assert round(haversine_km(52.0, -2.0, 53.0, -2.0), 3) == round(KM_PER_DEGREE_LATITUDE, 3) == 111.195
    # Antipodes: half the circumference, no math domain error.
    assert round(haversine_km(0.0, 0.0, 0.0, 180.0), 1) == round(math.pi * 6371.0088, 1)


def test_bounding_box_contains_the_circle_and_no_more_than_needed():
    box = bounding_box(*BIRMINGHAM, 10)
    assert round(box.max_latitude - BIRMINGHAM[0], 5) == round(10 / 111.19508, 5) == 0.08993
    assert box.min_latitude < BIRMINGHAM[0] < box.max_latitude
    assert box.min_longitude < BIRMINGHAM[1] < box.max_longitude
    # Points 9.99 km due north, south, east and west are inside the box.
    for bearing in range(0, 360, 15):
        rad = math.radians(bearing)
        dlat = 9.99 * math.cos(rad) / KM_PER_DEGREE_LATITUDE
        lat = BIRMINGHAM[0] + dlat
        dlon = 9.99 * math.sin(rad) / (KM_PER_DEGREE_LATITUDE * math.cos(math.radians(lat)))
        lon = BIRMINGHAM[1] + dlon
        assert haversine_km(*BIRMINGHAM, lat, lon) < 10
        assert box.min_latitude <= lat <= box.max_latitude
        assert box.min_longitude <= lon <= box.max_longitude
    # Coventry (27.7 km) is outside a 10 km box.
    assert not (box.min_longitude <= COVENTRY[1] <= box.max_longitude)


def test_bounding_box_refuses_negative_radius():
    with pytest.raises(ValueError):
        bounding_box(52.0, -2.0, -1)


@pytest.mark.django_db
def test_postcode_points_from_onspd_then_council_centroid():
    add_postcodes()
    assert postcode_point("b1 1bb") == Point(52.4797, -1.9027)
    assert postcode_point("B11BB") == Point(52.4797, -1.9027)
    # Not in ONSPD, but its district is in the placements district table: the council's
    # centroid (Coventry City Council, from reference data).
    coventry = Organisation.objects.get(gss_code="E08000026")
    assert postcode_point("CV2 9ZZ") == Point(float(coventry.latitude), float(coventry.longitude))
    assert postcode_point("not a postcode") is None
    assert postcode_point("") is None
    assert postcode_point("ZE1 0AA") is None  # Shetland: no council of ours
    assert postcode_points(["B1 1BB", "b1 1bb", "nonsense"]) == {
        "B1 1BB": Point(52.4797, -1.9027), "b1 1bb": Point(52.4797, -1.9027),
    }


def test_chord_form_of_haversine_equals_the_formula():
    """What the database computes (a quarter of the squared chord between unit vectors)
    is haversine's a: the same distances, within floating-point error."""
    a_points = [BIRMINGHAM, COVENTRY, (52.5862, -1.9829), (53.0260, -2.1775), (52.0, -3.0)]
    for lat1, lon1 in a_points:
        for lat2, lon2 in a_points:
            x1, y1, z1 = unit_vector(lat1, lon1)
            x2, y2, z2 = unit_vector(lat2, lon2)
            a = ((x1 - x2) ** 2 + (y1 - y2) ** 2 + (z1 - z2) ** 2) / 4
            distance = 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
            assert distance == pytest.approx(haversine_km(lat1, lon1, lat2, lon2), abs=1e-6)
    assert haversine_a_limit(25) == pytest.approx(math.sin(25 / (2 * 6371.0088)) ** 2)
    # "a <= limit" is "distance <= radius".
    x1, y1, z1 = unit_vector(*BIRMINGHAM)
    x2, y2, z2 = unit_vector(*COVENTRY)
    a = ((x1 - x2) ** 2 + (y1 - y2) ** 2 + (z1 - z2) ** 2) / 4
    assert a <= haversine_a_limit(27.75) and a > haversine_a_limit(27.74)
