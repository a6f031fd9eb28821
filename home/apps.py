from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The site's own pages and the demo loader: the top layer under config, free to gather
    from every app below it."""

    name = "home"
    verbose_name = _("Site pages")
