"""Turn print HTML into PDF editions with WeasyPrint, imported here once (libraries.py)."""

from bilingual.publish.pdf.libraries import import_module

import_module("weasyprint")
