"""Vacancies and matching."""
