"""Listings: FBA Onsite offers, the listings report, and hybrid offers (found, removed, never created)."""
