"""The Django admin, answering 403 (not a login page) to signed-in users without admin rights."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied


class BpoAdminSite(admin.AdminSite):
    site_header = "BPO Select administration"
    site_title = "BPO Select admin"
    index_title = "Curate the vendor market"

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("Your role has no access to the admin.")
            return inner(request, *args, **kwargs)

        return guarded


class BpoAdminConfig(AdminConfig):
    default_site = "bpo_select.admin.BpoAdminSite"
