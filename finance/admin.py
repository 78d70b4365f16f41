"""Payments and payout batches in the admin: read-only. Money moves through the finance pages only."""

from django.contrib import admin

from grants.admin import EuroColumnsMixin, ReadOnlyAdminMixin, ReadOnlyInline

from .models import Payment, PayoutBatch


@admin.register(Payment)
class PaymentAdmin(EuroColumnsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["application", "kind", "amount", "due_date", "status", "batch"]
    euro_columns = ("amount",)
    list_filter = ["status", "kind"]
    search_fields = ["application__reference", "creditor_name", "creditor_iban"]
    list_select_related = ["application", "batch"]


class PaymentInline(ReadOnlyInline):
    model = Payment
    row_related = ("application",)
    fields = ["application", "kind", "amount", "status", "creditor_name", "creditor_iban"]


@admin.register(PayoutBatch)
class PayoutBatchAdmin(EuroColumnsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "funder", "status", "payment_count", "total_amount", "exported_at"]
    euro_columns = ("total_amount",)
    list_filter = ["status", "funder"]
    search_fields = ["reference"]
    list_select_related = ["funder"]
    exclude = ["csv_file", "xlsx_file", "sepa_file"]
    inlines = [PaymentInline]
