from django.contrib import admin

from .models import FunderInvitation, TeamInvitation


@admin.register(TeamInvitation)
class TeamInvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent, accepted and withdrawn through grants/accounts/actions.py."""

    list_display = ["email", "team", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_select_related = ["team", "invited_by"]
    search_fields = ["email", "team__name"]
    exclude = ["token"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FunderInvitation)
class FunderInvitationAdmin(TeamInvitationAdmin):
    """Read-only here too: a funder's administrators send and withdraw them in Beheer (grants/beheer)."""

    list_display = ["email", "role", "funder", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_select_related = ["funder", "invited_by"]
    search_fields = ["email", "funder__name"]
