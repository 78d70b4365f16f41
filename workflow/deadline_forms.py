"""Forms of the deadline pages. They only bind input; the actions decide what is allowed."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.fields import EuroField
from grants.models import validate_project_date
from grants.widgets import DateInput

from .workbench.uploads import validate_upload


def reasons_field(label=None, required=True):
    label = label or _("Reasons")
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ExtendTermForm(forms.Form):
    weeks = forms.IntegerField(label=_("Extend by (weeks)"), min_value=1, max_value=52, initial=4)
    reasons = reasons_field(_("Reason for the extension (in the letter)"))


class ConfirmForm(forms.Form):
    """A confirmation with nothing to fill in."""


class SettleWithoutReportForm(forms.Form):
    amount = EuroField(label=_("Settled amount (€)"), initial=Decimal("0.00"))
    reasons = reasons_field(_("Why the grant is settled without a final report"))


class ReasonsForm(forms.Form):
    reasons = reasons_field()


class OptionalReasonsForm(forms.Form):
    reasons = reasons_field(_("Reasons (leave empty to use the prepared reasons)"), required=False)


class RecommendationForm(forms.Form):
    recommendation = forms.TypedChoiceField(
        label=_("Recommendation"),
        choices=[("grant", _("Grant the extension")), ("deny", _("Refuse the extension"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "grant",
    )
    reasons = reasons_field(_("Motivation of the recommendation"))


class ExtensionDecisionForm(forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant the extension")), ("deny", _("Refuse the extension"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "grant",
    )
    reasons = reasons_field(_("Reasons (leave empty to use the prepared reasons)"), required=False)


class ObjectionDecisionForm(forms.Form):
    outcome = forms.TypedChoiceField(
        label=_("Outcome"),
        choices=[("uphold", _("Uphold the decision (objection unfounded)")), ("overturn", _("Overturn the decision"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "overturn",
    )
    amount = EuroField(
        label=_("New amount (€)"),
        help_text=_(
            "Needed to overturn an objection against an award (the higher award, at most the requested amount) "
            "or a settlement (the higher settled amount, at most the award). For a rejection overturned into "
            "an award: the amount awarded (empty: the requested amount)."
        ),
        required=False,
        positive=True,
    )
    reasons = reasons_field()


class ExtensionRequestForm(forms.Form):
    new_end_date = forms.DateField(label=_("New end date"), widget=DateInput, validators=[validate_project_date])
    motivation = forms.CharField(
        label=_("Motivation: what has the project achieved, and why does it need more time?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
    )
    extra_amount = EuroField(label=_("Extra budget (€)"), required=False, initial=Decimal("0.00"))


class RegisterObjectionForm(forms.Form):
    """An objection that came by post or e-mail, registered by an officer (`application_object`)."""

    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    objector = forms.CharField(
        label=_("Objected by"),
        max_length=200,
        help_text=_("As the letter names them: the team, a school board, someone else."),
    )
    objector_email = forms.EmailField(
        label=_("Objector's e-mail address (optional)"),
        required=False,
        max_length=254,  # what Objection.objector_email holds (a form's own default is 320)
        help_text=_(
            "When someone other than the team objected: the acknowledgement and any postponement go there, "
            "with a copy to the team. Empty: to the team's contact person."
        ),
    )
    grounds = reasons_field(_("Grounds of the objection"))
    letter = forms.FileField(
        label=_("Scanned letter (optional)"),
        required=False,
        help_text=_("A signed letter or e-mail as PDF, PNG, JPEG, DOCX, XLSX or ODT; at most 20 MB."),
    )

    def clean_letter(self):
        upload = self.cleaned_data.get("letter")
        if upload:
            validate_upload(upload)
        return upload
