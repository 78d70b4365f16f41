"""The grants models in Beheer: the /admin/ classes of grants/admin.py, scoped to the user's funders.

What differs from /admin/ is only what a funder's own administrator may not touch: the funder's
slug (the workbench's `?funder=` addresses) and bank account (the account payouts leave from, so a
change is the platform's), a scheme's funder and reference prefix once it exists (its applications
and their references hang on them), and the users themselves (no accounts, passwords or flags).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from grants.accounts.colleagues import (
    colleague_invitation_revoke,
    colleague_invite,
    withdraw_invitations_sent_by,
)
from grants.accounts.models import FunderInvitation
from grants.admin import (
    FunderAdmin,
    FunderRoleAdmin,
    RubricCriterionRows,
    RubricLockedOnceScoredMixin,
    SchemeAdmin,
    SignatoryInline,
)
from grants.audit import record_event
from grants.models import Funder, FunderRole, Scheme
from workflow.exceptions import ActionRefused
from workflow.states import ApplicationStatus, Role

from .forms import ColleagueInvitationForm
from .roles import consequences_of_taking
from .scoping import FunderScopedMixin
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


class BeheerRubricCriterionInline(RubricLockedOnceScoredMixin, FunderScopedMixin, RubricCriterionRows):
    funder_lookup = "scheme__funder"


@admin.register(Scheme, site=site)
class BeheerSchemeAdmin(FunderScopedMixin, SchemeAdmin):
    inlines = [BeheerRubricCriterionInline]
    fixed_once_created = ["funder", "reference_prefix"]
    # What settles the grants already applied for (the co-funding cap, the advance): changing it would
    # change those grants' money without a decision. A new scheme year is a new scheme.
    fixed_once_applied_to = ["cofunding_ratio", "advance_percentage"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        fields += self.fixed_once_created
        if obj.applications.exclude(status=ApplicationStatus.DRAFT).exists():
            fields += self.fixed_once_applied_to
        return fields


@admin.register(FunderRole, site=site)
class BeheerFunderRoleAdmin(FunderScopedMixin, FunderRoleAdmin):
    """Take a colleague's role away; a role is given by invitation (below), never moved or edited."""

    delete_confirmation_template = "beheer/delete_role.html"
    change_list_template = "beheer/role_list.html"

    def delete_view(self, request, object_id, extra_context=None):
        role = self.get_object(request, object_id)  # 404 for another funder's, as everywhere in Beheer
        extra_context = {**(extra_context or {}), "consequences": consequences_of_taking(role)}
        return super().delete_view(request, object_id, extra_context)

    def response_delete(self, request, obj_display, obj_id):
        # Roles cannot be changed, so Django would send the administrator to the index: back to the list.
        super().response_delete(request, obj_display, obj_id)
        return HttpResponseRedirect(reverse("beheer:grants_funderrole_changelist"))

    def get_fields(self, request, obj=None):
        return ["user", "funder", "role"]

    def has_add_permission(self, request, obj=None):
        return False  # by invitation, which the colleague accepts (BeheerColleagueInvitationAdmin)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Taking the last administrator's role would leave the funder to the platform's superuser.
        return super().has_delete_permission(request, obj) and not (obj is not None and leaves_no_admin([obj]))

    def delete_model(self, request, obj):
        self.delete_queryset(request, FunderRole.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        """Also the changelist's bulk delete: under a lock on the funders' roles, never the last administrator."""
        with transaction.atomic():
            # The funders' roles first, in one order: two administrators taking each other's roles at once
            # then wait for each other instead of each holding one row (a deadlock), and the second sees
            # the first's result.
            funder_ids = set(queryset.values_list("funder_id", flat=True))
            list(FunderRole.objects.select_for_update().filter(funder_id__in=funder_ids).order_by("pk").values("pk"))
            roles = list(queryset)
            if leaves_no_admin(roles) or not all(self.administers(request, role) for role in roles):
                raise PermissionDenied
            for role in roles:
                _role_event(request, role, "role_taken")
            FunderRole.objects.filter(pk__in=[role.pk for role in roles]).delete()
            for role in roles:
                if role.role == Role.ADMIN:
                    withdraw_invitations_sent_by(role, actor=request.user)


def leaves_no_admin(removed: list[FunderRole]) -> bool:
    """Would taking these roles leave one of their funders without an administrator?"""
    removed_ids = [role.pk for role in removed]
    for funder_id in {role.funder_id for role in removed if role.role == Role.ADMIN}:
        left = FunderRole.objects.filter(funder_id=funder_id, role=Role.ADMIN).exclude(pk__in=removed_ids)
        if not left.exists():
            return True
    return False


def _role_event(request, role: FunderRole, action: str) -> None:
    """Who may do what at a funder is what four eyes rest on: every change is in the funder's audit log."""
    record_event(
        role,
        actor=request.user,
        action=action,
        funder=role.funder,
        data={"user": role.user_id, "email": role.user.email, "role": role.role},
    )


@admin.register(FunderInvitation, site=site)
class BeheerColleagueInvitationAdmin(FunderScopedMixin, admin.ModelAdmin):
    """Invite a colleague to a role by e-mail address; withdraw an invitation not yet accepted."""

    list_display = ["email", "role", "funder", "state_label", "invited_by", "expires_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    list_select_related = ["funder", "invited_by"]
    actions = ["withdraw"]
    form = ColleagueInvitationForm

    def get_queryset(self, request):
        return super().get_queryset(request).with_sender_standing()

    @admin.display(description=gettext_lazy("status"))
    def state_label(self, obj):
        # An open link whose sender has since lost the role or the account gives nothing when used.
        if obj.state == FunderInvitation.State.PENDING and not obj.sender_administers:
            return _("No longer valid: the sender is no longer an administrator")
        return obj.get_state_display()

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = type("ColleagueInvitationForm", (ColleagueInvitationForm,), {"requested_by": request.user})
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["email", "funder", "role"]

    def has_change_permission(self, request, obj=None):
        return False  # an invitation is sent as it is; withdraw it and send another

    def add_view(self, request, form_url="", extra_context=None):
        # One way on after sending: back to the list (response_add), which shows the invitation.
        extra_context = {**(extra_context or {}), "show_save_and_add_another": False, "show_save_and_continue": False}
        return super().add_view(request, form_url, extra_context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "funder":  # no pencil and eye beside it: the funder is not edited from here
            field.widget.can_change_related = field.widget.can_view_related = False
        return field

    def has_delete_permission(self, request, obj=None):
        return False  # withdrawn (the action below), so the audit trail keeps who was invited

    def save_model(self, request, obj, form, change):
        sent = colleague_invite(funder=obj.funder, role=obj.role, email=obj.email, actor=request.user)
        obj.pk, obj.token, obj.created_at, obj.expires_at = sent.pk, sent.token, sent.created_at, sent.expires_at

    def log_addition(self, request, obj, message):
        return None  # the audit event (funder_invitation_sent) is the record

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(request, _("We have sent an invitation to %(email)s.") % {"email": obj.email})
        return HttpResponseRedirect(reverse("beheer:accounts_funderinvitation_changelist"))

    @admin.action(description=gettext_lazy("Withdraw the selected invitations"))
    def withdraw(self, request, queryset):
        withdrawn = 0
        for invitation in queryset.order_by("pk"):
            try:
                colleague_invitation_revoke(invitation=invitation, actor=request.user)
                withdrawn += 1
            except ActionRefused as refusal:
                for message in refusal.messages:
                    messages.warning(request, f"{invitation.email}: {message}")
        if withdrawn:
            messages.success(
                request,
                ngettext("One invitation withdrawn.", "%(count)s invitations withdrawn.", withdrawn)
                % {"count": withdrawn},
            )
