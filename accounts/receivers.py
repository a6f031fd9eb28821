"""What accounts does when code it does not own signs someone in or adds an authenticator
(connected in AccountsConfig.ready; accounts/session_policy.py has the why)."""

import time

# allauth has no public call to add an authentication record; this one is checked against
# django-allauth 65.21.1 (requirements.txt pins it) by tests/accounts/test_mfa.py's set-up
# test, which fails if an upgrade changes it.
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.session_policy import stamp_sign_in


@receiver(user_logged_in, dispatch_uid="accounts.stamp_sign_in")
def signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        stamp_sign_in(request.session, time.time())


@receiver(authenticator_added, dispatch_uid="accounts.count_totp_set_up_as_passed")
def authenticator_was_added(sender, request, user, authenticator, **kwargs):
    # Sent after the set-up's transaction commits, still inside the request that set it up.
    if authenticator.type == Authenticator.Type.TOTP and request is not None and request.user == user:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
