"""Letters and e-mails in the admin: read-only (services render and send them, once).
Letter texts per scheme are edited here, and any letter kind of any scheme is previewed as PDF."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from grants.admin import ReadOnlyAdminMixin
from grants.models import Scheme
from workflow.states import DecisionKind

from . import services
from .models import Letter, LetterText, OutgoingEmail


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["decision", "version", "status", "batch", "page_count", "rendered_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["decision__application__reference", "sha256", "batch"]
    list_select_related = ["decision__application"]
    exclude = ["pdf"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["subject", "key", "message_id"]


class PreviewForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.none())
    kind = forms.ChoiceField(label=_("Letter kind"), choices=DecisionKind.choices)

    def __init__(self, *args, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes


@admin.register(LetterText)
class LetterTextAdmin(admin.ModelAdmin):
    list_display = ["scheme", "kind", "position", "updated_at", "preview_link"]
    list_filter = ["kind", "position", "scheme__funder"]
    search_fields = ["scheme__name", "body"]
    list_select_related = ["scheme"]
    readonly_fields = ["updated_at", "updated_by"]
    fields = ["scheme", "kind", "position", "body", "updated_at", "updated_by"]
    # A "Preview a letter" button above the list: any kind for any scheme, also before a text is written.
    change_list_template = "documents/admin/lettertext_change_list.html"

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Preview"))
    def preview_link(self, obj):
        url = reverse(f"{self.admin_site.name}:documents_lettertext_preview")
        return format_html('<a href="{}?scheme={}&amp;kind={}">{}</a>', url, obj.scheme_id, obj.kind, _("PDF"))

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("preview/", preview, name="documents_lettertext_preview"), *super().get_urls()]

    def preview_view(self, request):
        """Any letter kind of any scheme the user may write letter texts for here, as PDF with sample data;
        nothing is saved."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        # The schemes a letter text may be written for here (Beheer narrows them to the user's funders).
        schemes = self.formfield_for_foreignkey(LetterText._meta.get_field("scheme"), request).queryset
        form = PreviewForm(request.GET or None, schemes=schemes)
        if form.is_valid():
            rendered = services.render_preview(form.cleaned_data["kind"], form.cleaned_data["scheme"])
            response = HttpResponse(rendered.content, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="voorbeeld-{form.cleaned_data["kind"]}.pdf"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Preview a letter"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "documents/admin/preview.html", context)
