"""What every e-mail of the platform carries, whoever builds it (notifications' own e-mails,
direct e-mails, allauth's through accounts/adapter.py): a Message-ID in the site's domain and,
where there is one, a one-click unsubscribe address that mail programs can read.

Django names the Message-ID after the machine (socket.getfqdn(), "localhost" in a container);
the site's domain comes from settings.SITE_URL, as every link in the e-mails does.
"""

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings


def site_domain() -> str:
    """The host of settings.SITE_URL ("example.test" for "https://example.test:8443/")."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def site_message_id() -> str:
    return make_msgid(domain=site_domain())


class UnencodedHeader(str):
    """A header value that Python's e-mail package writes as it is: never RFC 2047-encoded,
    folded (if the line would be too long) only before the value, never inside it.

    The package's default folding turns an unstructured header with a word longer than a line
    (a long URL) into encoded words ("=?utf-8?q?=3Chttps=3A//…?="), which is right for text and
    wrong for List-Unsubscribe: RFC 2369 and RFC 8058 want the bare "<https://…>", and mail
    programs that find anything else offer no unsubscribe button. A value with a `name` and a
    `fold(policy=…)` is a header object to the package (email.policy.EmailPolicy.fold), so it
    asks this one how to fold itself; Django's EmailMessage.message() hands a str subclass on
    unchanged (tests/core/test_mail.py checks the bytes on the wire, so a Django that stopped
    doing so fails there). Make one with `unencoded_header`."""

    name: str

    def fold(self, *, policy) -> str:
        line = f"{self.name}: {self}"
        if policy.max_line_length and len(line) > policy.max_line_length:
            line = f"{self.name}:{policy.linesep} {self}"
        return line + policy.linesep


def unencoded_header(name: str, value: str) -> UnencodedHeader:
    """Raises ValueError for what may not go into a header unencoded (not ASCII, or a line break)."""
    if not value.isascii() or "\r" in value or "\n" in value:
        raise ValueError(f"{name} must be one line of ASCII, got {value!r}")
    header = UnencodedHeader(value)
    header.name = name
    return header


def site_headers(*, unsubscribe_url: str = "") -> dict:
    """Headers for an EmailMessage(headers=…): the Message-ID and, with an unsubscribe address
    (absolute, https in production), RFC 8058's one-click unsubscribe: mail programs POST
    "List-Unsubscribe=One-Click" to that address."""
    headers = {"Message-ID": site_message_id()}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = unencoded_header("List-Unsubscribe", f"<{unsubscribe_url}>")
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers
