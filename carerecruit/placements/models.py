"""Pipeline, checks and placements."""
