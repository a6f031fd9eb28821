"""Run by tests/test_deploy.py in a subprocess with production-like variables: fetch two pages
through the whole middleware stack and print what a browser would get, as JSON."""

import json

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

HOST = settings.ALLOWED_HOSTS[0]
# The manifest of collected static files is not built here; everything else is production's.
PLAIN_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

with override_settings(STORAGES=PLAIN_STATIC):
    client = Client()
    secure = client.get("/accounts/login/", secure=True, headers={"host": HOST})
    plain = client.get("/accessibility/", headers={"host": HOST})
print(
    json.dumps(
        {
            "status": secure.status_code,
            "headers": dict(secure.headers),
            "cookies": {name: dict(morsel) for name, morsel in secure.cookies.items()},
            "plain_status": plain.status_code,
            "plain_location": plain.get("Location", ""),
            "settings": {
                name: getattr(settings, name)
                for name in (
                    "SESSION_COOKIE_SECURE",
                    "SESSION_COOKIE_HTTPONLY",
                    "CSRF_COOKIE_SECURE",
                    "SECURE_SSL_REDIRECT",
                    "DEBUG",
                )
            },
        }
    )
)
