"""The site's URLs plus one view nobody wrote a row for (test_permission_matrix)."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as site

reports = ([path("", lambda request: HttpResponse(), name="report-list")], "reports")
urlpatterns = [*site, path("reports/", include(reports))]
