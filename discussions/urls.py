from django.urls import path

from discussions import views

app_name = "threads"

urlpatterns = [
    path("<int:pk>/", views.thread_detail, name="thread-detail"),
    path("<int:pk>/messages/", views.message_create, name="message-create"),
    path("<int:pk>/lock/", views.thread_lock, name="thread-lock"),
    path("<int:pk>/people/", views.mention_search, name="mention-search"),
    path("messages/<int:pk>/edit/", views.message_edit, name="message-edit"),
    path("messages/<int:pk>/history/", views.message_history, name="message-history"),
    path("dialogue/<int:dialogue_pk>/", views.dialogue_thread, name="dialogue-thread"),
    path(
        "dialogue/<int:dialogue_pk>/private/<int:organisation_pk>/",
        views.private_thread,
        name="private-thread",
    ),
    path("group/<slug:slug>/", views.group_threads, name="group-threads"),
]
