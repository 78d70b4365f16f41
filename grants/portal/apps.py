from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The team's side after submission: its applications, their pages and actions; co-funder links."""

    name = "grants.portal"
    label = "portal"
    default_auto_field = "django.db.models.BigAutoField"
