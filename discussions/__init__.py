"""Discussions (PRODUCT.md §2.5): a group's internal threads, each dialogue's open discussion and
its private discussions with single suppliers; messages with Markdown, mentions and edit
history; the live consumer, broadcast and presence; the pseudonyms suppliers see of each other.
Built on dialogues and groups.
"""
