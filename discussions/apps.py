from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from discussions.notification_kinds import register_notification_kinds


class DiscussionsConfig(AppConfig):
    """Discussions: threads, their messages, the live consumer, broadcast, presence and Markdown.
    Built on dialogues (a dialogue's open and private discussions) and groups."""

    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self):
        register_notification_kinds()
