from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.notification_kinds import register_notification_kinds


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from accounts import receivers  # noqa: F401 (connects the receivers)
        from accounts.personal_data import register_personal_data  # imports models: not before the apps are ready

        register_notification_kinds()
        register_personal_data()
