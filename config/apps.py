from django.apps import AppConfig


class GrantdeskConfig(AppConfig):
    """The project's own configuration: no models, only the deployment checks (config/checks.py)."""

    name = "config"
    label = "grantdesk_config"
    verbose_name = "Grantdesk configuration"

    def ready(self):
        from . import checks  # noqa: F401 - registers them
