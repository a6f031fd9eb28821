from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "guidance"
    verbose_name = _("Guidance")

    def ready(self):
        from guidance.personal_data import register_personal_data  # imports models: not before the apps are ready

        register_personal_data()
