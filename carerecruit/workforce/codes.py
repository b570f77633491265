"""ASC-WDS bulk-upload ("BUDI") codes, as Python data.

Skills for Care's Adult Social Care Workforce Data Set (ASC-WDS) takes workforce returns as
CSV files whose columns hold BUDI codes. These tables are the codes our importer accepts
and our pages name. Source (unless a table says otherwise): Skills for Care's public
ASC-WDS code, ``NMDSdevopsServiceAdm/SopraSteria-SFC`` commit ``b6857156`` (Aug 2026), as
summarised in ``reference/domain.md`` section 2:

- column lists: ``backend/server/routes/establishments/bulkUpload/data/workplaceHeaders.js``
  and ``workerHeaders.js``;
- workplace rules: ``backend/server/models/BulkImport/csv/workplaceCSVValidator.js``;
- worker rules: ``lambdas/bulkUpload/classes/workerCSVValidator.js``.

Job roles (MAINJOBROLE, ALLJOBROLES) are not repeated here: they are
:class:`carerecruit.reference.models.JobRole` rows (``code`` = BUDI code), loaded by
migration from :data:`carerecruit.reference.data.JOB_ROLES`.
"""

from __future__ import annotations

# --- File layouts ----------------------------------------------------------------------

#: The workplace (establishment) file's 44 columns, in the order ASC-WDS requires.
WORKPLACE_HEADERS: tuple[str, ...] = (
    "LOCALESTID", "STATUS", "ESTNAME", "ADDRESS1", "ADDRESS2", "ADDRESS3", "POSTTOWN",
    "POSTCODE", "ESTTYPE", "OTHERTYPE", "PERMCQC", "PERMLA", "REGTYPE", "PROVNUM",
    "LOCATIONID", "MAINSERVICE", "ALLSERVICES", "CAPACITY", "UTILISATION", "SERVICEDESC",
    "SERVICEUSERS", "OTHERUSERDESC", "DHA", "DHAACTIVITIES", "TOTALPERMTEMP", "ALLJOBROLES",
    "STARTERS", "LEAVERS", "VACANCIES", "REASONS", "REASONNOS", "REPEATTRAINING", "CWPAWARE",
    "CWPUSE", "CWPUSEDESC", "SICKPAY", "PENSION", "ACTUALCONT", "OPTOUTPEN", "HOLIDAY",
    "SLEEPINS", "SLEEPINPAY", "TRAVELTIME", "TTDIFFRATE",
)

#: The worker (staff) file's 44 columns, in the order ASC-WDS requires.
WORKER_HEADERS: tuple[str, ...] = (
    "LOCALESTID", "UNIQUEWORKERID", "STATUS", "DISPLAYID", "NINUMBER", "POSTCODE", "DOB",
    "GENDER", "ETHNICITY", "NATIONALITY", "BRITISHCITIZENSHIP", "COUNTRYOFBIRTH",
    "YEAROFENTRY", "DISABLED", "CARECERT", "L2CARECERT", "RECSOURCE", "HANDCVISA", "INOUTUK",
    "STARTDATE", "STARTINSECT", "DHA", "APPRENTICE", "EMPLSTATUS", "ZEROHRCONT", "DAYSSICK",
    "SALARYINT", "SALARY", "HOURLYRATE", "MAINJOBROLE", "MAINJRDESC", "CONTHOURS", "AVGHOURS",
    "NMCREG", "AMHP", "SCQUAL", "NONSCQUAL", "CWPCATEGORY", "QUALACH01", "QUALACH01NOTES",
    "QUALACH02", "QUALACH02NOTES", "QUALACH03", "QUALACH03NOTES",
)

#: Optional worker-file columns, allowed (in this order, either or both) straight after
#: UNIQUEWORKERID. We accept and ignore them: they move records inside ASC-WDS.
WORKER_OPTIONAL_HEADERS: tuple[str, ...] = ("CHGUNIQUEWRKID", "TRANSFERSTAFFRECORD")

