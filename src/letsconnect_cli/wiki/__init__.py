"""The wiki: a small MediaWiki Action API client, and publishing without overwriting edits.

- `client`: bot-password login, reading a page, editing it (httpx);
- `publish`: what lc published last per page, and the checks before it edits again;
- `publishing`: one `lc publish` run without the terminal: log in, read, decide, edit, record.

May import: the top-level modules and `invites.ledger` (its lock wait); never `cli`.
"""
