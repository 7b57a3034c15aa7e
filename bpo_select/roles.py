"""Who may do what: the four roles of PRODUCT.md as Django groups, and the checks views share."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class Role:
    ANALYST = "Analyst"
    MANAGER = "Manager"
    VENDOR_ADMIN = "Vendor admin"
    # A vendor's own staff: confined to the portal (sourcing.access, bpo_select.middleware).
    VENDOR_CONTACT = "Vendor contact"

    ALL = (ANALYST, MANAGER, VENDOR_ADMIN, VENDOR_CONTACT)


def roles_of(user) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_bpo_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=Role.ALL).values_list("name", flat=True))
        user._bpo_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return user.is_superuser or bool(roles_of(user) & set(roles))


def is_vendor_contact(user) -> bool:
    """Vendor contacts see only the portal; a superuser is never confined."""
    return user.is_authenticated and not user.is_superuser and Role.VENDOR_CONTACT in roles_of(user)


def role_required(*roles: str) -> Callable:
    """Allow the view to users holding one of `roles` (or superusers); others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied("Your role does not allow this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def role_label(user) -> str:
    if user.is_superuser:
        return "Superuser"
    return ", ".join(sorted(roles_of(user))) or "No role"


def role_context(request: HttpRequest) -> dict:
    # No user yet when an error page renders before AuthenticationMiddleware (a foreign Host: 400).
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "role_label": role_label(user),
        "is_analyst": has_role(user, Role.ANALYST),
        "is_manager": has_role(user, Role.MANAGER),
        "is_vendor_admin": has_role(user, Role.VENDOR_ADMIN),
        "is_vendor_contact": is_vendor_contact(user),
    }
