from django.urls import path

from indicator import outreach_views, programme_views, views

app_name = "indicator"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("statistics/", views.statistics, name="statistics"),
    path("responses/", views.responses, name="responses"),
    path("outreach/", outreach_views.outreach_list, name="outreach-list"),
    path("outreach/new/", outreach_views.outreach_create, name="outreach-new"),
    path("outreach/<int:pk>/", outreach_views.outreach_detail, name="outreach-detail"),
    path("averages.csv", views.averages_export, name="averages-export"),
    path("assessments.csv", views.assessments_export, name="assessments-export"),
    path("programme/", programme_views.programme, name="programme"),
    path("report/<int:year>/", programme_views.report, name="report"),
    path("report/<int:year>.json", programme_views.report_json, name="report-json"),
    path("report/<int:year>/<slug:table>.csv", programme_views.report_table_csv, name="report-table-csv"),
    path("report/<int:year>/<slug:table>.json", programme_views.report_table_json, name="report-table-json"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/<int:year>/", views.assessment_edit, name="assessment-edit"),
    path("organisations/<int:pk>/delegations/", views.delegation_create, name="delegation-create"),
    path(
        "organisations/<int:pk>/delegations/<int:delegation_pk>/delete/",
        views.delegation_delete,
        name="delegation-delete",
    ),
]
