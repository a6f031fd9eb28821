"""Sign-up: how long the sign-up POST takes for an address nobody uses and for one that has an
account, in the driver process through Django's test client (the whole middleware stack, the
production password hasher, e-mail recorded by bench.mail.RecordingBackend). With
ACCOUNT_PREVENT_ENUMERATION both answer the same page; the figure that matters is that the
two medians are close, so the time does not tell whether an address has an account.

Baseline: the used address through allauth's own sign-up form (as before
accounts.forms.SignupForm), which sends its "you already have an account" e-mail and
skips the password hash.

Each used address is a different account, so every attempt sends its e-mail (the adapter sends
one per address per cooldown). allauth's per-IP sign-up limit is off for the run.

    python -m bench.signup        (BENCH_QUICK=1: 10 of each instead of 40)
"""

import statistics
import time

from bench import common

ROUNDS = 10 if common.QUICK else 40
WARM_UP = 3
PASSWORD = "en-lång-lösenfras-2026"


def main() -> None:
    common.setup("signup")
    from django.conf import settings
    from django.contrib.auth.hashers import get_hasher
    from django.test import Client, override_settings
    from django.urls import reverse

    from bench import seed
    from bench.report import write

    users = seed.people(seed.organisations(2 * ROUNDS + 2 * WARM_UP))
    used = iter(user.email for user in users)
    serial = iter(range(10**6))
    client = Client()
    url = reverse("account_signup")

    def sign_up(email: str) -> float:
        data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
        start = time.perf_counter()
        response = client.post(url, data)
        elapsed = time.perf_counter() - start
        assert response.status_code == 302, response.status_code
        return elapsed

    def new_address() -> str:
        return f"ny-{next(serial)}@bench.example"

    limits = {**settings.ACCOUNT_RATE_LIMITS, "signup": None}
    times: dict[str, list[float]] = {"new": [], "used": [], "used_before": []}
    with override_settings(ACCOUNT_RATE_LIMITS=limits):
        for _ in range(WARM_UP):
            sign_up(new_address())
            sign_up(next(used))
        for _ in range(ROUNDS):  # interleaved: both paths see the same load on the machine
            times["new"].append(sign_up(new_address()))
            times["used"].append(sign_up(next(used)))
        with override_settings(ACCOUNT_FORMS={}):
            for _ in range(WARM_UP):
                sign_up(next(used))
            for _ in range(ROUNDS):
                times["used_before"].append(sign_up(next(used)))

    figures = {
        "hasher": get_hasher().algorithm,
        "rounds": ROUNDS,
        **{path: common.spread(values) for path, values in times.items()},
    }
    median = {path: statistics.median(values) * 1000 for path, values in times.items()}
    figures["median_gap_ms"] = round(median["used"] - median["new"], 1)
    figures["median_gap_before_ms"] = round(median["used_before"] - median["new"], 1)
    labels = {
        "new": "new address",
        "used": "address with an account",
        "used_before": "address with an account, allauth's form (before)",
    }
    rows = [
        (
            labels[path],
            len(values),
            f"{median[path]:.1f}",
            figures[path]["p95_ms"],
            f"{median[path] - median['new']:+.1f}",
        )
        for path, values in times.items()
    ]
    write(
        "signup",
        figures=figures,
        table=rows,
        headers=("sign-up with", "requests", "median ms", "p95 ms", "median − new address, ms"),
        notes=f"Password hasher: {figures['hasher']}. In process (Django test client), {ROUNDS} of each, "
        "the first two interleaved.",
    )


if __name__ == "__main__":
    main()
