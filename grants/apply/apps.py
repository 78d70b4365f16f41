from django.apps import AppConfig


class ApplyConfig(AppConfig):
    """The applicant's side before submission: open schemes, the application editor, attachments."""

    name = "grants.apply"
    label = "apply"
    default_auto_field = "django.db.models.BigAutoField"
