"""Entry point for ``python -m actorlint``."""

from actorlint.cli import main

if __name__ == "__main__":
    main()
