"""Charts: drawing the story's figures with matplotlib and encoding them as PNG."""
