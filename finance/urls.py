from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.index, name="index"),
    path("applications/<int:pk>/", views.application_money, name="application"),
    path("applications/<int:pk>/bank-details/", views.bank_details, name="bank_details"),
    path("applications/<int:pk>/bank-details/confirm/", views.bank_details_confirm, name="bank_details_confirm"),
    path("applications/<int:pk>/bank-details/officer/", views.bank_details_officer, name="bank_details_officer"),
    path("reports/<int:pk>/assess/", views.report_assess, name="report_assess"),
    path("reports/<int:pk>/settlement/", views.settlement, name="settlement"),
    path("<slug:slug>/", views.funder_dashboard, name="funder"),
    path("<slug:slug>/payments/<int:pk>/approve/", views.payment_approve, name="payment_approve"),
    path("<slug:slug>/payments/<int:pk>/received/", views.payment_received, name="payment_received"),
    path("<slug:slug>/batches/", views.batch_build, name="batch_build"),
    path("<slug:slug>/batches/<int:pk>/", views.batch_detail, name="batch"),
    path("<slug:slug>/batches/<int:pk>/export/", views.batch_export, name="batch_export"),
    path("<slug:slug>/batches/<int:pk>/dissolve/", views.batch_dissolve, name="batch_dissolve"),
    path("<slug:slug>/batches/<int:pk>/download/<str:fmt>/", views.batch_download, name="batch_download"),
    path("<slug:slug>/batches/<int:pk>/processed/", views.batch_mark_paid, name="batch_mark_paid"),
    path("<slug:slug>/overview/", views.overview, name="overview"),
    path("<slug:slug>/overview.csv", views.overview_csv, name="overview_csv"),
]
