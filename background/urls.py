from django.urls import path

from background import views

app_name = "background"
urlpatterns = [
    path("<uuid:pk>/", views.task_status, name="status"),
    path("<uuid:pk>/retry/", views.task_retry, name="retry"),
    path("<uuid:pk>/download/", views.download, name="download"),
]
