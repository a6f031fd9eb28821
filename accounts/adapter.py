from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import translation

from accounts.models import User
from core.client_ip import client_ip

# The e-mails anyone can have sent to any address by typing it in (signing up, adding an
# address, asking for a new link), at most one per address per cooldown. allauth's own limit
# ("confirm_email", switched off in settings) skips the e-mail and its "we sent a link" message
# together, so the page told whether someone had just signed up with the address.
ADDRESS_CHECK_EMAILS = {
    "account/email/email_confirmation",
    "account/email/email_confirmation_signup",
    "account/email/account_already_exists",
    "account/email/unknown_account",
    "account/email/address_in_use",
}


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # New people start in the language they signed up in.
        user.language = translation.get_language() or "sv"
        if user.language not in ("sv", "en"):
            user.language = "sv"
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request):
        """The address allauth's rate limits count (and its e-mails name): the audit log's, by
        settings.TRUSTED_PROXY_COUNT. allauth's own rule (ALLAUTH_TRUSTED_PROXY_COUNT) answers a
        header with fewer hops than proxies with an error page instead of REMOTE_ADDR."""
        address = client_ip(request)
        if address is None:  # as allauth does
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def send_mail(self, template_prefix, email, context):
        """allauth's, except that an address hears about its use at most once per
        VERIFICATION_EMAIL_COOLDOWN_SECONDS; the page says the same either way."""
        if template_prefix in ADDRESS_CHECK_EMAILS and not _first_in_cooldown(email):
            return
        super().send_mail(template_prefix, email, context)

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        """An address that another account already uses gets no link to confirm (it could not be
        confirmed): its owner is told that someone tried to add it. The person who typed it sees
        the same page as for a free address."""
        address = emailconfirmation.email_address
        if not signup and _used_by_another_account(address):
            self.send_mail("account/email/address_in_use", address.email, {})
            return
        super().send_confirmation_mail(request, emailconfirmation, signup)


def _first_in_cooldown(email: str) -> bool:
    seconds = settings.VERIFICATION_EMAIL_COOLDOWN_SECONDS
    if not seconds:
        return True
    # cache.add is atomic: of two requests at once, one sends.
    return cache.add(f"address-check-email:{email.lower()}", 1, timeout=seconds)


def _used_by_another_account(address: EmailAddress) -> bool:
    others_address = EmailAddress.objects.filter(email__iexact=address.email, verified=True).exclude(
        user_id=address.user_id
    )
    others_account = User.objects.filter(email__iexact=address.email).exclude(pk=address.user_id)
    return others_address.exists() or others_account.exists()
