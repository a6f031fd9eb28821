from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dialogues.notification_kinds import register_notification_kinds
from notifications.registry import register_reminder_source


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Market dialogues")

    def ready(self):
        from dialogues import receivers  # noqa: F401 (connects the receivers)
        from dialogues.audit_details import register_audit_details  # imports models and access
        from dialogues.reminders import booked_meetings, dialogue_deadlines, overdue_questions

        register_notification_kinds()
        register_audit_details()
        for source in (dialogue_deadlines, booked_meetings, overdue_questions):
            register_reminder_source(source)
