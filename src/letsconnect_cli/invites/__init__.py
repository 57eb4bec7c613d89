"""Calendar invites: one clinic as an iCalendar event, the `.ics` files and feed, the ledger.

- `ics_event`: what a clinic's event says, and the `.ics` bytes (built with `ics`);
- `icsfix`: RFC 5545 bytes from `ics`'s output, the one place that corrects it;
- `issuing`: `lc invite`'s work without the terminal: which clinics, local times, the files;
- `ledger`: the ledger of issued invites (UIDs and SEQUENCEs) that keeps invites updatable.

May import: the top-level modules (the organiser from `emails`, settings from `config`), `places`
and `clinic`; never `cli`.
"""
