"""The fact checker: reads a built brief's JSON only and traces every figure to its facts."""
