"""Reference data shared by every region: ONS regions and ASC-WDS job roles."""

from django.db import models


class Region(models.Model):
    """An English region, identified by its ONS GSS code (e.g. ``E12000005`` West Midlands).

    A deployment serves one region (``settings.CARERECRUIT_REGION_CODE``); a second region
    is another row and another setting, not a fork of the code.
    """

    gss_code = models.CharField("ONS GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobRole(models.Model):
    """A job role in the ASC-WDS vocabulary.

    ``code`` is the ASC-WDS bulk-upload ("BUDI") MAINJOBROLE code from Skills for Care's
    ``backend/reference/jobRoles.js``, so our vacancies and placements line up with
    ASC-WDS returns.
    """

    code = models.PositiveSmallIntegerField("ASC-WDS main job role code", unique=True)
    name = models.CharField(max_length=120)
    # Roles that need Social Work England registration (Social Workers Regulations 2018).
    needs_swe_registration = models.BooleanField(default=False)
    # Shown on public forms; back-office roles (IT, data) stay available for vacancies.
    offered_on_forms = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContractType(models.IntegerChoices):
    """ASC-WDS contract type codes: the worker file's EMPLSTATUS (Skills for Care
    SopraSteria-SFC ``backend/reference/contractType.js``; domain.md 2.2). The one
    definition for vacancies, placements and the workforce import
    (:data:`carerecruit.workforce.codes.EMPLSTATUS` holds the same codes as a dict)."""

    PERMANENT = 1, "Permanent"
    TEMPORARY = 2, "Temporary"
    POOL_BANK = 3, "Pool or bank"
    AGENCY = 4, "Agency"
    OTHER = 7, "Other"
