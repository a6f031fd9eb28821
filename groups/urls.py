from django.urls import path

from groups.views import documents, group, memberships, needs

app_name = "groups"

urlpatterns = [
    path("", group.group_list, name="group-list"),
    path("new/", group.group_create, name="group-create"),
    path("<slug:slug>/", group.group_detail, name="group-detail"),
    path("<slug:slug>/edit/", group.group_edit, name="group-edit"),
    path("<slug:slug>/contacts/", group.group_contacts, name="group-contacts"),
    path("<slug:slug>/join/", group.membership_request, name="membership-request"),
    path("<slug:slug>/members/", memberships.member_list, name="member-list"),
    path("<slug:slug>/members/invite/", memberships.membership_invite, name="membership-invite"),
    path("<slug:slug>/members/<int:membership_pk>/decide/", memberships.membership_decide, name="membership-decide"),
    path("<slug:slug>/members/<int:membership_pk>/answer/", memberships.membership_answer, name="membership-answer"),
    path("<slug:slug>/members/<int:membership_pk>/end/", memberships.membership_end, name="membership-end"),
    path("<slug:slug>/coordinators/", memberships.coordinator_appoint, name="coordinator-appoint"),
    path(
        "<slug:slug>/coordinators/<int:coordinator_pk>/remove/",
        memberships.coordinator_remove,
        name="coordinator-remove",
    ),
    path("<slug:slug>/end/", group.group_end, name="group-end"),
    path("<slug:slug>/reopen/", group.group_reopen, name="group-reopen"),
    path("<slug:slug>/history/", group.group_history, name="group-history"),
    path("<slug:slug>/stages/", group.stage_plan, name="stage-plan"),
    path("<slug:slug>/procedure/", group.procedure_edit, name="procedure-edit"),
    path("<slug:slug>/documents/", documents.document_list, name="document-list"),
    path("<slug:slug>/documents/<int:document_pk>/", documents.document_detail, name="document-detail"),
    path(
        "<slug:slug>/documents/<int:document_pk>/versions/<int:version_pk>/download/",
        documents.document_download,
        name="document-download",
    ),
    path("<slug:slug>/needs/new/", needs.need_create, name="need-create"),
    path("<slug:slug>/needs/<int:pk>/", needs.need_detail, name="need-detail"),
    path("<slug:slug>/needs/<int:pk>/edit/", needs.need_edit, name="need-edit"),
    path("<slug:slug>/needs/<int:pk>/state/", needs.need_move, name="need-move"),
    path("<slug:slug>/needs/<int:pk>/history/", needs.need_history, name="need-history"),
    path("<slug:slug>/needs/<int:pk>/comments/", needs.need_comment, name="need-comment"),
    path(
        "<slug:slug>/needs/<int:pk>/endorsements/<int:organisation_pk>/",
        needs.endorsement_edit,
        name="endorsement-edit",
    ),
]
