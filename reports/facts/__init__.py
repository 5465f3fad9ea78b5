"""Facts: the week, history ranks, and every number a brief states, for the market or one asset."""
