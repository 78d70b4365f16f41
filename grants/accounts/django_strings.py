"""Django strings whose Dutch translation Django itself lacks; makemessages finds them here.

Django 5.2's MinimumLengthValidator changed its msgid to `%d`, and its Dutch catalogue
still has only the older `%(min_length)d` text, so new colleagues read the error in English.
"""

from django.utils.translation import ngettext


def _django_strings() -> None:  # never called
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        0,
    )
