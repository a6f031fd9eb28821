from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Market dialogues")

    def ready(self):
        from dialogues import receivers  # noqa: F401 (connects the receivers)
