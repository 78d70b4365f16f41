from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        # Not named rules.py: run from this folder (makemessages), it would shadow the `rules` package.
        from . import beheer, permissions  # noqa: F401 - the letter permissions; letter texts in Beheer
