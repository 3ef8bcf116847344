"""Bringing contacts in (LinkedIn, vCard) and taking them out (CSV)."""
