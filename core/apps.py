from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared infrastructure. An app only so that it can watch every database connection in every
    process (core/kept_pages.py); it has no models."""

    name = "core"

    def ready(self):
        from core import kept_pages

        kept_pages.install()
