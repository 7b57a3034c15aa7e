from django.urls import path

from sourcing import compare_views, views, views_answer_scores, views_evidence

app_name = "sourcing"
urlpatterns = [
    path("evaluations/<int:pk>/rfp/", views.round_page, name="round"),
    path("evaluations/<int:pk>/rfp/invite/", views.round_invite, name="round_invite"),
    path("evaluations/<int:pk>/rfp/open/", views.round_open, name="round_open"),
    path("evaluations/<int:pk>/rfp/compare/", compare_views.compare_page, name="compare"),
    path("evaluations/<int:pk>/rfp/compare.csv", compare_views.compare_csv, name="compare_csv"),
    path("evaluations/<int:pk>/rfp/scores/", views_answer_scores.page, name="answer_scores"),
    path("evaluations/<int:pk>/rfp/scores/use/", views_answer_scores.use, name="answer_score_use"),
    path("evaluations/<int:pk>/rfp/scores/cite/", views_answer_scores.cite, name="answer_cite"),
    path(
        "evaluations/<int:pk>/rfp/scores/uncite/", views_answer_scores.uncite, name="answer_uncite"
    ),
    path(
        "evaluations/<int:pk>/rfp/evidence/<int:evidence_pk>/",
        views_evidence.evidence_download,
        name="evidence",
    ),
    # The portal: vendor contacts only (bpo_select.middleware confines them to "portal..." names).
    path("portal/", views.portal, name="portal"),
    path("portal/rounds/<int:pk>/", views.portal_response, name="portal_response"),
    path("portal/rounds/<int:pk>/submit/", views.portal_submit, name="portal_submit"),
    path("portal/rounds/<int:pk>/withdraw/", views.portal_withdraw, name="portal_withdraw"),
    path(
        "portal/rounds/<int:pk>/evidence/",
        views_evidence.portal_evidence_upload,
        name="portal_evidence_upload",
    ),
    path(
        "portal/rounds/<int:pk>/evidence/<int:evidence_pk>/",
        views_evidence.portal_evidence,
        name="portal_evidence",
    ),
    path(
        "portal/rounds/<int:pk>/evidence/<int:evidence_pk>/delete/",
        views_evidence.portal_evidence_delete,
        name="portal_evidence_delete",
    ),
    path("portal/invitation/<str:token>/", views.portal_accept, name="portal_accept"),
]
