"""The Django admin: where a beheerder configures funders, schemes, rubrics, organisations and users.

Lifecycle states are never edited here. Every FSM field is read-only (django-fsm's
`protected=True` would refuse the assignment anyway), and the models that carry a
lifecycle (applications, audit events, letters, payments) are shown read-only:
their state changes only through `workflow.actions`, which lock, check permission
and audit.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin, AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMFieldMixin

from .models import (
    AllocationMethod,
    Application,
    BudgetLine,
    CoFundingPledge,
    Funder,
    FunderRole,
    Organisation,
    ReviewScore,
    RubricCriterion,
    Scheme,
    Signatory,
    Team,
    TeamMembership,
    User,
)
from .money import format_euro
from .scheme_forms import SchemeAdminForm


def fsm_field_names(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if isinstance(field, FSMFieldMixin)]


class LifecycleReadOnlyMixin:
    """Every FSM field of the model (and of inline models) is read-only, whatever else the admin allows."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + [name for name in fsm_field_names(self.model) if name not in fields]


class EuroColumnsMixin:
    """Amounts in the list the reader's way (€ 12.345,60), not Django's bare 12345,60; sortable as before."""

    euro_columns: tuple[str, ...] = ()

    def get_list_display(self, request):
        return [
            self._euro_column(name) if name in self.euro_columns else name for name in super().get_list_display(request)
        ]

    def _euro_column(self, name: str):
        @admin.display(description=self.model._meta.get_field(name).verbose_name, ordering=name)
        def column(obj):
            value = getattr(obj, name)
            return self.get_empty_value_display() if value is None else format_euro(value)

        column.__name__ = name  # the column's CSS class, field-<name>, as before
        return column


