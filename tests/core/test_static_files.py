"""core/static_files.py: static files are WhiteNoise's answers, header for header, under ASGI
(AsyncClient, the middleware's asynchronous branch) as under WSGI (Client, WhiteNoise's own
middleware): hashed names cached for ever, compressed variants, 304s, HEAD; anything else goes
on to Django."""

import gzip

import pytest
from asgiref.sync import async_to_sync
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import AsyncClient, Client
from django.utils.functional import empty

SITE_CSS = "css/site.css"
FOR_EVER = "max-age=315360000, public, immutable"  # WhiteNoise's, for a name with a hash in it
A_MINUTE = "max-age=60, public"  # WhiteNoise's default for any other, DEBUG off


@pytest.fixture
def collected(settings, tmp_path):
    """Production's static files: collected with hashed names and gzip variants, served from
    WhiteNoise's table (no finders, no autorefresh)."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    staticfiles_storage._wrapped = empty  # a process started after collectstatic loads its manifest
    return settings.STATIC_ROOT


def under_wsgi(path, **headers):
    response = Client().get(path, headers=headers) if path else None
    return response, b"".join(response.streaming_content) if response.streaming else response.content


def under_asgi(path, method="get", **headers):
    async def fetch():
        response = await getattr(AsyncClient(), method)(path, headers=headers)
        if not response.streaming:
            return response, response.content
        if not response.is_async:  # the test client empties a 304's and a HEAD's body itself
            return response, b"".join(response.streaming_content)
        return response, b"".join([chunk async for chunk in response.streaming_content])

    return async_to_sync(fetch)()


def both(path, **headers):
    """The two answers, checked to be the same: status, every header, body."""
    (wsgi, wsgi_body), (asgi, asgi_body) = under_wsgi(path, **headers), under_asgi(path, **headers)
    assert (asgi.status_code, dict(asgi.items()), asgi_body) == (wsgi.status_code, dict(wsgi.items()), wsgi_body)
    return asgi, asgi_body


def test_a_hashed_file_is_cached_for_ever(collected, recwarn):
    url = staticfiles_storage.url(SITE_CSS)
    assert url != f"/static/{SITE_CSS}"
    response, body = both(url)
    assert response.is_async  # sent by the event loop as it is, not read by Django in a thread
    assert response.status_code == 200
    assert response["Cache-Control"] == FOR_EVER
    assert response["Content-Type"].startswith("text/css")
    assert body == staticfiles_storage.open(staticfiles_storage.stored_name(SITE_CSS)).read()
    assert not [w for w in recwarn if "must consume synchronous iterators" in str(w.message)]


def test_the_gzip_variant_when_asked_for(collected):
    response, body = both(staticfiles_storage.url(SITE_CSS), accept_encoding="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert response["Cache-Control"] == FOR_EVER
    assert gzip.decompress(body) == staticfiles_storage.open(staticfiles_storage.stored_name(SITE_CSS)).read()


def test_a_name_without_a_hash_is_cached_a_minute(collected):
    response, _body = both(f"/static/{SITE_CSS}")
    assert response.status_code == 200
    assert response["Cache-Control"] == A_MINUTE


def test_not_modified_and_head(collected):
    url = staticfiles_storage.url(SITE_CSS)
    etag = under_wsgi(url)[0]["ETag"]
    response, body = both(url, if_none_match=etag)
    assert (response.status_code, body) == (304, b"")
    wsgi = Client().head(url)
    asgi, asgi_body = under_asgi(url, method="head")
    assert (asgi.status_code, dict(asgi.items()), asgi_body) == (200, dict(wsgi.items()), b"")


def test_what_is_not_a_file_goes_on_to_django(collected):
    for path in ("/static/css/no-such-file.css", "/accessibility/"):
        wsgi, asgi = under_wsgi(path)[0], under_asgi(path)[0]
        assert asgi.status_code == wsgi.status_code
        assert asgi["Content-Type"].startswith("text/html")  # the site's own page, not WhiteNoise's
    assert asgi.status_code == 200


def test_with_autorefresh_a_file_is_found_on_disk_under_asgi_too(settings):
    """DEBUG's WhiteNoise (autorefresh, finders) looks for each file on disk when asked."""
    settings.WHITENOISE_AUTOREFRESH = True
    response, body = both(f"/static/{SITE_CSS}")
    assert response.status_code == 200
    assert body == (settings.BASE_DIR / "static" / SITE_CSS).read_bytes()
    assert under_asgi("/static/css/no-such-file.css")[0].status_code == 404
    assert under_asgi("/accessibility/")[0].status_code == 200
