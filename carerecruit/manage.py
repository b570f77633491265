"""The `carerecruit` command: the installed product's manage.py plus our own commands."""

import os
import sys


def main() -> None:
    """Run a Django management command from the command line (``carerecruit <command>``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carerecruit.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # The embedded SQLite database lives in a local data folder; make it on first use.
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
