"""The audit log in the admin: readable and searchable, never added to, changed or deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from grants.admin import ReadOnlyAdminMixin
from grants.models import AuditEvent
from workflow.labels import audit_action_choices, event_action_label, event_state_label


class ActionFilter(admin.SimpleListFilter):
    """The actions by their label in the reader's language, as the workbench's audit log offers them
    (Django's own filter listed the codes: "declare_no_conflict")."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return audit_action_choices()

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "action_label", "from_label", "to_label", "actor", "application", "funder"]
    list_filter = [ActionFilter, "funder"]
    search_fields = ["action", "reason", "application__reference", "actor__email"]
    list_select_related = ["actor", "application", "funder", "subject_type"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "funder",
        "application",
        "subject_type",
        "subject_id",
        "actor",
        "action",
        "from_state",
        "to_state",
        "reason",
        "data",
    ]
    fields = readonly_fields

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, event):
        return event_action_label(event.action)

    @admin.display(description=_("from"), ordering="from_state")
    def from_label(self, event):
        return event_state_label(event.from_state, event.subject_type.model)

    @admin.display(description=_("to"), ordering="to_state")
    def to_label(self, event):
        return event_state_label(event.to_state, event.subject_type.model)
