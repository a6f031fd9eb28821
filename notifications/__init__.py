"""The notification outbox, its delivery (e-mail, digests, the live unread count), each person's
preferences and the notification centre.

Knows no domain: recipients are AUTH_USER_MODEL, and the apps above register their kinds and
their reminder sources in their AppConfig.ready(). Imports only audit and core.
"""
