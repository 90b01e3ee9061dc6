"""Reusable widgets for the panels."""
