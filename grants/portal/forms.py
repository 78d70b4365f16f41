"""The team's forms: answering, withdrawing, objecting, starting, reporting; the co-funder's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.fields import EuroField
from grants.models import Report
from grants.money import format_euro


def _text(label, help_text="", rows=5, required=True):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=10000,
    )


class AnswerForm(forms.Form):
    answer = _text(_("Your answer"), _("Answer the funder's question. Change the application first if asked to."))


class WithdrawForm(forms.Form):
    reason = _text(_("Why do you withdraw the application?"), rows=3)


class ObjectForm(forms.Form):
    grounds = _text(
        _("Grounds of your objection"),
        _("Say which decision you object to and why you think it is wrong."),
        rows=6,
    )


class StartForm(forms.Form):
    """No fields: starting is a deliberate click with CSRF."""


class PledgeConfirmForm(forms.Form):
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_(
            "For example the board's decision or a signed letter. PDF, Word, Excel, ODT, PNG or JPEG; at most 20 MB."
        ),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg"}),
    )


class PledgeWithdrawForm(forms.Form):
    reason = _text(_("Reason"), rows=3, required=False)


class ReportForm(forms.Form):
    results = _text(
        _("Results"),
        _("What did the project achieve? What did pupils and teachers learn, and what comes next?"),
        rows=8,
        required=False,
    )
    realised_cofunding = EuroField(
        label=_("Realised co-funding (€)"),
        help_text=_("What the co-funders actually contributed."),
        required=False,
    )

    attachment = forms.FileField(
        label=_("Attachment"),
        help_text=_("For example photos, pupils' work or a result. PDF, Word, Excel, ODT, PNG or JPEG; at most 20 MB."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args, report, budget_lines, **kwargs):
        super().__init__(*args, **kwargs)
        costs = {cost.budget_line_id: cost.actual_amount for cost in report.cost_lines.all()}
        self.cost_fields = []
        for line in budget_lines:
            name = f"cost_{line.pk}"
            self.fields[name] = EuroField(
                label=_("Actual costs: %(line)s") % {"line": line.description},
                help_text=_("Budgeted: %(amount)s") % {"amount": format_euro(line.amount)},
                required=False,
                initial=costs.get(line.pk),
            )
            self.cost_fields.append((line, name))
        self.fields["results"].initial = report.results
        self.fields["realised_cofunding"].initial = report.realised_cofunding
        # Saving a draft needs none of them, submitting does (`report_submit`): say so, not "optional".
        needed = ["results", *(name for _line, name in self.cost_fields)]
        if report.kind == Report.Kind.FINAL:
            needed.append("realised_cofunding")
        for name in needed:
            self.fields[name].needed_to_submit = True
        # Costs first, then co-funding and results: the order of the budget the team knows.
        self.order_fields([name for _line, name in self.cost_fields] + ["realised_cofunding", "results", "attachment"])

    def costs(self) -> dict:
        return {line.pk: self.cleaned_data.get(name) for line, name in self.cost_fields}

    def cost_bound_fields(self):
        return [self[name] for _line, name in self.cost_fields]
