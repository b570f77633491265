"""Talent bank."""
