"""Publishers: the static site and the mailer, which read built briefs and never recompute one."""
