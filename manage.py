#!/usr/bin/env python
"""Development convenience: the same as the installed `carerecruit` command."""

from carerecruit.manage import main

if __name__ == "__main__":
    main()
