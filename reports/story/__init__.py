"""The story: words only, from the facts, each figure citing the fact it states."""
