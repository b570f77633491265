from django.conf import settings


def site(request):
    """Site-wide template values: the service name and contact address."""
    return {
        "site_name": settings.CARERECRUIT_SITE_NAME,
        "site_contact_email": settings.CARERECRUIT_CONTACT_EMAIL,
    }
