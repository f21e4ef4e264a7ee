"""The review queue: every signal about a post or chat message (reports, risk language posted
anyway, word-filter flags, posts held for review) in one item, acted on in one step."""
