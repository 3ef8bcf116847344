"""The search as a whole: what is due, coverage, the funnel, who is next."""
