"""How the OpenAPI document (drf-spectacular) describes our token authentication.
Imported by :class:`carerecruit.api.apps.ApiConfig` so the extension is registered."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "carerecruit.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An organisation API token (crk_…), made by an admin at /staff/api-tokens/: "
                "Authorization: Bearer <token>. A token reads what a viewer of its "
                "organisation reads. Unknown or revoked tokens answer 401."
            ),
        }
