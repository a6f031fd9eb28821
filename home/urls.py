from django.urls import path

from home import views

app_name = "home"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("agenda/", views.agenda, name="agenda"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
