"""Moderation (PRODUCT.md §2.7): reports, the moderators' queue, hiding and restoring content,
suspending people (their standing lives in accounts), the code of conduct page and the
facilitator console. Above discussions, dialogues and groups, whose content it moderates.
"""
