"""The one event log (PRODUCT.md §2.7): who did what to which object, why, when and from where.

Above core, below everything else: actors are AUTH_USER_MODEL and rows hold plain ids and
label snapshots, so the log imports no domain app and survives the deletion of what it names.
Apps write with audit.services.record inside their own transactions, and tell the log how their
details read and who reads an entry's confidential part (audit/details.py).
"""
