"""Ad-platform figures."""
