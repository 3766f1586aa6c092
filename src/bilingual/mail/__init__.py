"""Turn posts into e-mails and send them, once each, to the subscribers in their language.

``edition`` renders a post as a MIME message (an HTML part made for mail clients and a plain
text part), ``subscribers`` keeps the list (CSV or SQLite), ``ledger`` remembers every message
sent, and ``newsletter`` sends what the ledger has not seen yet through ``smtp``.
"""

from __future__ import annotations