class ReadOnlyAdminMixin(LifecycleReadOnlyMixin):
    """Visible, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RowAutocompleteSelect(AutocompleteSelect):
    """An inline row's autocomplete that shows its chosen value from the row itself.

    Django's reads the chosen value again for every row (one query per row); `share_choices` hands
    it the related object the row was read with (`row_related`), as `chosen`. A form posted back
    with another value falls back to Django's lookup.
    """

    chosen = None  # (value, label)

    def optgroups(self, name, value, attr=None):
        picked = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.chosen is None or picked != [str(self.chosen[0])]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        options.append(self.create_option(name, self.chosen[0], self.chosen[1], set(picked), len(options)))
        return [(None, options, 0)]


def share_choices(formset, form) -> None:
    """Give the plain selects of `form` the options its formset read once.

    Every row of an inline renders the same select (Beheer's colleagues for a signatory), and a
    ModelChoiceField reads its options again for each row it renders: one query per row.
    """
    shared = formset.__dict__.setdefault("_shared_choices", {})
    for name, field in form.fields.items():
        widget = getattr(field.widget, "widget", field.widget)  # inside the admin's related-field wrapper
        if isinstance(widget, RowAutocompleteSelect):
            related = form.instance._meta.get_field(name)
            chosen = getattr(form.instance, name) if related.is_cached(form.instance) else None
            if chosen is not None:
                widget.chosen = (chosen.pk, field.label_from_instance(chosen))
            continue
        # Not the hidden id of the row, nor another autocomplete (it renders only its chosen value).
        if not isinstance(widget, forms.Select) or isinstance(widget, AutocompleteMixin):
            continue
        if not isinstance(field, forms.ModelChoiceField):
            continue
        if name not in shared:
            shared[name] = list(field.choices)
        widget.choices = shared[name]


class RowsReadOnceMixin:
    """An inline whose rows cost the same queries however many there are.

    Each row is headed by its `__str__`, which names its parent and often a user or organisation,
    and a read-only foreign key shows the related row: `row_related` reads them with the rows.
    Plain selects share their options (`share_choices`).
    """

    row_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.row_related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RowAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        class SharedChoices(super().get_formset(request, obj, **kwargs)):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                share_choices(self, form)

        return SharedChoices


class ReadOnlyInline(RowsReadOnceMixin, ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


# --- Users ----------------------------------------------------------------------------------
class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {}


class LabelledTabularInline(RowsReadOnceMixin, admin.TabularInline):
    """Django's rows name their fields only in the column headers, so a screen reader in a form
    field heard no name (WCAG 4.1.2, axe-core's `label`): each widget is named after its column."""

    def get_formset(self, request, obj=None, **kwargs):
        class Named(super().get_formset(request, obj, **kwargs)):
            def add_fields(self, form, index):
                super().add_fields(form, index)  # also the row's "Delete" box
                for field in form.fields.values():
                    if not field.widget.is_hidden and field.label:  # the row's id and parent: nothing to hear
                        field.widget.attrs.setdefault("aria-label", str(field.label))

        return Named


class UserFunderRoleInline(LabelledTabularInline):
    model = FunderRole
    extra = 0
    row_related = ("user", "funder")
    autocomplete_fields = ["funder"]


class FunderStaffInline(UserFunderRoleInline):
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, with the e-mail address where the username was."""

    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "funder_roles__role"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    inlines = [UserFunderRoleInline]


# --- Funders and schemes ------------------------------------------------------------------------
class SignatoryInline(RowsReadOnceMixin, admin.StackedInline):
    model = Signatory
    extra = 0
    row_related = ("funder", "user")
    autocomplete_fields = ["user"]


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "iban"]
    list_filter = ["kind"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SignatoryInline, FunderStaffInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"  # Django 6's default; silences its deprecation warning
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(FunderRole)
class FunderRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "funder"]
    list_filter = ["role", "funder"]
    search_fields = ["user__email", "user__last_name", "funder__name"]
    autocomplete_fields = ["user", "funder"]
    list_select_related = ["user", "funder"]


class RubricLockedOnceScoredMixin:
    """A scheme's rubric is fixed once a reviewer has scored on it: a new weight, maximum or criterion
    would recompute finished reviews and reorder a ranking already decided on."""

    def _scored(self, obj) -> bool:
        # Asked for add, change and delete, on every form and inline render: once per scheme object.
        if obj is None:
            return False
        if not hasattr(obj, "_rubric_scored"):
            obj._rubric_scored = ReviewScore.objects.filter(criterion__scheme=obj).exists()
        return obj._rubric_scored

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._scored(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._scored(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._scored(obj)


class RubricFormSet(forms.BaseInlineFormSet):
    """A ranking round orders the applications by their reviewers' rubric scores: a ranking scheme without a
    criterion was saved, every score was then 0, and the round awarded in order of submission."""

    def clean(self):
        super().clean()
        scheme = self.instance
        if scheme.allocation_method != AllocationMethod.RANKING or any(self.errors):
            return
        if scheme.pk and ReviewScore.objects.filter(criterion__scheme=scheme).exists():
            return  # scored: the rubric is fixed (and shown read-only), so it is not empty
        kept = [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]
        if not kept:
            raise forms.ValidationError(
                _(
                    "A scheme that ranks its applications needs at least one rubric criterion: the ranking follows "
                    "the scores."
                )
            )


class RubricCriterionRows(LabelledTabularInline):
    model = RubricCriterion
    formset = RubricFormSet
    extra = 0
    fields = ["position", "name", "weight", "max_score", "description"]


class RubricCriterionInline(RubricLockedOnceScoredMixin, RubricCriterionRows):
    pass


@admin.register(Scheme)
class SchemeAdmin(EuroColumnsMixin, admin.ModelAdmin):
    form = SchemeAdminForm
    list_display = ["name", "funder", "opens_on", "closes_on", "budget_ceiling", "allocation_method"]
    euro_columns = ("budget_ceiling",)
    list_filter = ["funder", "allocation_method"]
    search_fields = ["name", "reference_prefix"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["funder"]
    list_select_related = ["funder"]
    inlines = [RubricCriterionInline]
    fieldsets = (
        (None, {"fields": ("funder", "name", "slug", "reference_prefix", "legal_basis", "summary", "text")}),
        (_("Dates and terms"), {"fields": ("opens_on", "closes_on", "decision_term_weeks", "information_term_days")}),
        (
            _("Money"),
            {
                "fields": (
                    "budget_ceiling",
                    "max_per_application",
                    "cofunding_ratio",
                    "allocation_method",
                    "advance_percentage",
                )
            },
        ),
        (_("Eligibility"), {"fields": ("eligible_school_types", "tracks", "learning_areas", "min_reviews")}),
        (
            _("Project and reporting"),
            {
                "fields": (
                    "max_project_months",
                    "max_extension_months",
                    "interim_report_months",
                    "final_report_weeks",
                    "settlement_term_weeks",
                )
            },
        ),
    )


# --- Organisations and teams -------------------------------------------------------------------
@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "school_type", "brin", "city", "board"]
    list_filter = ["kind", "school_type", "region"]
    search_fields = ["name", "brin", "city"]
    autocomplete_fields = ["board", "members"]
    list_select_related = ["board"]
    # Bank details are entered and confirmed (four eyes, audited) on the finance pages only: changed
    # here they kept the old confirmation, and the next payout batch paid an account nobody checked.
    readonly_fields = ["iban", "bic", "account_holder", "bank_details_confirmed_at", "bank_details_confirmed_by"]


class TeamMembershipInline(LabelledTabularInline):
    model = TeamMembership
    extra = 0
    row_related = ("user", "team")
    autocomplete_fields = ["user"]
    readonly_fields = ["joined_at"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "contact", "created_at"]
    search_fields = ["name", "contact__email", "contact__last_name"]
    autocomplete_fields = ["contact", "schools"]
    list_select_related = ["contact"]
    inlines = [TeamMembershipInline]


# --- Applications: visible, never changed here --------------------------------------------------
class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ["category", "description", "amount"]


class CoFundingPledgeInline(ReadOnlyInline):
    model = CoFundingPledge
    row_related = ("cofunder",)
    fields = ["cofunder", "amount", "status", "confirmed_at", "realised_amount"]


@admin.register(Application)
class ApplicationAdmin(EuroColumnsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: an application changes state only through the workflow actions."""

    list_display = ["reference", "title", "scheme", "team", "status", "requested_amount", "awarded_amount"]
    euro_columns = ("requested_amount", "awarded_amount")
    list_filter = ["status", "scheme__funder", "scheme"]
    search_fields = ["reference", "title", "team__name"]
    list_select_related = ["scheme", "team"]
    inlines = [BudgetLineInline, CoFundingPledgeInline]
    exclude = ["schools", "partners"]
    readonly_fields = ["status", "school_names", "partner_names"]

    @admin.display(description=_("participating schools"))
    def school_names(self, obj):
        return ", ".join(school.name for school in obj.schools.all())

    @admin.display(description=_("partners"))
    def partner_names(self, obj):
        return ", ".join(partner.name for partner in obj.partners.all())
