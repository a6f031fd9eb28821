from django.urls import path

from dialogues.views import declarations, dialogue, meetings, proposals, questions, record

app_name = "dialogues"

urlpatterns = [
    path("", dialogue.dialogue_list, name="dialogue-list"),
    path("group/<slug:slug>/", dialogue.group_dialogues, name="group-dialogues"),
    path("group/<slug:slug>/new/", dialogue.dialogue_create, name="dialogue-create"),
    path("<int:pk>/", dialogue.dialogue_detail, name="dialogue-detail"),
    path("<int:pk>/edit/", dialogue.dialogue_edit, name="dialogue-edit"),
    path("<int:pk>/state/", dialogue.dialogue_state, name="dialogue-state"),
    path("<int:pk>/take-part/", dialogue.participation_register, name="participation-register"),
    path("<int:pk>/withdraw/", dialogue.participation_withdraw, name="participation-withdraw"),
    path("<int:pk>/participants/", dialogue.participant_list, name="participant-list"),
    path("<int:pk>/questions/", questions.question_list, name="question-list"),
    path("<int:pk>/questions/<int:question_pk>/", questions.question_detail, name="question-detail"),
    path("<int:pk>/answers/new/", questions.answer_create, name="answer-create"),
    path("<int:pk>/answers/<int:answer_pk>/", questions.answer_detail, name="answer-detail"),
    path("<int:pk>/answers/<int:answer_pk>/publish/", questions.answer_publish, name="answer-publish"),
    path("<int:pk>/answers/<int:answer_pk>/amend/", questions.answer_amend, name="answer-amend"),
    path("<int:pk>/answers/<int:answer_pk>/delete/", questions.answer_delete, name="answer-delete"),
    path("<int:pk>/answers/<int:answer_pk>/withdraw/", questions.answer_withdraw, name="answer-withdraw"),
    path("<int:pk>/submissions/", proposals.submission_list, name="submission-list"),
    path("<int:pk>/submissions/log/", proposals.submission_log, name="submission-log"),
    path("<int:pk>/submissions/<int:submission_pk>/", proposals.submission_detail, name="submission-detail"),
    path(
        "<int:pk>/submissions/<int:submission_pk>/attachments/<int:attachment_pk>/",
        proposals.attachment_download,
        name="attachment-download",
    ),
    path("<int:pk>/meetings/", meetings.meeting_list, name="meeting-list"),
    path("<int:pk>/meetings/<int:slot_pk>/book/", meetings.meeting_book, name="meeting-book"),
    path("<int:pk>/meetings/<int:slot_pk>/cancel/", meetings.meeting_cancel, name="meeting-cancel"),
    path("<int:pk>/meetings/<int:slot_pk>/remove/", meetings.meeting_remove, name="meeting-remove"),
    path("<int:pk>/meetings/<int:slot_pk>/minutes/", meetings.meeting_minutes, name="meeting-minutes"),
    path("<int:pk>/meetings/<int:slot_pk>/meeting.ics", meetings.meeting_calendar, name="meeting-calendar"),
    path("<int:pk>/conflicts/", declarations.declaration_list, name="declaration-list"),
    path("<int:pk>/conflicts/<int:person_pk>/clear/", declarations.conflict_clear, name="conflict-clear"),
    path("<int:pk>/record/", record.record_page, name="record"),
    path("<int:pk>/record/download/", record.record_download, name="record-download"),
    path("<int:pk>/summary/", record.public_record, name="public-record"),
]
