"""Reference figures loaded by migration.

Sources: ONS GSS codes from mySociety's uk_local_authority_names_and_codes register and the
DfE local authority lookup; ASC-WDS main job role (BUDI) codes from Skills for Care's
SopraSteria-SFC ``backend/reference/jobRoles.js`` (commit b6857156, Aug 2026). See
docs/reference-data.md.
"""

WEST_MIDLANDS = {"gss_code": "E12000005", "name": "West Midlands", "slug": "west-midlands"}

# (BUDI code, name, needs Social Work England registration, offered on public forms)
JOB_ROLES = [
    (1, "Senior management", False, True),
    (2, "Middle management", False, True),
    (3, "First-line manager", False, True),
    (4, "Registered manager", False, True),
    (5, "Supervisor", False, True),
    (6, "Social worker", True, True),
    (7, "Senior care worker", False, True),
    (8, "Care worker", False, True),
    (9, "Community support and outreach work", False, True),
    (10, "Employment support", False, True),
    (11, "Advice, guidance and advocacy", False, True),
    (15, "Occupational therapist", False, True),
    (16, "Registered nurse", False, True),
    (17, "Allied health professional (not occupational therapist)", False, True),
    (23, "Other job role directly involved in providing care", False, True),
    (24, "Managers and staff in care-related but not care-providing roles", False, False),
    (25, "Administrative or office staff not providing care", False, False),
    (26, "Ancillary staff not providing care", False, False),
    (27, "Other job role not directly involved in providing care", False, False),
    (34, "Activities worker or co-ordinator", False, True),
    (35, "Safeguarding and reviewing officer", False, True),
    (36, "Occupational therapist assistant", False, True),
    (37, "Nursing associate", False, True),
    (38, "Nursing assistant", False, True),
    (39, "Assessment officer", False, True),
    (40, "Care co-ordinator", False, True),
    (42, "Any children's or young people's job role", False, False),
    (43, "Deputy manager", False, True),
    (44, "Learning and development lead", False, False),
    (45, "Team leader", False, True),
    (46, "Data analyst", False, False),
    (47, "Data governance manager", False, False),
    (48, "IT and digital support", False, False),
    (49, "IT manager", False, False),
    (50, "IT service desk manager", False, False),
    (51, "Software developer", False, False),
    (52, "Support worker", False, True),
]

# The 14 West Midlands councils with adult social services responsibilities.
# (official name, short name, GSS code, council type, old LA number, mySociety code,
#  centroid lat, centroid long). County centroids are approximate (±5 km): see domain.md 1.2.
COUNCILS = [
    ("Birmingham City Council", "Birmingham", "E08000025", "metropolitan", 330, "BIR", "52.4885", "-1.8748"),
    ("Coventry City Council", "Coventry", "E08000026", "metropolitan", 331, "COV", "52.4169", "-1.5198"),
    ("Dudley Metropolitan Borough Council", "Dudley", "E08000027", "metropolitan", 332, "DUD", "52.4829", "-2.1087"),
    ("Herefordshire Council", "Herefordshire", "E06000019", "unitary", 884, "HEF", "52.1035", "-2.7450"),
    ("Sandwell Metropolitan Borough Council", "Sandwell", "E08000028", "metropolitan", 333, "SAW", "52.5154", "-2.0090"),
    ("Shropshire Council", "Shropshire", "E06000051", "unitary", 893, "SHR", "52.6349", "-2.7341"),
    ("Solihull Metropolitan Borough Council", "Solihull", "E08000029", "metropolitan", 334, "SOL", "52.4131", "-1.7271"),
    ("Staffordshire County Council", "Staffordshire", "E10000028", "county", 860, "STS", "52.851", "-2.033"),
    ("Stoke-on-Trent City Council", "Stoke-on-Trent", "E06000021", "unitary", 861, "STE", "53.0180", "-2.1645"),
    ("Telford & Wrekin Council", "Telford and Wrekin", "E06000020", "unitary", 894, "TFW", "52.7302", "-2.4888"),
    ("Walsall Metropolitan Borough Council", "Walsall", "E08000030", "metropolitan", 335, "WLL", "52.5993", "-1.9663"),
    ("Warwickshire County Council", "Warwickshire", "E10000031", "county", 937, "WAR", "52.300", "-1.560"),
    ("City of Wolverhampton Council", "Wolverhampton", "E08000031", "metropolitan", 336, "WLV", "52.5892", "-2.1210"),
    ("Worcestershire County Council", "Worcestershire", "E10000034", "county", 885, "WOR", "52.223", "-2.169"),
]

# Districts inside the three two-tier counties: ONSPD's oslaua gives these codes, and the
# adult social services council is the county (domain.md 1.3).
COUNTY_DISTRICTS = {
    "E10000028": [
        ("E07000192", "Cannock Chase"), ("E07000193", "East Staffordshire"),
        ("E07000194", "Lichfield"), ("E07000195", "Newcastle-under-Lyme"),
        ("E07000196", "South Staffordshire"), ("E07000197", "Stafford"),
        ("E07000198", "Staffordshire Moorlands"), ("E07000199", "Tamworth"),
    ],
    "E10000031": [
        ("E07000218", "North Warwickshire"), ("E07000219", "Nuneaton and Bedworth"),
        ("E07000220", "Rugby"), ("E07000221", "Stratford-on-Avon"), ("E07000222", "Warwick"),
    ],
    "E10000034": [
        ("E07000234", "Bromsgrove"), ("E07000235", "Malvern Hills"), ("E07000236", "Redditch"),
        ("E07000237", "Worcester"), ("E07000238", "Wychavon"), ("E07000239", "Wyre Forest"),
    ],
}

REGIONAL_BODY = {
    "name": "West Midlands Regional Employers",
    "short_name": "WM Regional Employers",
    "slug": "wm-regional-employers",
}
