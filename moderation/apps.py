from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from moderation.notification_kinds import register_notification_kinds


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from moderation.personal_data import register_personal_data  # imports models: not before the apps are ready

        register_notification_kinds()
        register_personal_data()
