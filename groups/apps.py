from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.group_memberships import register_group_memberships
from groups.notification_kinds import register_notification_kinds
from notifications.registry import register_preferences_section


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Buyer groups")

    def ready(self):
        from groups import freshness  # noqa: F401 (connects the receivers)

        # views and services import models: not before the apps are ready
        from groups.audit_details import register_audit_details
        from groups.personal_data import register_personal_data
        from groups.services.memberships import active_group_names
        from groups.views.themes import theme_follow_section

        register_notification_kinds()
        register_audit_details()
        register_preferences_section(theme_follow_section)
        register_personal_data()
        register_group_memberships(active_group_names)
