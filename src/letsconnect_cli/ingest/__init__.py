"""Reading the program's exports: registrations, attendance and feedback, cleaned, one record a row.

The public API, for `lc report` and any command that needs the people of the exports (invites,
slots):

    from letsconnect_cli.ingest import IngestLog, ReadOptions, read_records

    log = IngestLog()
    for record in read_records(["exports/"], clinics, ReadOptions(scheme=Scheme.WIKIMEDIA), log):
        record.email, record.username, record.country, record.region, record.clinic ...

Readers, one module per format: `tabular` (Google Forms registration and feedback, Zoom meeting
participants, any CSV with mappable headers), `zoom_report` (Zoom attendee reports, 2020 and 2025
layouts), `campaignevents` (Meta-Wiki event registration JSON); `remote` fetches URLs; `cleaning`
normalises values; `attribution` finds each row's clinic; `people` says which records are the same
person (the report, invitations and `lc slots` weights use it).
"""

from letsconnect_cli.ingest.cleaning import ROLES, clean_email, clean_username, country_code
from letsconnect_cli.ingest.records import IngestLog, Record, Skip, SourceInfo
from letsconnect_cli.ingest.remote import FetchOptions
from letsconnect_cli.ingest.sources import ReadOptions, SourceSpec, expand_sources, read_records
from letsconnect_cli.ingest.timestamps import parse_timestamp

__all__ = [
    "ROLES",
    "FetchOptions",
    "IngestLog",
    "ReadOptions",
    "Record",
    "Skip",
    "SourceInfo",
    "SourceSpec",
    "clean_email",
    "clean_username",
    "country_code",
    "expand_sources",
    "parse_timestamp",
    "read_records",
]
