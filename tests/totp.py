"""A code from an authenticator app, as a person would type it.

allauth accepts only the code of the current 30-second window. A code read in the window's
last seconds may reach the server in the next one and be refused, which made browser tests
fail now and then; like a person who sees the code about to change, wait for the next one."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

PERIOD = 30
MARGIN = 5  # seconds a code must still be valid for when it is read


def current_code(secret: str) -> str:
    left = PERIOD - time.time() % PERIOD
    if left < MARGIN:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // PERIOD))
