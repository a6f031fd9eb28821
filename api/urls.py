"""The open data API, at /api/v1/ (README.md has examples)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import docs, errors, views

app_name = "api"

router = SimpleRouter()
router.register("groups", views.GroupViewSet, basename="group")
router.register("needs", views.NeedViewSet, basename="need")
router.register("dialogues", views.DialogueViewSet, basename="dialogue")

urlpatterns = [
    path("", docs.api_root, name="root"),
    path("docs/", docs.documentation, name="docs"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("themes/", views.ThemeList.as_view(), name="themes"),
    path("indicator/", views.IndicatorFigures.as_view(), name="indicator"),
    *router.urls,
    re_path(r"^.*$", login_not_required(errors.not_found)),
]
