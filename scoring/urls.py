from django.urls import path

from scoring.views import (
    ahp,
    approval,
    candidates,
    compare,
    evaluations,
    history,
    quotes,
    ranking,
    reports,
    scores,
    setup,
)

app_name = "scoring"

urlpatterns = [
    path("", evaluations.evaluation_list, name="evaluation_list"),
    path("new/", setup.evaluation_create, name="evaluation_create"),
    path("<int:pk>/", evaluations.evaluation_detail, name="evaluation_detail"),
    path("<int:pk>/edit/", setup.evaluation_edit, name="evaluation_edit"),
    path("<int:pk>/team/", setup.team, name="team"),
    path("<int:pk>/weights/", setup.weights, name="weights"),
    path("<int:pk>/weights/ahp/", ahp.weights_ahp, name="weights_ahp"),
    path("<int:pk>/candidates/", candidates.candidates, name="candidates"),
    path("<int:pk>/candidates/add/", candidates.candidate_add, name="candidate_add"),
    path(
        "<int:pk>/candidates/<int:vendor_pk>/remove/",
        candidates.candidate_remove,
        name="candidate_remove",
    ),
    path(
        "<int:pk>/candidates/<int:vendor_pk>/exclude/",
        candidates.candidate_exclude,
        name="candidate_exclude",
    ),
    path("<int:pk>/quotes/", quotes.tco, name="tco"),
    path("<int:pk>/quotes/<int:vendor_pk>/", quotes.quote_edit, name="quote_edit"),
    path("<int:pk>/scores/", scores.grid, name="score_grid"),
    path("<int:pk>/scores/save/", scores.score_save, name="score_save"),
    path("<int:pk>/scores/team/", scores.team_view, name="score_team"),
    path("<int:pk>/ranking/", ranking.ranking, name="ranking"),
    path("<int:pk>/ranking/what-if/", ranking.what_if, name="what_if"),
    path("<int:pk>/ranking/what-if/save/", ranking.what_if_save, name="what_if_save"),
    path("<int:pk>/ranking/chart.svg", ranking.chart, name="ranking_chart"),
    path("<int:pk>/ranking/sensitivity/", ranking.sensitivity, name="sensitivity"),
    path("<int:pk>/compare/", compare.compare, name="compare"),
    path("<int:pk>/submit/", approval.submit, name="submit"),
    path("<int:pk>/approve/", approval.decide, {"verdict": "approve"}, name="approve"),
    path("<int:pk>/reject/", approval.decide, {"verdict": "reject"}, name="reject"),
    path("<int:pk>/report.pdf", reports.report_pdf, name="report_pdf"),
    path("<int:pk>/report.pdf/prepare/", reports.report_pdf_prepare, name="report_pdf_prepare"),
    path("<int:pk>/export/<str:kind>.<str:fmt>", reports.export, name="export"),
    path("<int:pk>/history/", history.evaluation_history, name="history"),
]
