"""Checking a BIC (ISO 9362), the way the SEPA schema does.

pain.001.001.03 accepts a BIC only as ``[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?``: bank code
and country (six letters), location (no 0 or 1 first, no O second) and an optional branch. A BIC
the schema refuses makes the bank reject the whole payment file, so every place a BIC is entered
checks it with this pattern, and the export checks what was stored before it locks a batch.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

BIC_PATTERN = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?")
WHITESPACE = re.compile(r"\s+")


def normalise_bic(value) -> str:
    """What a person typed, without spaces and in upper case ("abna nl 2a" is ABNANL2A)."""
    return WHITESPACE.sub("", str(value or "")).upper()


def is_valid_bic(value: str) -> bool:
    return bool(BIC_PATTERN.fullmatch(value or ""))


def validate_bic(value: str) -> None:
    if value and not is_valid_bic(value):
        raise ValidationError(
            _("This is not a valid BIC: a BIC has 8 or 11 letters and digits, such as ABNANL2A."),
            code="invalid_bic",
        )


class BICFormField(forms.CharField):
    def to_python(self, value):
        return normalise_bic(super().to_python(value))


class BICField(models.CharField):
    """A BIC, stored normalised (model validation upper-cases it) and checked against the SEPA pattern."""

    default_validators = [validate_bic]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalise_bic(super().to_python(value))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": BICFormField, **kwargs})
