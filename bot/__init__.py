"""Everything Bot Framework: the activity handler, cards, replies, state and the web routes."""
