"""The scheme form of /admin/ and Beheer: lists, amounts and dates as an administrator types them.

The model keeps school types, tracks and learning areas as JSON lists; an administrator of a
municipality ticks school types and writes one track or learning area a line, instead of editing
`["bo", "sbo"]`. Amounts are `EuroField`s ("250.000" is two hundred and fifty thousand in Dutch).
"""

from django import forms
from django.core import validators
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .fields import EuroField
from .models import Scheme, SchoolType


class LinesField(forms.CharField):
    """A list of short texts, one a line; empty lines and surrounding spaces are dropped.

    `line_length`: the most a line may hold (a track or learning area is a short name that teams
    choose from a list).
    """

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, line_length=None, **kwargs):
        self.line_length = line_length
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        # CharField's own check for NUL runs on the cleaned value, here a list, whose repr hides "\x00";
        # PostgreSQL refuses it in JSON text, so it is checked on what was typed.
        validators.ProhibitNullCharactersValidator()(text)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
        super().validate(value)
        too_long = [line for line in value if self.line_length and len(line) > self.line_length]
        if too_long:
            raise forms.ValidationError(
                _("A line may be at most %(limit)s characters long; this one has %(length)s: “%(start)s…”."),
                code="line_length",
                params={"limit": self.line_length, "length": len(too_long[0]), "start": too_long[0][:40]},
            )


OPTION_MAX_LENGTH = 100
ONE_A_LINE = _("One a line; a team chooses one when it applies.")


class SchemeAdminForm(forms.ModelForm):
    eligible_school_types = forms.MultipleChoiceField(
        label=capfirst(_("eligible school types")), choices=SchoolType.choices, widget=forms.CheckboxSelectMultiple
    )
    tracks = LinesField(
        label=capfirst(_("tracks")),
        required=False,
        help_text=ONE_A_LINE,
        line_length=OPTION_MAX_LENGTH,
    )
    learning_areas = LinesField(
        label=capfirst(_("learning areas")),
        required=False,
        help_text=ONE_A_LINE,
        line_length=OPTION_MAX_LENGTH,
    )
    budget_ceiling = EuroField(label=capfirst(_("budget ceiling")))
    max_per_application = EuroField(label=capfirst(_("maximum per application")))

    class Meta:
        model = Scheme
        # The admin's fieldsets say which fields the form has; these are the ones this form shapes.
        fields = ["eligible_school_types", "tracks", "learning_areas", "budget_ceiling", "max_per_application"]
        help_texts = {
            "closes_on": _(
                "Teams submit until this day. A day in the past closes the scheme at once: drafts can no "
                "longer be submitted."
            ),
        }
