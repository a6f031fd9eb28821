"""Market dialogues (PRODUCT.md §2.4): participation, questions and numbered answers, amendments
and withdrawals, proposals with their access log, meetings, conflict-of-interest declarations,
the de-identification check and the record. Built on groups and accounts; discussions build on it.
"""
