"""The command line (`build.py`, `crypto-brief`)."""
