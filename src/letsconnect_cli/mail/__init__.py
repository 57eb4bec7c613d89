"""Emailed invitations (`lc invite CLINIC --region R --registrations ... [--send]`).

- `recipients`: a clinic's registrants, one per person, from the ingest records;
- `plan`: who gets a first invitation, an update, a cancellation, or nothing (the send log);
- `sendlog`: the local, git-ignored log of messages sent, addresses kept only as keyed hashes;
- `messages`: one RFC 5322 message per recipient (text and calendar parts);
- `batch`: one clinic's emailed invitations, from registrations to messages, and .eml files;
- `smtp` and `deliver`: the mail server, the pace, outcomes per recipient.
"""
