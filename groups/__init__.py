"""Buyer groups: memberships, coordinators, the stage plan, the procedure choice, documents and
need statements with their versions, comments and endorsements, and theme follows.

Never calls the apps above it: what they must hear (a need published) goes out as a signal
(groups/signals.py) that they receive.
"""
