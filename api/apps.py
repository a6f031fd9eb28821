from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """Open data: the read-only public API (/api/v1/) and the Atom feeds (/feeds/). A top layer
    beside the site's pages: it reads every app below it and shows exactly what their public
    pages show."""

    name = "api"
    verbose_name = _("Open data")
