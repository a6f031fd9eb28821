from django.urls import path

from guidance import views

app_name = "guidance"

urlpatterns = [
    path("", views.text_list, name="list"),
    path("<slug:slug>/", views.text_detail, name="detail"),
    path("<slug:slug>/edit/", views.text_edit, name="edit"),
]
