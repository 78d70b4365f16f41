"""Forms of the finance pages. They validate input; the actions decide."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.bic import BICFormField, validate_bic
from grants.fields import EuroField
from grants.models import Scheme
from grants.widgets import DateInput

from .services import clean_account_holder, normalise_iban


class BankDetailsForm(forms.Form):
    iban = forms.CharField(label=_("IBAN"), max_length=42, help_text=_("For example NL91 ABNA 0417 1643 00."))
    account_holder = forms.CharField(label=_("Account holder"), max_length=70)
    bic = BICFormField(
        label=_("BIC"),
        required=False,
        validators=[validate_bic],
        help_text=_(
            "Only for an account outside the EEA (Switzerland, the United Kingdom, Monaco, ...) whose bank "
            "is not found from the IBAN. Otherwise leave it empty: the BIC is found from the IBAN."
        ),
    )

    def clean_iban(self):
        iban, _bic = normalise_iban(self.cleaned_data["iban"])  # its ValidationError says what is wrong
        return iban

    def clean_account_holder(self):
        return clean_account_holder(self.cleaned_data["account_holder"])


class BatchBuildForm(forms.Form):
    due_before = forms.DateField(label=_("Payments due on or before"), widget=DateInput)
    execution_date = forms.DateField(label=_("Execution date at the bank"), widget=DateInput)
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.none(), required=False)

    def __init__(self, *args, funder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.filter(funder=funder)
        self.fields["scheme"].empty_label = _("All schemes")
        today = timezone.localdate()
        self.initial.setdefault("due_before", today)
        self.initial.setdefault("execution_date", today)


class MarkPaidForm(forms.Form):
    """One optional 'failed' reason per payment; empty means paid."""

    def __init__(self, *args, payments, **kwargs):
        super().__init__(*args, **kwargs)
        self.payments = payments
        for payment in payments:
            self.fields[f"failed_{payment.pk}"] = forms.CharField(
                label=_("Reason of failure for payment %(id)s") % {"id": payment.pk},
                required=False,
                max_length=300,
            )

    def failed(self) -> dict[int, str]:
        return {
            payment.pk: self.cleaned_data[f"failed_{payment.pk}"].strip()
            for payment in self.payments
            if self.cleaned_data.get(f"failed_{payment.pk}", "").strip()
        }


class ReportAssessForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Assessment"),
        choices=[("accept", _("Accept the report")), ("return", _("Return to the team"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment to the team"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Tell the team what to improve in the report."))
        return cleaned


class SettlementForm(forms.Form):
    realised_cofunding = EuroField(label=_("Realised co-funding (€)"))
    reasons = forms.CharField(
        label=_("Explanation in the letter"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        costs = {cost.budget_line_id: cost for cost in report.cost_lines.all()}
        for line in report.application.budget_lines.all():
            cost = costs.get(line.pk)
            actual = cost.actual_amount if cost else Decimal("0.00")
            eligible = cost.eligible_amount if cost and cost.eligible_amount is not None else actual
            name = f"eligible_{line.pk}"
            self.fields[name] = EuroField(
                label=_("Eligible costs: %(line)s") % {"line": line}, max_value=actual, initial=eligible
            )
            self.lines.append((line, actual, name))
        self.fields["realised_cofunding"].initial = report.realised_cofunding or Decimal("0.00")

    def eligible(self) -> dict[int, Decimal]:
        return {line.pk: self.cleaned_data[name] for line, _actual, name in self.lines}

    def bound_lines(self):
        return [(line, actual, self[name]) for line, actual, name in self.lines]
