"""Run the command line interface as ``python -m bilingual``."""

from .cli import main

main()
