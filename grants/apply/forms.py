"""The editor's forms: each step binds what was posted, so an error never loses input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants import uploads
from grants.fields import EuroField
from grants.models import Application, BudgetLine, Organisation, add_months, validate_project_date
from grants.models.applications import EARLIEST_PROJECT_DATE, LATEST_PROJECT_DATE
from grants.widgets import DateInput, SearchableCheckboxes

from . import selectors


def project_date_field(label) -> forms.DateField:
    """A project date within the years validate_project_date allows; the browser's date picker knows them too."""
    widget = DateInput(attrs={"min": EARLIEST_PROJECT_DATE.isoformat(), "max": LATEST_PROJECT_DATE.isoformat()})
    return forms.DateField(label=label, required=False, widget=widget, validators=[validate_project_date])


# Not required to save a draft, but to submit (`Application.completeness_problems`): labelled
# "needed to submit" instead of "optional" (templates/forms/_requirement.html).
PLAN_NEEDED_TO_SUBMIT = ("title", "summary", "goals", "project_start", "project_end")


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title of your project"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=_("In a few sentences: what will the team do, with whom, for which pupils?"),
    )
    goals = forms.CharField(
        label=_("Goals"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=_("What will be different for pupils and teachers when the project is done?"),
    )
    track = forms.CharField(label=_("Track"), max_length=100, required=False)
    learning_area = forms.CharField(label=_("Learning area"), max_length=100, required=False)
    project_start = project_date_field(_("Project start"))
    project_end = project_date_field(_("Project end"))

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        if scheme.tracks:
            self.fields["track"] = forms.ChoiceField(
                label=_("Track"),
                required=False,
                choices=[("", _("Choose a track")), *[(t, t) for t in scheme.tracks]],
            )
        if scheme.learning_areas:
            self.fields["learning_area"] = forms.ChoiceField(
                label=_("Learning area"),
                required=False,
                choices=[("", _("Choose a learning area")), *[(a, a) for a in scheme.learning_areas]],
            )
        for name in (*PLAN_NEEDED_TO_SUBMIT, *(("track",) if scheme.tracks else ())):
            self.fields[name].needed_to_submit = True
        self.fields["project_end"].help_text = _("A project in this scheme may last at most %(months)s months.") % {
            "months": scheme.max_project_months
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("project_start"), data.get("project_end")
        if start and end:
            if end <= start:
                self.add_error("project_end", _("The end date must be after the start date."))
            elif add_months(start, self.scheme.max_project_months) < end:
                self.add_error(
                    "project_end",
                    _("A project in this scheme may last at most %(months)s months.")
                    % {"months": self.scheme.max_project_months},
                )
        return data

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        return {name: getattr(application, name) for name in cls.base_fields}


class OrganisationChoiceField(forms.ModelMultipleChoiceField):
    widget = SearchableCheckboxes(search_label=_("Search by name or place"))

    def label_from_instance(self, obj):
        details = [d for d in (obj.get_school_type_display() if obj.school_type else "", obj.brin, obj.city) if d]
        return f"{obj.name} ({', '.join(details)})" if details else obj.name


class PartiesForm(forms.Form):
    schools = OrganisationChoiceField(
        label=_("Participating schools"),
        queryset=None,
        required=False,
        widget=SearchableCheckboxes(search_label=_("Search by name, place or BRIN code")),
    )
    school_brin = forms.CharField(
        label=_("Add another school by its BRIN code"),
        required=False,
        max_length=6,
        help_text=_("Four characters, such as 12AB. Ask your school's administration if you are unsure."),
    )
    cultural_providers = OrganisationChoiceField(label=_("Cultural providers"), queryset=None, required=False)
    partners = OrganisationChoiceField(label=_("Educational partners"), queryset=None, required=False)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = selectors.known_schools(application)
        # A draft saves without one, but submitting needs a school (`completeness_problems`): not "optional".
        self.fields["schools"].needed_to_submit = True
        self.fields["cultural_providers"].queryset = selectors.partner_choices(Organisation.Kind.CULTURAL_PROVIDER)
        self.fields["partners"].queryset = selectors.partner_choices(Organisation.Kind.PARTNER)

    def clean_school_brin(self):
        brin = self.cleaned_data["school_brin"].strip().upper()
        if not brin:
            return None
        schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
        school = schools.filter(brin=brin).first() or schools.filter(brin__startswith=brin[:4]).order_by("brin").first()
        if school is None:
            raise forms.ValidationError(_("We know no school with BRIN code %(brin)s.") % {"brin": brin})
        return school

    def chosen_schools(self) -> list:
        schools = list(self.cleaned_data["schools"])
        extra = self.cleaned_data.get("school_brin")
        if extra is not None and extra not in schools:
            schools.append(extra)
        return schools

    def chosen_partners(self) -> list:
        return [*self.cleaned_data["cultural_providers"], *self.cleaned_data["partners"]]

    @staticmethod
    def initial_for(application: Application) -> dict:
        partners = list(application.partners.all())
        return {
            "schools": list(application.schools.all()),
            "cultural_providers": [p for p in partners if p.kind == Organisation.Kind.CULTURAL_PROVIDER],
            "partners": [p for p in partners if p.kind != Organisation.Kind.CULTURAL_PROVIDER],
        }


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Choose a category")), *BudgetLine.Category.choices]
    )
    description = forms.CharField(label=_("Description"), max_length=200)
    amount = EuroField(label=_("Amount (€)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["data-budget-amount"] = ""


class BaseRowFormSet(forms.BaseFormSet):
    """Rows left empty are skipped; rows marked for deletion are not validated."""

    def rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]


BudgetFormSet = forms.formset_factory(
    BudgetLineForm, formset=BaseRowFormSet, extra=1, can_delete=True, max_num=100, validate_max=True
)


class PledgeForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    cofunder = forms.ModelChoiceField(label=_("Co-funder"), queryset=None, empty_label=_("Choose an organisation"))
    amount = EuroField(label=_("Amount (€)"), positive=True)
    contact_email = forms.EmailField(
        label=_("Co-funder's contact e-mail"),
        required=False,
        max_length=254,  # what CoFundingPledge.contact_email holds (a form's own default is 320)
        help_text=_("The co-funder confirms the pledge through a personal link sent to this address."),
    )
    evidence = forms.ModelChoiceField(
        label=_("Evidence"),
        queryset=None,
        required=False,
        empty_label=_("No evidence yet"),
        help_text=_("A letter or e-mail of the co-funder, uploaded under Attachments."),
    )

    def __init__(self, *args, application, choices=None, team_emails=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team_emails = team_emails
        self.fields["cofunder"].queryset = selectors.cofunder_choices()
        self.fields["evidence"].queryset = application.attachments.order_by("pk")
        self.fields["evidence"].label_from_instance = lambda a: a.original_name
        self.fields["amount"].widget.attrs["data-pledge-amount"] = ""
        # Rows share one list of options, read once (`shared_choices`), not one query per row.
        for name, options in (choices or {}).items():
            self.fields[name].choices = options

    def clean_contact_email(self):
        email = self.cleaned_data["contact_email"]
        if email and email.lower() in self.team_emails:
            raise forms.ValidationError(selectors.TEAM_ADDRESS_REFUSED)
        return email

    @classmethod
    def shared_choices(cls, application) -> dict:
        probe = cls(application=application)
        return {name: list(probe.fields[name].choices) for name in ("cofunder", "evidence")}


class BasePledgeFormSet(BaseRowFormSet):
    def pledges(self) -> list[dict]:
        """Every filled-in row; a row marked for deletion only by its id."""
        result = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if self._should_delete_form(form):
                if data.get("id"):
                    result.append({"id": data["id"], "delete": True})
            elif data:
                result.append({**data, "delete": False})
        return result


PledgeFormSet = forms.formset_factory(
    PledgeForm, formset=BasePledgeFormSet, extra=1, can_delete=True, max_num=50, validate_max=True
)


def pledge_initial(pledge) -> dict:
    return {
        "id": pledge.pk,
        "cofunder": pledge.cofunder_id,
        "amount": pledge.amount,
        "contact_email": pledge.contact_email,
        "evidence": pledge.evidence_id,
    }


class AttachmentForm(forms.Form):
    description = forms.CharField(
        label=_("What is this file?"),
        max_length=200,
        required=False,
        help_text=_("For example: letter of support from the school board."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT), PNG or JPEG; at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
        error_messages={"required": _("Choose a file to upload.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.kind = uploads.detect_kind(upload)
        except uploads.UploadRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return upload
