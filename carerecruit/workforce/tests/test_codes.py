"""The ASC-WDS codes we ship match the reference (domain.md section 2) and the loaded
job roles."""

import pytest

from carerecruit.reference.models import JobRole
from carerecruit.workforce import codes


def test_file_layouts():
    assert len(codes.WORKPLACE_HEADERS) == len(set(codes.WORKPLACE_HEADERS)) == 44
    assert len(codes.WORKER_HEADERS) == len(set(codes.WORKER_HEADERS)) == 44
    assert codes.WORKPLACE_HEADERS[:2] == ("LOCALESTID", "STATUS")
    assert codes.WORKPLACE_HEADERS[25:29] == ("ALLJOBROLES", "STARTERS", "LEAVERS", "VACANCIES")
    assert codes.WORKER_HEADERS[:3] == ("LOCALESTID", "UNIQUEWORKERID", "STATUS")
    assert codes.WORKER_HEADERS[-1] == "QUALACH03NOTES"


def test_code_tables():
    assert sorted(codes.ESTTYPE) == [1, 3, 6, 7, 8]
    assert codes.EMPLSTATUS == {1: "Permanent", 2: "Temporary", 3: "Pool or bank", 4: "Agency", 7: "Other"}
    assert {1, 2} == codes.DIRECTLY_EMPLOYED
    assert len(codes.MAINSERVICE) == 36 and codes.MAINSERVICE[72] == "Head office services"
    assert sorted(codes.RECSOURCE) == [1, 2, 5, 7, 8, 10, 12, 15, 17, 18]
    assert sorted(codes.ETHNICITY_CODES) == list(range(31, 48)) + [98, 99]
    assert sorted(codes.CWPCATEGORY) == [1, 2, 3, 4, 5, 6, 7, 998, 999]
    assert codes.YES_NO_DONT_KNOW == {1: "Yes", 2: "No", 999: "Don't know"}
    assert sorted(codes.GENDER) == [1, 2, 3, 4] and sorted(codes.DISABLED) == [0, 1, 2, 3]
    assert {"CHGSUB"} == codes.WORKER_STATUSES - codes.WORKPLACE_STATUSES


def test_codes_phrase():
    assert codes.codes_phrase([8, 1, 3, 7, 6]) == "1, 3, 6, 7 or 8"
    assert codes.codes_phrase([2]) == "2"


@pytest.mark.django_db
def test_job_roles_are_the_asc_wds_budi_codes():
    """domain.md 2.3: 37 uploadable codes; 41 (care navigator) has no BUDI mapping."""
    loaded = set(JobRole.objects.values_list("code", flat=True))
    assert loaded == {*range(1, 12), 15, 16, 17, 23, 24, 25, 26, 27, *range(34, 41), *range(42, 53)} - {12, 13, 14}
    assert len(loaded) == 37 and 41 not in loaded
