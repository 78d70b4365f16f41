"""Forms of the letters' pages. They validate input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LetterCorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The new version of the letter states this reason."),
        error_messages={"required": _("Give the reason for the correction.")},
    )
