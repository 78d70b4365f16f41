from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in, password reset, team invitations and the active team."""

    name = "grants.accounts"
    label = "accounts"
    verbose_name = _("Invitations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Not named rules.py: run from this folder (makemessages), that name would shadow django-rules.
        from django.contrib import admin

        from . import permissions  # noqa: F401
        from .forms import AdminLoginForm

        admin.site.login_form = AdminLoginForm
