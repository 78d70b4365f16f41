from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("failed/", views.letter_failures, name="letter_failures"),
    path("progress/", views.letter_progress, name="letter_progress"),
    path("<int:pk>/download/", views.letter_download, name="letter_download"),
    path("<int:pk>/retry/", views.letter_retry, name="letter_retry"),
    path("<int:pk>/correct/", views.letter_correct, name="letter_correct"),
]
