"""A log line whenever django-axes refuses a login (api.throttling holds the lockout itself):
the account and address, so an administrator sees a guessing attack in the server's log."""

from __future__ import annotations

import logging

logger = logging.getLogger("kronika.security")


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """Receiver of axes' `user_locked_out`: sent when the limit is reached and for every
    attempt refused while the lockout lasts."""
    logger.warning(
        "Login locked out: account %r, address %s, at %s",
        username,
        ip_address,
        getattr(request, "path", "?"),
    )
