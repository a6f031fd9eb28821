from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost, PermissionDenied
from django.utils import translation

from accounts.models import User
from core.client_ip import client_ip
from core.mail import site_domain, site_headers
from core.reauthentication import authenticated_recently
from notifications.services import absolute_url

SITE_NAME = "Beställargrupper"


def _request_origins(request) -> tuple[str, ...]:
    """The origins allauth builds its links from (request.build_absolute_uri, and https when
    ACCOUNT_DEFAULT_HTTP_PROTOCOL says so)."""
    if request is None:
        return ()
    try:
        host = request.get_host()
    except DisallowedHost:
        return ()
    return (f"http://{host}", f"https://{host}")


def _on_site(value, origins: tuple[str, ...]):
    """A link into this site, moved onto settings.SITE_URL; anything else unchanged."""
    if isinstance(value, str):
        for origin in origins:
            if value == origin or value.startswith(f"{origin}/"):
                return absolute_url(value[len(origin) :] or "/")
    return value


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

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's e-mails (verification, password reset, security notices) link to the site
        as settings.SITE_URL names it and carry a Message-ID in its domain, like the platform's
        own (core/mail.py). allauth builds its links from the request, whose host is whatever
        the browser or a proxy in front said (127.0.0.1:8000, an inner name), and names the site
        after that host too (its `current_site` without django.contrib.sites)."""
        origins = _request_origins(allauth_context.request)
        context = {key: _on_site(value, origins) for key, value in context.items()}
        context["current_site"] = SimpleNamespace(name=SITE_NAME, domain=site_domain())
        return super().render_mail(template_prefix, email, context, headers={**site_headers(), **(headers or {})})

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        """Messages in the signed-in person's own language. Right after signing in, the request
        still speaks the language of the anonymous session before it (Swedish by default), and
        allauth's "Successfully signed in as …" would greet an English reader in Swedish."""
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if not language:
            return super().add_message(request, level, message_template, message_context, extra_tags, message)
        with translation.override(language):
            return super().add_message(request, level, message_template, message_context, extra_tags, message)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """allauth asks again before e-mail addresses change (ACCOUNT_REAUTHENTICATION_REQUIRED)
        and counts only an explicit re-authentication; like our sensitive actions
        (core.reauthentication), a sign-in within the timeout counts too, so that nobody is
        asked for the password they typed a minute ago. Two-factor changes keep allauth's rule."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = allauth_context.request
        if required and app == "allauth.account" and request is not None:
            return not authenticated_recently(request)
        return required

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
