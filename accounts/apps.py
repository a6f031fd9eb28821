from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.notification_kinds import register_notification_kinds
from core import kept_pages


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from accounts import receivers  # noqa: F401 (connects the receivers)
        from accounts.personal_data import register_personal_data  # imports models: not before the apps are ready

        register_notification_kinds()
        register_personal_data()
        _keep_pages()


def _keep_pages():
    """What core/kept_pages.py must know of accounts: the time left is new on every request, the
    last-seen stamp moves on by itself, and a sign-in's last_login is on no page."""
    from accounts.context_processors import fresh_time_left
    from accounts.models import User
    from accounts.session_policy import SEEN_AT

    kept_pages.add_refresher(fresh_time_left)
    kept_pages.ignore_session_keys(SEEN_AT)
    kept_pages.quiet_columns(User._meta.db_table, "last_login")
