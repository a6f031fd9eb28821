from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from discussions.notification_kinds import register_notification_kinds


class DiscussionsConfig(AppConfig):
    """Discussions: threads, their messages, the live consumer, broadcast, presence and Markdown.
    Built on dialogues (a dialogue's open and private discussions) and groups."""

    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self):
        from discussions.personal_data import register_personal_data  # imports models: not before the apps are ready

        register_notification_kinds()
        register_personal_data()