assert len(WORKPLACE_HEADERS) == 44 and len(WORKER_HEADERS) == 44

# --- STATUS (both files) ---------------------------------------------------------------

#: Row STATUS values (case-insensitive). In ASC-WDS they say how a row changes the
#: stored record; our returns are whole snapshots, so DELETE means "not in this return"
#: and the others mean "in this return".
WORKPLACE_STATUSES = frozenset({"NEW", "UPDATE", "DELETE", "UNCHECKED", "NOCHANGE"})
#: The worker validator also accepts CHGSUB (the worker moved to this workplace).
WORKER_STATUSES = WORKPLACE_STATUSES | {"CHGSUB"}
DELETE = "DELETE"

# --- Workplace file --------------------------------------------------------------------

#: ESTTYPE, employer type. The ASC-WDS validator range-checks 1–8, but only these map to
#: a type (domain.md 2.1).
ESTTYPE: dict[int, str] = {
    1: "Local authority (adult services)",
    3: "Local authority (generic or other)",
    6: "Private sector",
    7: "Voluntary or charity",
    8: "Other",
}
ESTTYPE_OTHER = 8
#: ESTTYPE values of council-run workplaces.
LOCAL_AUTHORITY_ESTTYPES = frozenset({1, 3})

#: REGTYPE: whether the workplace is regulated by the Care Quality Commission.
REGTYPE: dict[int, str] = {0: "Not regulated by CQC", 2: "Regulated by CQC"}
REGTYPE_CQC = 2

#: MAINSERVICE / ALLSERVICES BUDI codes (= "AnalysisFileCode" in ASC-WDS migration
#: ``20260610123312-updateAnalysisFileCodeForServicesTable.js``; domain.md 2.1).
MAINSERVICE: dict[int, str] = {
    1: "Care home services with nursing",
    2: "Care home services without nursing",
    5: "Other adult residential care service",
    6: "Day care and day services",
    7: "Other adult day care service",
    8: "Domiciliary care services",
    10: "Domestic services and home help",
    12: "Other adult domiciliary care service",
    13: "Carers support",
    14: "Short breaks, respite care",
    15: "Community support and outreach",
    16: "Social work and care management",
    17: "Shared lives",
    18: "Disability adaptations, assistive technology",
    19: "Occupational, employment-related services",
    20: "Information and advice services",
    21: "Other adult community care service",
    52: "Other service (not healthcare)",
    53: "Sheltered housing",
    54: "Extra care housing services",
    55: "Supported living services",
    60: "Specialist college services",
    61: "Community based services for people with a learning disability",
    62: "Community based services for people with mental health needs",
    63: "Community based services for people who misuse substances",
    64: "Community healthcare services",
    66: "Hospice services",
    67: "Long-term conditions services",
    68: "Hospital services for people with mental health needs, learning disabilities or substance misuse",
    69: "Rehabilitation services",
    70: "Residential substance misuse treatment or rehabilitation",
    71: "Other service (healthcare)",
    72: "Head office services",
    73: "Live-in care",
    74: "Nurses agency",
    75: "Any children's or young people's service",
}
#: A head office may have no staff of its own (TOTALPERMTEMP 0) and needs no CQC location.
MAINSERVICE_HEAD_OFFICE = 72

#: PERMCQC / PERMLA (permission to share with CQC / the local authority): 0, 1 or blank.
SHARE_PERMISSION = frozenset({"", "0", "1"})

#: TOTALPERMTEMP and each STARTERS / LEAVERS / VACANCIES count: 0 to 999.
MAX_COUNT = 999

# --- Shared answers --------------------------------------------------------------------

#: "Don't know" in yes/no questions, in counts (STARTERS, LEAVERS, VACANCIES), hours,
#: STARTINSECT and SALARYINT. We store it as NULL, never as the number 999.
DONT_KNOW = 999

