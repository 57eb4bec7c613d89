"""Places and languages: countries, regions, time zones, language tags, localised labels.

- `regions`: countries, the Foundation's regions, and each region's time zones;
- `timezones`: UTC <-> local time, zone lookup, zone groups, local-time tables;
- `languages`: BCP 47 language tags checked against ISO 639, 15924 and 3166;
- `i18n`: gettext catalogs for the fixed labels; Babel for dates, times and lists.

May import: the top-level modules (errors, vocab, ...) only; the rest of lc builds on these.
"""
