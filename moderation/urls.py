from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.report_queue, name="report-queue"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/dismiss/", views.report_dismiss, name="report-dismiss"),
    path("report/<str:kind>/<int:pk>/", views.report_create, name="report-create"),
    path("content/<str:kind>/<int:pk>/hide/", views.content_hide, name="content-hide"),
    path("content/<str:kind>/<int:pk>/restore/", views.content_restore, name="content-restore"),
    path("users/<int:user_pk>/suspend/", views.user_suspend, name="user-suspend"),
    path("suspensions/", views.suspension_list, name="suspension-list"),
    path("suspensions/<int:pk>/lift/", views.suspension_lift, name="suspension-lift"),
    path("code-of-conduct/", views.code_of_conduct, name="code-of-conduct"),
]
