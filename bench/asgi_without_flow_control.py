"""The platform's ASGI application with daphne's own Server.handle_reply put back, so that
bench/record.py can show what config/daphne_flow.py changes, in the same run."""

import daphne.server

from config import daphne_flow
from config.asgi import application  # noqa: F401 (what daphne serves)

daphne.server.Server.handle_reply = daphne_flow._daphne_handle_reply