#: 1 yes, 2 no, 999 don't know: BRITISHCITIZENSHIP, HANDCVISA, INOUTUK, APPRENTICE,
#: ZEROHRCONT, AMHP and DHA in the worker file; DHA, OPTOUTPEN, SLEEPINS and SLEEPINPAY
#: in the workplace file.
YES_NO_DONT_KNOW: dict[int, str] = {1: "Yes", 2: "No", 999: "Don't know"}
YES, NO = 1, 2

# --- Worker file -----------------------------------------------------------------------

#: EMPLSTATUS, contract type (``backend/reference/contractType.js``). Also
#: :class:`carerecruit.reference.models.ContractType` (vacancies and placements).
EMPLSTATUS: dict[int, str] = {
    1: "Permanent",
    2: "Temporary",
    3: "Pool or bank",
    4: "Agency",
    7: "Other",
}
PERMANENT, TEMPORARY, POOL_BANK, AGENCY, OTHER_CONTRACT = 1, 2, 3, 4, 7
#: Directly employed staff: Skills for Care's turnover rates count these only.
DIRECTLY_EMPLOYED = frozenset({PERMANENT, TEMPORARY})

#: GENDER.
GENDER: dict[int, str] = {1: "Male", 2: "Female", 3: "Don't know", 4: "Other"}

#: ETHNICITY BUDI codes (mapping to ASC ethnicity ids 1–19). Validated, never stored.
ETHNICITY_CODES = frozenset(range(31, 48)) | {98, 99}

#: DISABLED.
DISABLED: dict[int, str] = {0: "No", 1: "Yes", 2: "Undisclosed", 3: "Don't know"}

#: CARECERT (Care Certificate).
CARECERT: dict[int, str] = {1: "Yes, completed", 2: "No", 3: "Yes, in progress or partially completed"}

#: RECSOURCE, where the worker was recruited from (``backend/reference/recruitment.js``).
RECSOURCE: dict[int, str] = {
    1: "Adult care sector: local authority",
    2: "Adult care sector: private or voluntary sector",
    5: "Health sector",
    7: "Other care sector",
    8: "Internal promotion, transfer or career development",
    10: "Not previously employed",
    12: "Agency",
    15: "Other",
    17: "Children's, young people's social care",
    18: "First job role after education",
}

#: SALARYINT, pay interval.
SALARYINT: dict[int, str] = {1: "Annually", 3: "Hourly", 999: "Don't know"}
SALARY_MIN, SALARY_MAX, SALARY_MAX_SENIOR_MANAGEMENT = 500, 200_000, 250_000
SENIOR_MANAGEMENT_ROLE = 1

#: NMCREG, Nursing and Midwifery Council register part.
NMCREG: dict[int, str] = {
    1: "Adult nurse",
    2: "Mental health nurse",
    3: "Learning disabilities nurse",
    4: "Children's nurse",
    5: "Enrolled nurse",
}

#: SCQUAL / NONSCQUAL level: BUDI 0–8 or 999 don't know (``indicator;level``).
QUALIFICATION_LEVELS = frozenset(range(0, 9)) | {999}

#: L2CARECERT ``code;year``: code 1–3.
L2CARECERT_CODES = frozenset({1, 2, 3})

#: CWPCATEGORY, the Care Workforce Pathway category.
CWPCATEGORY: dict[int, str] = {
    1: "New to care",
    2: "Care or support worker",
    3: "Enhanced care worker",
    4: "Supervisor or leader",
    5: "Practice leader",
    6: "Deputy manager",
    7: "Registered manager",
    998: "None of the above",
    999: "I do not know",
}

#: CONTHOURS / AVGHOURS: a number of hours in steps of 0.5, at most 75 (999 = don't know).
MAX_WEEKLY_HOURS = 75

#: Worker age limits on the return's as-at date (DOB), and the earliest working age.
MIN_AGE, MAX_AGE = 14, 100


def codes_phrase(codes) -> str:
    """``[1, 3, 6, 7, 8]`` → ``"1, 3, 6, 7 or 8"``: allowed codes in a message."""
    items = [str(c) for c in sorted(codes)]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"
