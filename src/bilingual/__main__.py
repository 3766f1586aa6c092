"""Run the command line interface as ``python -m bilingual``."""

from bilingual.cli import main

main()
