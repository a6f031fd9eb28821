from django.urls import path

from dialogues import views

app_name = "dialogues"

urlpatterns = [
    path("", views.dialogue_list, name="dialogue-list"),
    path("group/<slug:slug>/", views.group_dialogues, name="group-dialogues"),
    path("group/<slug:slug>/new/", views.dialogue_create, name="dialogue-create"),
    path("<int:pk>/", views.dialogue_detail, name="dialogue-detail"),
    path("<int:pk>/edit/", views.dialogue_edit, name="dialogue-edit"),
    path("<int:pk>/state/", views.dialogue_state, name="dialogue-state"),
    path("<int:pk>/take-part/", views.participation_register, name="participation-register"),
    path("<int:pk>/withdraw/", views.participation_withdraw, name="participation-withdraw"),
    path("<int:pk>/participants/", views.participant_list, name="participant-list"),
    path("<int:pk>/questions/", views.question_list, name="question-list"),
    path("<int:pk>/questions/<int:question_pk>/", views.question_detail, name="question-detail"),
    path("<int:pk>/answers/new/", views.answer_create, name="answer-create"),
    path("<int:pk>/answers/<int:answer_pk>/", views.answer_detail, name="answer-detail"),
    path("<int:pk>/answers/<int:answer_pk>/publish/", views.answer_publish, name="answer-publish"),
    path("<int:pk>/answers/<int:answer_pk>/amend/", views.answer_amend, name="answer-amend"),
    path("<int:pk>/answers/<int:answer_pk>/delete/", views.answer_delete, name="answer-delete"),
    path("<int:pk>/answers/<int:answer_pk>/withdraw/", views.answer_withdraw, name="answer-withdraw"),
    path("<int:pk>/submissions/", views.submission_list, name="submission-list"),
    path("<int:pk>/submissions/log/", views.submission_log, name="submission-log"),
    path("<int:pk>/submissions/<int:submission_pk>/", views.submission_detail, name="submission-detail"),
    path(
        "<int:pk>/submissions/<int:submission_pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path("<int:pk>/meetings/", views.meeting_list, name="meeting-list"),
    path("<int:pk>/meetings/<int:slot_pk>/book/", views.meeting_book, name="meeting-book"),
    path("<int:pk>/meetings/<int:slot_pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
    path("<int:pk>/meetings/<int:slot_pk>/remove/", views.meeting_remove, name="meeting-remove"),
    path("<int:pk>/meetings/<int:slot_pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("<int:pk>/conflicts/", views.declaration_list, name="declaration-list"),
    path("<int:pk>/conflicts/<int:person_pk>/clear/", views.conflict_clear, name="conflict-clear"),
    path("<int:pk>/record/", views.record_page, name="record"),
    path("<int:pk>/record/download/", views.record_download, name="record-download"),
    path("<int:pk>/summary/", views.public_record, name="public-record"),
]
