from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from groups.notification_kinds import register_notification_kinds
from notifications.registry import register_preferences_section


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Buyer groups")

    def ready(self):
        from groups.audit_details import register_audit_details  # imports models: not before the apps are ready
        from groups.views.themes import theme_follow_section  # views import models: not before the apps are ready

        register_notification_kinds()
        register_audit_details()
        register_preferences_section(theme_follow_section)
