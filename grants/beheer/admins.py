"""The grants models in Beheer: the /admin/ classes of grants/admin.py, scoped to the user's funders.

What differs from /admin/ is only what a funder's own administrator may not touch: the funder's
slug (the workbench's `?funder=` addresses) and bank account (the account payouts leave from, so a
change is the platform's), a scheme's funder and reference prefix once it exists (its applications
and their references hang on them), and the users themselves (no accounts, passwords or flags).
"""

from django.contrib import admin

from grants.admin import FunderAdmin, FunderRoleAdmin, RubricCriterionInline, SchemeAdmin, SignatoryInline
from grants.models import Funder, FunderRole, Scheme
from workflow.states import Role

from .forms import FunderRoleGrantForm
from .scoping import FunderScopedMixin, choices_for
from .site import site


class BeheerSignatoryInline(FunderScopedMixin, SignatoryInline):
    pass


@admin.register(Funder, site=site)
class BeheerFunderAdmin(FunderScopedMixin, FunderAdmin):
    funder_lookup = ""
    exclude = ["slug"]
    readonly_fields = ["iban", "bic", "account_holder"]
    prepopulated_fields = {}
    # Staff roles have their own page (given by e-mail address): the inline would list every account.
    inlines = [BeheerSignatoryInline]

    def has_add_permission(self, request, obj=None):
        return False  # a new funder is the platform's decision

    def has_delete_permission(self, request, obj=None):
        return False


class BeheerRubricCriterionInline(FunderScopedMixin, RubricCriterionInline):
    funder_lookup = "scheme__funder"


@admin.register(Scheme, site=site)
class BeheerSchemeAdmin(FunderScopedMixin, SchemeAdmin):
    inlines = [BeheerRubricCriterionInline]
    fixed_once_created = ["funder", "reference_prefix"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + self.fixed_once_created if obj is not None else fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        funders = choices_for(Funder, request.user)
        if "funder" not in initial and len(funders) == 1:
            initial["funder"] = funders[0].pk
        return initial


@admin.register(FunderRole, site=site)
class BeheerFunderRoleAdmin(FunderScopedMixin, FunderRoleAdmin):
    """Give a colleague a role (by e-mail address) or take it away; a role is never moved or edited."""

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = FunderRoleGrantForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["email", "funder", "role"] if obj is None else ["user", "funder", "role"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Taking the last administrator's role would leave the funder to the platform's superuser.
        return super().has_delete_permission(request, obj) and not (obj is not None and is_last_admin(obj))


def is_last_admin(funder_role: FunderRole) -> bool:
    if funder_role.role != Role.ADMIN:
        return False
    others = FunderRole.objects.filter(funder_id=funder_role.funder_id, role=Role.ADMIN).exclude(pk=funder_role.pk)
    return not others.exists()
