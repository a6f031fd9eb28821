from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    # Under /accounts/ (allauth's, config/urls.py) so that they answer while two-factor is being set up.
    path("accounts/session/status/", views.session_status, name="session-status"),
    path("accounts/session/stay/", views.session_stay, name="session-stay"),
    path("profile/", views.profile, name="profile"),
    path("profile/my-data.zip", views.personal_data_export, name="data-export"),
    path("profile/delete/", views.account_delete, name="account-delete"),
    path("profile/calendar/renew/", views.calendar_link_renew, name="calendar-link-renew"),
    path("profile/calendar/revoke/", views.calendar_link_revoke, name="calendar-link-revoke"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/review/", views.organisation_review_list, name="organisation-review-list"),
    path("organisations/review/<int:pk>/", views.organisation_review, name="organisation-review"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<int:pk>/resubmit/", views.organisation_resubmit, name="organisation-resubmit"),
    path("organisations/<int:pk>/invitations/", views.invitation_create, name="invitation-create"),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("organisations/<int:pk>/domains/", views.domain_create, name="domain-create"),
    path("organisations/<int:pk>/domains/<int:domain_pk>/delete/", views.domain_delete, name="domain-delete"),
    path("organisations/<int:pk>/join/", views.domain_join_request, name="domain-join-request"),
    path(
        "organisations/<int:pk>/join-requests/<int:request_pk>/",
        views.domain_join_decide,
        name="domain-join-decide",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
