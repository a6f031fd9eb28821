"""One client address for the audit log and allauth's rate limits (core/client_ip.py), behind
0, 1 or 2 proxies of ours: the one the outermost proxy saw, whatever the client wrote in
X-Forwarded-For itself."""

import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from allauth.core import ratelimit
from daphne.utils import parse_x_forwarded_for
from django.test import RequestFactory, override_settings
from django.urls import reverse

from audit.context import AuditContextMiddleware
from audit.models import Action
from audit.services import record
from core.client_ip import client_ip
from tests.dialogues.servers import free_port, web_command

ROOT = Path(__file__).resolve().parents[2]
CLIENT = "198.51.100.9"
OTHER_CLIENT = "203.0.113.4"
PROXIES = ["10.0.0.1", "10.0.0.2"]  # the outermost first
SPOOFS = ["", "6.6.6.6", f"6.6.6.6, {OTHER_CLIENT}"]  # what the client itself puts in X-Forwarded-For


def arriving(client: str, *, proxies: int, spoof: str = "") -> dict:
    """The request's META as the web server gets it: each proxy appends the address it was
    reached from, and the last one is who connects."""
    hops = [spoof] if spoof else []
    sender = client
    for proxy in PROXIES[:proxies]:
        hops.append(sender)
        sender = proxy
    meta = {"REMOTE_ADDR": sender}
    if hops:
        meta["HTTP_X_FORWARDED_FOR"] = ", ".join(hops)
    return meta


def audited_ip(meta: dict, admin_user, authority) -> str | None:
    entries = []

    def view(request):
        entries.append(record(actor=admin_user, action=Action.ORG_VERIFIED, target=authority))

    AuditContextMiddleware(view)(RequestFactory().post("/", **meta))
    return entries[0].ip


def sign_up_allowed(meta: dict) -> bool:
    return ratelimit.consume(RequestFactory().post("/accounts/signup/", **meta), action="signup")


@pytest.mark.django_db
@pytest.mark.parametrize("spoof", SPOOFS)
@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_the_audit_log_and_the_rate_limits_see_the_client(settings, proxies, spoof, admin_user, authority):
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = arriving(CLIENT, proxies=proxies, spoof=spoof)
    assert audited_ip(meta, admin_user, authority) == CLIENT
    with override_settings(ACCOUNT_RATE_LIMITS={"signup": "1/m/ip"}):
        assert sign_up_allowed(meta)
        assert not sign_up_allowed(arriving(CLIENT, proxies=proxies, spoof="7.7.7.7"))  # a new header: still them
        assert sign_up_allowed(arriving(OTHER_CLIENT, proxies=proxies, spoof=CLIENT))  # nor is another client them


@pytest.mark.parametrize(
    ("proxies", "meta"),
    [
        (1, {"REMOTE_ADDR": "10.0.0.1"}),
        (2, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": CLIENT}),
        (2, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "not-an-address, 10.0.0.1"}),
    ],
)
def test_too_few_hops_or_a_garbled_one_count_as_the_connecting_address(settings, proxies, meta):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(RequestFactory().get("/", **meta)) == meta["REMOTE_ADDR"]


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"signup": "1/m/ip"})
def test_the_sign_up_page_limits_the_client_not_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    password = "Ett-langt-losen-2026"

    def sign_up(number, meta):
        form = {"email": f"ny{number}@example.se", "password1": password, "password2": password}
        return client.post(reverse("account_signup"), form, **meta).status_code

    assert sign_up(1, arriving(CLIENT, proxies=1)) != 429
    assert sign_up(2, arriving(OTHER_CLIENT, proxies=1)) != 429  # the same proxy, another person
    assert sign_up(3, arriving(CLIENT, proxies=1, spoof="6.6.6.6")) == 429


def test_daphne_s_proxy_headers_would_take_the_client_s_own_word():
    """Why daphne runs without --proxy-headers: it makes the leftmost X-Forwarded-For address
    (daphne 4.2.3) REMOTE_ADDR, and that is what the client wrote."""
    headers = {b"x-forwarded-for": [b"6.6.6.6, 198.51.100.9"]}
    address, _scheme = parse_x_forwarded_for(headers, original_addr=["10.0.0.1", 443])
    assert address == ["6.6.6.6", 0]


def test_the_production_server_ignores_the_client_s_forwarded_for():
    """scripts/web runs uvicorn with --no-proxy-headers: with them, uvicorn (from a trusted
    127.0.0.1) would make the X-Forwarded-For address, which the client writes, the client."""
    port = free_port()
    command, env = web_command(port=port, app="tests.client_address_app:application")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/", headers={"X-Forwarded-For": "6.6.6.6", "X-Real-IP": "6.6.6.6"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    assert response.read() == b"127.0.0.1"
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    raise AssertionError(f"scripts/web did not start: {server.communicate()[0]!r}") from None
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=15)


def test_the_images_run_the_production_server():
    for name in ("Dockerfile", "docker-compose.yml"):
        assert "scripts/web" in (ROOT / name).read_text(), name
