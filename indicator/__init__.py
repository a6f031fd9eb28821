"""The goal 5 indicator: each authority's self-assessment and the facilitators' aggregate view."""
