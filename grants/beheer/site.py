"""The Beheer admin site: for active users holding the admin role at one or more funders.

No `is_staff` or superuser flag is needed or given: the role is the permission, and it is held per
funder. Superusers keep /admin/; they enter Beheer only through an admin role of their own.
"""

from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants.accounts.views import LogoutView
from grants.exceptions import PermissionDeniedWithReason
from grants.rules import administered_funder_ids


class BeheerSite(admin.AdminSite):
    site_header = _("Grantdesk administration")
    site_title = _("Administration")
    index_title = _("Your funder's settings")

    def has_permission(self, request):
        return request.user.is_active and bool(administered_funder_ids(request.user))

    def admin_view(self, view, cacheable=False):
        """Refuse at once, rather than through Django's /beheer/login/ page in between."""
        checked = super().admin_view(view, cacheable)

        @wraps(checked)
        def refuse_or_view(request, *args, **kwargs):
            if not self.has_permission(request) and request.path != reverse(f"{self.name}:logout"):
                return self.refuse(request, request.get_full_path())
            return checked(request, *args, **kwargs)

        return refuse_or_view

    def login(self, request, extra_context=None):
        return self.refuse(request, request.GET.get("next") or reverse(f"{self.name}:index"))

    def refuse(self, request, next_url):
        """Signed out: the site's own sign-in page. Signed in without the role: a 403 that says why
        (the sign-in page would send a signed-in user straight back here: a loop)."""
        if request.user.is_authenticated:
            raise PermissionDeniedWithReason(gettext("Administration is for the administrators of a funder."))
        return redirect_to_login(next_url, settings.LOGIN_URL)

    def password_change(self, request, extra_context=None):
        # The site's own (Mijn account): the current password counts towards django-axes' lockout there,
        # and the change is audited. Django's admin form did neither.
        return redirect("accounts:password_change")

    def logout(self, request, extra_context=None):
        # The site's sign-out: it also forgets the language cookie, so a shared computer starts in Dutch.
        return LogoutView.as_view()(request)


site = BeheerSite(name="beheer")
