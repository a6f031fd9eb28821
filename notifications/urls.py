from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("read/", views.notification_read_all, name="notification-read-all"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("<int:pk>/", views.notification_open, name="notification-open"),
    path("<int:pk>/read/", views.notification_read, name="notification-read"),
]
