from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="group-list"),
    path("new/", views.group_create, name="group-create"),
    path("<slug:slug>/", views.group_detail, name="group-detail"),
    path("<slug:slug>/edit/", views.group_edit, name="group-edit"),
    path("<slug:slug>/join/", views.membership_request, name="membership-request"),
    path("<slug:slug>/members/", views.member_list, name="member-list"),
    path("<slug:slug>/members/invite/", views.membership_invite, name="membership-invite"),
    path("<slug:slug>/members/<int:membership_pk>/decide/", views.membership_decide, name="membership-decide"),
    path("<slug:slug>/members/<int:membership_pk>/answer/", views.membership_answer, name="membership-answer"),
    path("<slug:slug>/members/<int:membership_pk>/end/", views.membership_end, name="membership-end"),
    path("<slug:slug>/coordinators/", views.coordinator_appoint, name="coordinator-appoint"),
    path("<slug:slug>/coordinators/<int:coordinator_pk>/remove/", views.coordinator_remove, name="coordinator-remove"),
    path("<slug:slug>/history/", views.group_history, name="group-history"),
    path("<slug:slug>/stages/", views.stage_plan, name="stage-plan"),
    path("<slug:slug>/procedure/", views.procedure_edit, name="procedure-edit"),
    path("<slug:slug>/documents/", views.document_list, name="document-list"),
    path("<slug:slug>/documents/<int:document_pk>/", views.document_detail, name="document-detail"),
    path(
        "<slug:slug>/documents/<int:document_pk>/versions/<int:version_pk>/download/",
        views.document_download,
        name="document-download",
    ),
    path("<slug:slug>/needs/new/", views.need_create, name="need-create"),
    path("<slug:slug>/needs/<int:pk>/", views.need_detail, name="need-detail"),
    path("<slug:slug>/needs/<int:pk>/edit/", views.need_edit, name="need-edit"),
    path("<slug:slug>/needs/<int:pk>/state/", views.need_move, name="need-move"),
    path("<slug:slug>/needs/<int:pk>/history/", views.need_history, name="need-history"),
    path("<slug:slug>/needs/<int:pk>/comments/", views.need_comment, name="need-comment"),
    path(
        "<slug:slug>/needs/<int:pk>/endorsements/<int:organisation_pk>/",
        views.endorsement_edit,
        name="endorsement-edit",
    ),
]
