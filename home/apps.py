from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import kept_pages


class HomeConfig(AppConfig):
    """The site's own pages and the demo loader: the top layer under config, free to gather
    from every app below it."""

    name = "home"
    verbose_name = _("Site pages")

    def ready(self):
        # A kept page (core/kept_pages.py) is served only while the header's counts are what
        # they were when it was made: a notification or a new agenda item for this person makes
        # their pages new, and nobody else's (the header reads them outside the record).
        from home.context_processors import header_cache_keys, header_check  # imports models: after

        kept_pages.add_check(header_check, cache_keys=header_cache_keys)
