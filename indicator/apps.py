from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorConfig(AppConfig):
    name = "indicator"
    verbose_name = _("Goal 5 indicator")

    def ready(self):
        from indicator.notification_kinds import register_notification_kinds
        from indicator.outreach import register_audit_details
        from indicator.personal_data import register_personal_data  # imports models: not before the apps are ready

        register_notification_kinds()
        register_audit_details()
        register_personal_data()
