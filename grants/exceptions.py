"""Refusals of a whole page whose reason the error page shows (config/errors.py)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class ReasonForReader:
    """The exception's message was written, and translated, for the reader: 403.html and 404.html show it.

    Any other Http404 or PermissionDenied gets the pages' general text, because its message is
    Django's ("No Application matches the given query.", a URL resolver's dictionary): technical,
    English, and naming models the reader does not know.
    """


class NotFoundWithReason(ReasonForReader, Http404):
    pass


class PermissionDeniedWithReason(ReasonForReader, PermissionDenied):
    pass
