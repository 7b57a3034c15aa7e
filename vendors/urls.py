from django.urls import path

from vendors import views

app_name = "vendors"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("export/", views.directory_export, name="directory_export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("import/", views.import_start, name="import"),
    path("import/preview/<uuid:pk>/", views.import_preview, name="import_preview"),
    path("import/commit/", views.import_commit, name="import_commit"),
    path("import/template/<slug:kind>.<slug:fmt>", views.import_template, name="import_template"),
    path("<int:pk>/history/", views.history, name="history"),
]
