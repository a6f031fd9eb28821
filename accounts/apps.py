from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.notification_kinds import register_notification_kinds


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from accounts import receivers  # noqa: F401 (connects the receivers)

        register_notification_kinds()
