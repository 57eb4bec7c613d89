"""Announcements of clinics: the template context, rendering, the email form, the calendar page.

- `render`: what an announcement says (the template context) and rendering it in a format;
- `email_message`: an announcement as an RFC 5322 message for a mailing list;
- `index_page`: the program's calendar page of upcoming clinics (`lc publish --index`).

May import: the top-level modules (escaping is the one place per output kind), `places` and
`clinic`; never `cli`.
"""
