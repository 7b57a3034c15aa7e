from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("from-evaluation/<int:pk>/", views.contract_create_view, name="create"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/month/", views.month_enter, name="month"),
    path("<int:pk>/kpis/", views.kpi_add_view, name="kpi_add"),
    path("<int:pk>/import/", views.import_view, name="import"),
    path("<int:pk>/import/commit/", views.import_commit, name="import_commit"),
    path("<int:pk>/import/template.csv", views.import_template, name="import_template"),
    path("<int:pk>/review/<int:year>-Q<int:quarter>.pdf", views.review_pdf, name="review_pdf"),
    path("<int:pk>/renew/", views.renew, name="renew"),
    path(
        "evaluation/<int:pk>/delivered-performance/",
        views.delivered_performance,
        name="delivered_performance",
    ),
]
