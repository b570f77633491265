"""Plausible ASC-WDS workforce returns for the demo region, loaded through the real import.

``carerecruit demo`` calls :func:`load_demo_workforce` so the regional dashboard has
reported vacancies, filled posts and vacancy and turnover rates beside the simulated
campaigns, placements and talent bank. Each demo council sends its own return (councils
employ in-house care staff too): a workplace file and a worker file in the ASC-WDS
bulk-upload format, built here and passed to
:func:`carerecruit.workforce.actions.do_import_ascwds`, exactly as an upload would be.
The published Skills for Care estimates shipped with the app
(``workforce/data/published_estimates.csv``, cited) are loaded too, so our figures sit
beside the official ones.

Invented but shaped like the sector: care workers are most of the posts; care-worker
vacancy rates of 8–12% and turnover of 25–35% are in the range Skills for Care reports
for the region (``reference/domain.md`` 2.6). The files hold no personal data at all:
the optional personal columns (NI number, postcode, date of birth) are left blank.

Returns are dated the day before the first demo campaign starts, so they count
throughout the demo's period; loading again replaces them (a re-upload of the same
organisation and date), so the demo stays repeatable.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from carerecruit.organisations.models import Organisation
from carerecruit.workforce import codes

# The columns as ASC-WDS names them, in its order (the importer's own lists).
WORKPLACE_HEADER = codes.WORKPLACE_HEADERS
WORKER_HEADER = codes.WORKER_HEADERS

CARE_WORKER, SENIOR_CARE_WORKER, REGISTERED_MANAGER = 8, 7, 4
ROLES = (CARE_WORKER, SENIOR_CARE_WORKER, REGISTERED_MANAGER)
PERMANENT, TEMPORARY, POOL_BANK = 1, 2, 3


@dataclass(frozen=True)
class RoleFigures:
    """One role at one workplace: staff records by contract, and the workplace file's
    starters, leavers and vacancies for the role (last 12 months; vacancies now)."""

    permanent: int
    temporary: int
    bank: int
    starters: int
    leavers: int
    vacancies: int


@dataclass(frozen=True)
class DemoWorkplace:
    local_id: str
    name: str
    town: str
    postcode: str
    main_service: int  # ASC-WDS MAINSERVICE: 2 care home without nursing, 8 domiciliary care
    capacity: str
    roles: dict[int, RoleFigures]


@dataclass(frozen=True)
class DemoReturn:
    council_gss: str
    workplaces: tuple[DemoWorkplace, ...]


def _home(local_id, name, town, postcode, care, senior, manager) -> DemoWorkplace:
    return DemoWorkplace(local_id, name, town, postcode, 2, "40",
                         {CARE_WORKER: care, SENIOR_CARE_WORKER: senior, REGISTERED_MANAGER: manager})


def _homecare(local_id, name, town, postcode, care, senior, manager) -> DemoWorkplace:
    return DemoWorkplace(local_id, name, town, postcode, 8, "",
                         {CARE_WORKER: care, SENIOR_CARE_WORKER: senior, REGISTERED_MANAGER: manager})


#: The demo councils' own returns (in-house services), invented.
RETURNS = (
    DemoReturn("E08000025", (  # Birmingham
        _home("BHM-RES-01", "Kings Heath Resource Centre", "Birmingham", "B14 7AA",
              RoleFigures(34, 4, 6, 12, 13, 4), RoleFigures(8, 0, 0, 2, 2, 1), RoleFigures(1, 0, 0, 0, 0, 0)),
        _homecare("BHM-ENA-02", "Birmingham Enablement Service", "Birmingham", "B1 1BB",
                  RoleFigures(52, 6, 10, 19, 18, 6), RoleFigures(9, 1, 0, 3, 2, 1), RoleFigures(2, 0, 0, 1, 0, 0)),
    )),
    DemoReturn("E08000026", (  # Coventry
        _home("COV-RES-01", "Eric Williams House", "Coventry", "CV2 1AA",
              RoleFigures(26, 2, 5, 9, 8, 3), RoleFigures(6, 0, 0, 1, 2, 1), RoleFigures(1, 0, 0, 0, 0, 0)),
        _homecare("COV-HOM-02", "Coventry Promoting Independence", "Coventry", "CV1 2AA",
                  RoleFigures(38, 3, 7, 14, 12, 4), RoleFigures(4, 0, 0, 1, 1, 0), RoleFigures(1, 0, 0, 0, 1, 1)),
    )),
    DemoReturn("E08000030", (  # Walsall
        _homecare("WAL-REA-01", "Walsall Reablement Service", "Walsall", "WS1 1AA",
                  RoleFigures(41, 5, 8, 15, 14, 5), RoleFigures(7, 0, 0, 2, 2, 1), RoleFigures(1, 0, 0, 0, 0, 0)),
    )),
)


def _csv(header, rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _workplace_row(n: int, place: DemoWorkplace) -> list[str]:
    row = dict.fromkeys(WORKPLACE_HEADER, "")
    roles = sorted(place.roles)
    row.update({
        "LOCALESTID": place.local_id, "STATUS": "NEW", "ESTNAME": place.name, "ADDRESS1": "1 Demo Street",
        "POSTTOWN": place.town, "POSTCODE": place.postcode, "ESTTYPE": "1",  # local authority (adult services)
        "PERMCQC": "1", "PERMLA": "1", "REGTYPE": "2", "PROVNUM": f"1-10{n:07d}", "LOCATIONID": f"1-20{n:07d}",
        "MAINSERVICE": str(place.main_service), "ALLSERVICES": str(place.main_service),
        "CAPACITY": place.capacity, "UTILISATION": str(int(place.capacity) - 3) if place.capacity else "",
        "SERVICEUSERS": "1", "DHA": "2",
        "TOTALPERMTEMP": str(sum(f.permanent + f.temporary for f in place.roles.values())),
        "ALLJOBROLES": ";".join(str(r) for r in roles),
        "STARTERS": ";".join(str(place.roles[r].starters) for r in roles),
        "LEAVERS": ";".join(str(place.roles[r].leavers) for r in roles),
        "VACANCIES": ";".join(str(place.roles[r].vacancies) for r in roles),
        "SICKPAY": "2", "HOLIDAY": "2",
    })
    return [row[c] for c in WORKPLACE_HEADER]


def _worker_rows(place: DemoWorkplace, as_at: datetime.date) -> list[list[str]]:
    rows = []
    n = 0
    for role in sorted(place.roles):
        figures = place.roles[role]
        for contract, count in ((PERMANENT, figures.permanent), (TEMPORARY, figures.temporary), (POOL_BANK, figures.bank)):
            for _ in range(count):
                n += 1
                # Spread start dates over the last six years, none after the as-at date.
                start = as_at - datetime.timedelta(days=60 + (n * 97) % 2000)
                row = dict.fromkeys(WORKER_HEADER, "")
                row.update({
                    "LOCALESTID": place.local_id, "UNIQUEWORKERID": f"{place.local_id}-{n:04d}", "STATUS": "NEW",
                    "DISPLAYID": f"Staff {n:04d}", "GENDER": "2", "ETHNICITY": "31", "NATIONALITY": "826",
                    "DISABLED": "0", "CARECERT": "1", "RECSOURCE": "2", "STARTDATE": f"{start:%d/%m/%Y}",
                    "STARTINSECT": str(start.year), "APPRENTICE": "2", "EMPLSTATUS": str(contract),
                    "MAINJOBROLE": str(role), "SCQUAL": "1;3", "NONSCQUAL": "2", "CWPCATEGORY": "2",
                })
                if contract == POOL_BANK:
                    row.update({"ZEROHRCONT": "1", "AVGHOURS": "12"})
                elif role == REGISTERED_MANAGER:
                    row.update({"ZEROHRCONT": "2", "SALARYINT": "1", "SALARY": "41000", "CONTHOURS": "37.5"})
                else:
                    row.update({"ZEROHRCONT": "2", "SALARYINT": "3", "HOURLYRATE": "12.60", "CONTHOURS": "37.5"})
                rows.append([row[c] for c in WORKER_HEADER])
    return rows


def demo_files(spec: DemoReturn, as_at: datetime.date) -> tuple[bytes, bytes]:
    """The (workplace file, worker file) of one demo return, ASC-WDS bulk-upload CSV."""
    workplace_rows = [_workplace_row(i + 1 + 10 * RETURNS.index(spec), p) for i, p in enumerate(spec.workplaces)]
    worker_rows = [row for p in spec.workplaces for row in _worker_rows(p, as_at)]
    return _csv(WORKPLACE_HEADER, workplace_rows), _csv(WORKER_HEADER, worker_rows)


def demo_as_at() -> datetime.date:
    """The demo returns' as-at date: the day before the first demo campaign starts."""
    from carerecruit.demo import content

    return min(spec.starts_on for spec in content.CAMPAIGNS) - datetime.timedelta(days=1)


