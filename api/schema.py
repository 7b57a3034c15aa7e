"""How drf-spectacular documents what it cannot see by itself: the Bearer token scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from your API tokens page (/account/tokens/).",
        }


ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# What any operation may answer besides its own documented codes.
COMMON_ERRORS = {
    "400": ("The request breaks a rule; the body names the field or the rule.", {"type": "object"}),
    "401": ("No valid token or session.", ERROR),
    "403": ("Your role or the evaluation's state does not allow this.", ERROR),
    "404": ("No such object, or not one you may see (another team's evaluation).", ERROR),
    "429": ("Too many requests for this token; wait and retry.", ERROR),
}


# The largest id a database column holds (bpo_select.middleware.MAX_ID).
MAX_ID = 2**63 - 1


def add_common_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the common error answers,
    and path ids are what the URL patterns accept (positive, within a database column)."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["schema"].get("type") == "integer":
                    parameter["schema"] |= {"minimum": 1, "maximum": MAX_ID}
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in COMMON_ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": schema}},
                    },
                )
    return result
