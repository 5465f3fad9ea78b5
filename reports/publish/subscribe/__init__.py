"""The subscription service: sign-up with double opt-in, one-click unsubscribe (RFC 8058) and a
preferences page, on the mail store the sender uses (`build.py serve-subscriptions`)."""
