from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dialogues.notification_kinds import register_notification_kinds
from notifications.registry import register_reminder_source


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Market dialogues")

    def ready(self):
        from dialogues import freshness, receivers  # noqa: F401 (connects the receivers)

        # these import models (and access): not before the apps are ready
        from dialogues.audit_details import register_audit_details
        from dialogues.personal_data import register_personal_data
        from dialogues.reminders import booked_meetings, dialogue_deadlines, overdue_questions

        register_notification_kinds()
        register_audit_details()
        for source in (dialogue_deadlines, booked_meetings, overdue_questions):
            register_reminder_source(source)
        register_personal_data()
