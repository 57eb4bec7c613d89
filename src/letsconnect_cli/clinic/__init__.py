"""Clinics: the clinic model and its files, and checking them.

- `models`: what a clinic file holds (the pydantic model) and its rules;
- `values`: the checked kinds of value of clinic files and lc.toml (links, text, tags, codes);
- `durations`: `2h`, `90m`, `PT1H30M`;
- `clinics`: finding, reading and checking clinic files, writing new ones;
- `creation`: a new clinic file from its values (`lc new-clinic`'s work once they are known);
- `validation` and `validation_cache`: `lc validate`'s work, and its cache of per-file records;
- `drafts`: a new clinic's values, checked one at a time as `lc new-clinic` asks for them;
- `translations`: a clinic's own text in another language;
- `folder`: a liaison's folder as `lc init` starts it.

May import: the top-level foundation (errors, files, tomltext, vocab, ...), `places`, and `slots`
(the time check of `lc validate` and `lc new-clinic`); never `cli`.
"""
