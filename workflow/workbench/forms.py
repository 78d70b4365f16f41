"""Forms of the staff workbench. They bind and validate input; the actions decide."""

import datetime
import re

from django import forms
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from grants.fields import EuroField
from grants.models import Organisation, SchoolType, Team, User
from grants.selectors import reviewer_pool
from grants.widgets import DateInput
from workflow.actions.bulk import BULK_ACTIONS
from workflow.labels import audit_action_choices, event_action_label
from workflow.states import ApplicationStatus, DecisionKind

from .uploads import validate_upload

# A filter value from an old bookmark (another funder's scheme, a region no school has any more).
UNKNOWN_FILTER = {"invalid_choice": _("“%(value)s” is not one of the choices (any more), so this filter is left out.")}


def valid_data(form: forms.Form) -> dict:
    """The values of the filter fields that are valid.

    Filters are independent: one value the form does not know leaves out only its own filter, and
    the form shows that field's error; the search and the other filters still apply.
    """
    if not form.is_bound:
        return {}
    form.is_valid()  # cleaned_data keeps the valid fields; errors hold the others
    return form.cleaned_data


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Reference, title or team"))
    scheme = forms.ChoiceField(label=_("Scheme"), required=False, error_messages=UNKNOWN_FILTER)
    status = forms.ChoiceField(label=_("Status"), required=False, error_messages=UNKNOWN_FILTER)
    school_type = forms.ChoiceField(label=_("School type"), required=False, error_messages=UNKNOWN_FILTER)
    region = forms.ChoiceField(label=_("Region"), required=False, error_messages=UNKNOWN_FILTER)
    track = forms.ChoiceField(label=_("Track"), required=False, error_messages=UNKNOWN_FILTER)

    def __init__(self, *args, schemes, regions, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["scheme"].choices = everything + [(str(s.pk), s.name) for s in schemes]
        self.fields["status"].choices = everything + [
            c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT
        ]
        self.fields["school_type"].choices = everything + list(SchoolType.choices)
        self.fields["region"].choices = everything + [(r, r) for r in regions]
        tracks = sorted({track for s in schemes for track in s.tracks})
        self.fields["track"].choices = everything + [(t, t) for t in tracks]

    def filter(self, applications):
        data = valid_data(self)
        if data.get("q"):
            q = data["q"].strip()
            # Team ids first: a condition on the joined team table would keep PostgreSQL from
            # combining the trigram indexes (workflow migration 0003) in one bitmap scan.
            teams = list(Team.objects.filter(name__icontains=q).values_list("pk", flat=True))
            applications = applications.filter(Q(reference__icontains=q) | Q(title__icontains=q) | Q(team_id__in=teams))
        if data.get("scheme"):
            applications = applications.filter(scheme_id=data["scheme"])
        if data.get("status"):
            applications = applications.filter(status=data["status"])
        if data.get("track"):
            applications = applications.filter(track=data["track"])
        school_filter = {}
        if data.get("school_type"):
            school_filter["school_type"] = data["school_type"]
        if data.get("region"):
            school_filter["region"] = data["region"]
        if school_filter:
            schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, **school_filter)
            applications = applications.filter(
                pk__in=Organisation.applications.through.objects.filter(organisation__in=schools).values(
                    "application_id"
                )
            )
        return applications


CHECKLIST = (
    ("complete", _("The application is complete (plan, budget, schools).")),
    ("school_types", _("Every participating school has an eligible school type.")),
    ("within_maximum", _("The requested amount is within the scheme's maximum.")),
    ("cofunding", _("The co-funding pledged meets the scheme's ratio.")),
    ("activities", _("The activities fit the scheme's aims and track.")),
)


class EligibilityForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CHECKLIST:
            self.fields[name] = forms.BooleanField(label=label, required=True)

    def checklist(self) -> dict:
        return {name: bool(self.cleaned_data.get(name)) for name, _label in CHECKLIST}


class RequestInfoForm(forms.Form):
    message = forms.CharField(label=_("What is missing"), widget=forms.Textarea(attrs={"rows": 4}))
    due_date = forms.DateField(label=_("Answer before"), widget=DateInput)

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        if application is not None and not self.is_bound:
            days = application.scheme.information_term_days
            self.initial["due_date"] = timezone.localdate() + datetime.timedelta(days=days)


class ReasonsForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class AssignReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none())

    def __init__(self, *args, funder, application, **kwargs):
        super().__init__(*args, **kwargs)
        pool = reviewer_pool(funder)
        self.fields["reviewer"].queryset = pool
        # Offered: the reviewers not yet on this application. Accepted: the whole pool, so that a stale page
        # posting someone already assigned hears the action's own reason rather than "not a valid choice".
        unassigned = pool.exclude(reviews__application=application)
        self.fields["reviewer"].choices = [("", "---------"), *((user.pk, str(user)) for user in unassigned)]


class ExtendTermForm(forms.Form):
    weeks = forms.IntegerField(label=_("Extend by (weeks)"), min_value=1, max_value=52)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmPledgeForm(forms.Form):
    evidence = forms.FileField(
        label=_("Evidence of the co-funder's commitment"),
        required=False,
        help_text=_("A signed letter or e-mail as PDF, PNG, JPEG, DOCX, XLSX or ODT; at most 20 MB."),
    )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            validate_upload(upload)
        return upload


class PrepareDecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (DecisionKind.AWARD, _("Award")),
            (DecisionKind.REJECTION, _("Reject")),
            (DecisionKind.CEILING_REJECTION, _("Reject: the budget ceiling is spent (Awb 4:25)")),
        ],
        widget=forms.RadioSelect,
    )
    amount = EuroField(label=_("Amount to award (€)"), required=False)
    conditions = forms.CharField(
        label=_("Conditions and obligations"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Describe the conflict of interest"), widget=forms.Textarea(attrs={"rows": 3}))


class ScoreForm(forms.Form):
    recommendation = forms.ChoiceField(label=_("Recommendation"), required=False)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, review, criteria, **kwargs):
        from grants.models import Review

        super().__init__(*args, **kwargs)
        self.criteria = criteria
        existing = {score.criterion_id: score.score for score in review.scores.all()}
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.max_score,
                required=False,
                help_text=_("0 to %(max)s · weight %(weight)s")
                % {"max": criterion.max_score, "weight": formats.localize(criterion.weight)},
                initial=existing.get(criterion.pk),
            )
        self.fields["recommendation"].choices = [("", "—"), *Review.Recommendation.choices]
        self.initial.setdefault("recommendation", review.recommendation)
        self.initial.setdefault("comment", review.comment)

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"criterion_{c.pk}") for c in self.criteria}

    def criterion_fields(self):
        return [self[f"criterion_{c.pk}"] for c in self.criteria]


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=list(BULK_ACTIONS.items()), error_messages={"required": _("Choose an action.")}
    )
    applications = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Applications"),
        error_messages={"required": _("Tick at least one application in the list.")},
    )
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none(), required=False)
    message = forms.CharField(label=_("What is missing"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due_date = forms.DateField(label=_("Answer before"), widget=DateInput, required=False)

    def __init__(self, *args, funder, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["reviewer"].queryset = reviewer_pool(funder)


AUDIT_CODE = re.compile(r"[a-z0-9_.]{1,60}")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor (e-mail)"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False, error_messages=UNKNOWN_FILTER)
    application = forms.CharField(label=_("Application reference"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def __init__(self, data=None, *args, **kwargs):
        choices = audit_action_choices()
        if data is not None and data.get("action"):
            # A bookmark from when the code was typed: " request_info" still filters, and a code
            # no label knows (an event of an older version) is offered as itself.
            data = data.copy()
            data["action"] = code = data["action"].strip().lower()
            if AUDIT_CODE.fullmatch(code) and code not in dict(choices):
                choices.append((code, event_action_label(code)))
        super().__init__(data, *args, **kwargs)
        self.fields["action"].choices = [("", _("All")), *choices]

    def filter(self, events):
        data = valid_data(self)
        if data.get("actor"):
            events = events.filter(actor__email__icontains=data["actor"].strip())
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("application"):
            events = events.filter(application__reference__icontains=data["application"].strip())
        if data.get("date_from"):
            events = events.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            events = events.filter(created_at__date__lte=data["date_to"])
        return events
