"""Workforce returns in ASC-WDS format and published reference figures."""
