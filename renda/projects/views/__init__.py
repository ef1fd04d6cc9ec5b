"""Thin views: access → form → action → response. staff.py (back office), deputy.py (the deputy's phone pages),
public.py (the constituents' pages)."""
