"""The audit log in the admin: readable and searchable, never added to, changed or deleted."""

from django.contrib import admin

from grants.admin import ReadOnlyAdminMixin
from grants.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "action", "from_state", "to_state", "actor", "application", "funder"]
    list_filter = ["action", "funder"]
    search_fields = ["action", "reason", "application__reference", "actor__email"]
    list_select_related = ["actor", "application", "funder"]
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
