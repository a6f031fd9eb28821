"""The bottom layer: shared infrastructure that knows no domain (no models, and no imports from
the platform's other packages). Every other package may import from here.

- inputs: reading ids and return addresses from requests without trusting them.
- rate_limits: counting attempts per person or address in the cache.
- sockets: the base of every WebSocket consumer (it always leaves its groups) and
  revoke_socket_access, which makes a person's open sockets check their access again.
- channel_layer: the Redis pub/sub channel layer with outage detection, and the pools.
- uploads: checking an upload by its content, not its name.
- csv_export: the one way the platform writes CSV, safe to open in a spreadsheet.
- streaming: responses that stream under both WSGI and ASGI without reading everything
  into memory first.
- moderated: what every item a moderator can remove shares.
- health: the health check of the database, the cache, the channel layer and the broker.
"""