def load_demo_workforce(as_at: datetime.date | None = None) -> int:
    """Import the demo councils' returns through ``do_import_ascwds`` (replacing any
    earlier demo return for the same date) and the shipped published estimates; return
    how many returns were imported. Raises RuntimeError, naming the problems, if a demo
    file does not pass the import's checks (a bug in this module)."""
    from carerecruit.workforce.actions import do_import_ascwds, do_import_published_estimates

    as_at = as_at or demo_as_at()
    imported = 0
    for spec in RETURNS:
        council = Organisation.objects.filter(gss_code=spec.council_gss, kind=Organisation.Kind.COUNCIL).first()
        if council is None:
            continue
        workplace, worker = demo_files(spec, as_at)
        result = do_import_ascwds(
            organisation=council, council=council, as_at=as_at,
            workplace_file=io.BytesIO(workplace), worker_file=io.BytesIO(worker),
            workplace_file_name=f"demo-{council.slug}-workplace.csv", worker_file_name=f"demo-{council.slug}-worker.csv",
        )
        if not result.ok:
            raise RuntimeError(f"Demo workforce return for {council} failed its checks: "
                               + "; ".join(str(p) for p in result.problems[:5]))
        imported += 1
    published = Path(__file__).parent / "data" / "published_estimates.csv"
    result = do_import_published_estimates(published.read_bytes())
    if getattr(result, "problems", None):
        raise RuntimeError(f"Published estimates failed their checks: {result.problems[:3]}")
    return imported
