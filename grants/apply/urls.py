from django.urls import path

from . import views

app_name = "apply"
urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/start/", views.application_start, name="start"),
    path("<int:pk>/", views.editor, name="editor"),
    path("<int:pk>/attachments/", views.attachments, name="step_attachments"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/<slug:step>/", views.step, name="step"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
