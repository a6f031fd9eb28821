from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from experience.notification_kinds import register_notification_kinds
from groups.page_sections import register_section


class ExperienceConfig(AppConfig):
    name = "experience"
    verbose_name = _("Experience reports")

    def ready(self):
        # these import models: not before the apps are ready
        from experience.audit_details import register_audit_details
        from experience.personal_data import register_personal_data
        from experience.views import group_page_section

        register_notification_kinds()
        register_audit_details()
        register_personal_data()
        register_section(group_page_section)
