"""Letters and e-mails in the admin: read-only. They are rendered and sent by services, once."""

from django.contrib import admin

from grants.admin import ReadOnlyAdminMixin

from .models import Letter, OutgoingEmail


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["decision", "version", "status", "rendered_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["decision__application__reference", "sha256"]
    list_select_related = ["decision__application"]
    exclude = ["pdf"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["subject", "key", "message_id"]
