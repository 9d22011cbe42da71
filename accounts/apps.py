from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Logins")

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from .lockout import log_lockout

        user_locked_out.connect(log_lockout, dispatch_uid="kronika-log-lockout")
