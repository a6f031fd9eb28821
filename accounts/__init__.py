"""People, organisations and a person's standing.

Sign-in (django-allauth), organisations with their verification, invitations and e-mail
domains, the profile and personal-data export; and standing (accounts/standing.py): whether a
suspension keeps someone from posting or joining and whether they accepted the code of conduct,
which groups, dialogues and discussions ask and moderation decides. Imports notifications,
audit and core only.
"""
