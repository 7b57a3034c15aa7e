"""Every named URL of the project, with its path converters filled in from a fixture world.

Shared by the access matrix and the CSRF sweep so that both walk the same, complete list.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

ADMIN_NAMESPACE = "admin"
# The Django admin's own URLs are Django's; a representative set is tested instead of all of them.
ADMIN_SAMPLE = ["admin:index", "admin:vendors_vendor_changelist", "admin:vendors_vendor_add"]


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    template: str  # "evaluations/<int:pk>/ranking/"
    converters: tuple[str, ...]  # the keyword names, e.g. ("pk", "vendor_pk")

    def path(self, **values) -> str:
        return "/" + _fill(self.template, values)


def _fill(template: str, values: dict) -> str:
    out = template
    for key, value in values.items():
        for kind in ("int", "str", "slug", "path", "uuid"):
            out = out.replace(f"<{kind}:{key}>", str(value))
    return out


def project_routes() -> list[Route]:
    """Every named pattern outside the admin, walked recursively from the root URLconf."""
    routes = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or ""
                if ns == ADMIN_NAMESPACE:
                    continue
                full_ns = f"{namespace}:{ns}".strip(":") if ns else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
            elif isinstance(entry, URLPattern):
                if not entry.name:
                    raise AssertionError(f"Unnamed URL pattern {prefix}{entry.pattern}: name it.")
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                routes.append(
                    Route(name, prefix + str(entry.pattern), tuple(entry.pattern.converters))
                )

    walk(get_resolver().url_patterns, "", "")
    return routes


ADMIN_ACTIONS = ("changelist", "add", "change", "delete")


@dataclass(frozen=True)
class AdminRoute:
    name: str  # "admin:vendors_quote_change"
    model: type
    action: str  # one of ADMIN_ACTIONS

    def url(self, obj) -> str:
        from django.urls import reverse

        if self.action in ("change", "delete"):
            return reverse(self.name, args=[obj.pk])
        return reverse(self.name)


def admin_routes() -> list[AdminRoute]:
    """The changelist, add, change and delete page of every model registered in the admin."""
    from django.contrib import admin

    return [
        AdminRoute(f"admin:{m._meta.app_label}_{m._meta.model_name}_{action}", m, action)
        for m in admin.site._registry
        for action in ADMIN_ACTIONS
    ]
