from django.urls import path

from experience import views

app_name = "experience"

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("review/", views.review_list, name="review-list"),
    path("groups/<slug:slug>/", views.report_detail, name="report-detail"),
    path("groups/<slug:slug>/write/", views.report_edit, name="report-edit"),
    path("groups/<slug:slug>/figures/", views.report_figures, name="report-figures"),
    path("groups/<slug:slug>/submit/", views.report_submit, name="report-submit"),
    path("groups/<slug:slug>/review/", views.report_review, name="report-review"),
]
