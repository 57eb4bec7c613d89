"""The report of `lc invite --registrations`: who gets what, by country and per recipient,
as a table or JSON; addresses masked unless --show-addresses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from letsconnect_cli.cli.context import AppContext
    from letsconnect_cli.mail.batch import Prepared
    from letsconnect_cli.mail.deliver import Outcome
    from letsconnect_cli.mail.plan import Delivery

#: Meta-Wiki's event registration gives usernames, no addresses: the wiki itself can write to them.
META_WIKI_NOTE = (
    "{n} of those without an email address registered on Meta-Wiki (event registration gives "
    'usernames only): reach them with the "Email participants" feature of the event\'s '
    "Special:EventDetails page on Meta-Wiki."
)


class ReportOptions(Protocol):
    """What the report depends on of the run's options (`invite_mail.Request`)."""

    @property
    def json_output(self) -> bool: ...

    @property
    def show_addresses(self) -> bool: ...


KIND_LABELS = {
    "new": "invitation",
    "update": "update",
    "cancel": "cancellation",
    "current": "up to date",
}


def mask(address: str) -> str:
    """'j***@e***.org': enough to tell people apart in a report, not to read the address."""
    local, _, domain = address.partition("@")
    labels = domain.split(".")
    return f"{local[:1]}***@{labels[0][:1]}***.{labels[-1]}"


def report(
    context: AppContext,
    request: ReportOptions,
    prepared: Prepared,
    *,
    mode: str,
    files: dict[str, Path] | None = None,
    states: dict[str, str] | None = None,
    outcomes: list[Outcome] | None = None,
) -> None:
    """The report on stdout: the counts and, unless a dry run without --show-addresses, one row
    per recipient; or one JSON document with --json."""
    from letsconnect_cli.cli.output import print_json

    by_recipient = {o.item.delivery.recipient: o for o in outcomes or []}
    message_ids = {item.delivery.recipient: item.message_id for item in prepared.outgoing}
    rows = []
    for delivery in prepared.plan.deliveries:
        outcome = by_recipient.get(delivery.recipient)
        file = (files or {}).get(delivery.recipient)
        message_id = message_ids.get(delivery.recipient)
        rows.append(
            _row(request, prepared, delivery, mode, outcome, file, states or {}, message_id)
        )
    if request.json_output:
        print_json(_as_json(prepared, mode, rows, request.show_addresses))
        return
    _show(context, request, prepared, mode, rows)


def _row(
    request: ReportOptions,
    prepared: Prepared,
    delivery: Delivery,
    mode: str,
    outcome: Outcome | None,
    file: Path | None,
    states: dict[str, str],
    message_id: str | None,
) -> dict[str, Any]:
    if not delivery.sends:
        state, detail = "up to date", ""
    elif mode == "dry-run":
        state, detail = "would send", ""
    elif mode == "eml":
        state, detail = "written", states.get(file.name, "") if file else ""
    elif outcome is not None:
        state, detail = outcome.status, outcome.detail
    else:
        state, detail = "not sent", ""
    return {
        "id": delivery.recipient[:16] if prepared.stable_ids else None,
        "address": delivery.address if request.show_addresses else mask(delivery.address),
        "country": delivery.country,
        "in_region": delivery.in_region,
        "kind": delivery.kind,
        "method": delivery.method,
        "sequence": delivery.sequence,
        "language": prepared.languages.get(delivery.recipient),
        "message_id": message_id if delivery.sends else None,
        "file": str(file) if file else None,
        "outcome": state,
        "detail": detail,
    }


def _as_json(
    prepared: Prepared, mode: str, rows: list[dict[str, Any]], show_addresses: bool = False
) -> dict[str, Any]:
    plan = prepared.plan
    people = plan.registrants
    data: dict[str, Any] = {
        "clinic": prepared.clinic.id,
        "uid": plan.uid,
        "status": prepared.clinic.status.value,
        "sequence": plan.sequence,
        "method": plan.method,
        "regions": list(plan.regions),
        "mode": mode,
        "counts": plan.counts(),
        "by_country": plan.by_country(),
        "not_invited": {
            "outside_region": plan.outside_region,
            "no_country": plan.no_country,
            "without_address": people.without_address,
            "without_address_meta_wiki": people.meta_wiki,
            "bad_address": people.bad_address,
            "never_invited": plan.never_invited,
        },
        "unknown_country": plan.unknown_country,
        "not_invited_people": not_invited_list(prepared, show_addresses),
        "unreachable": plan.unreachable,
        "registration_rows": people.rows,
        "recipients": rows,
    }
    if mode == "send":
        data["sent"] = sum(1 for r in rows if r["outcome"] == "sent")
        data["not_sent"] = sum(1 for r in rows if r["kind"] != "current" and r["outcome"] != "sent")
    return data


def _show(
    context: AppContext,
    request: ReportOptions,
    prepared: Prepared,
    mode: str,
    rows: list[dict[str, Any]],
) -> None:
    from rich.text import Text

    from letsconnect_cli.cli.output import clinic_heading, new_table, print_block
    from letsconnect_cli.invites.ics_event import when_utc
    from letsconnect_cli.places.regions import countries

    plan = prepared.plan
    content = prepared.invite.content
    names = countries()
    blocks: list[Any] = [
        clinic_heading(prepared.clinic),
        Text(
            f"{when_utc(content.start, content.end)}; {plan.method}, SEQUENCE {plan.sequence}; "
            f"registrants in {', '.join(plan.regions)}"
        ),
    ]
    table = new_table()
    table.add_column("country")
    for kind in KIND_LABELS.values():
        table.add_column(kind, justify="right")
    totals = plan.counts()
    for code, counts in plan.by_country().items():
        label = f"{code} {names[code].name}" if code in names else "(unknown)"
        table.add_row(label, *(str(counts[k] or "") for k in KIND_LABELS))
    table.add_row("total", *(str(totals[k]) for k in KIND_LABELS))
    blocks.append(table)
    blocks.append(Text(_not_invited(prepared)))
    if plan.unknown_country:
        blocks.append(
            Text(
                f"invited although their country is unknown: {plan.unknown_country} "
                "(--skip-unknown-country leaves them out; map a spelling with "
                "[report.countries] in lc.toml or --map-country)"
            )
        )
    left_out = not_invited_list(prepared, request.show_addresses)
    if left_out:
        # A dry run shows no address, not even masked, without --show-addresses (as for the
        # recipients): the first row of each person in the exports tells them apart.
        with_address = mode != "dry-run" or request.show_addresses
        listing = new_table()
        columns = ("not invited", "reason", "first row", "how to fix")
        for column in columns if with_address else columns[1:]:
            listing.add_column(column, overflow="fold")
        for item in left_out:
            cells = [item["reason"], item["first"], item["fix"]]
            if with_address:
                cells.insert(0, item["address"] or "(no address)")
            listing.add_row(*(Text(cell) for cell in cells))  # cells are text, not markup
        blocks.append(listing)
    if mode != "dry-run" or request.show_addresses:
        detail = new_table()
        detail.add_column("recipient")
        detail.add_column("id")
        detail.add_column("country")
        detail.add_column("what")
        detail.add_column("lang")
        detail.add_column("outcome")
        for row in rows:
            outcome = row["outcome"]
            if row["detail"]:
                outcome += f": {row['detail']}"
            detail.add_row(
                row["address"],
                (row["id"] or "")[:8],
                row["country"] or "",
                KIND_LABELS[row["kind"]],
                row["language"] or "",
                outcome,
            )
        blocks.append(detail)
    print_block(context.out(), *blocks)


def _fixes(regions: str) -> dict[str, str]:
    return {
        "outside_region": f"none if right: their country is outside {regions}; if the export "
        "names a wrong country, correct it or map its spelling in [report.countries]",
        "unknown_country": "map the country's spelling in [report.countries] of lc.toml or with "
        "--map-country, or leave out --skip-unknown-country",
        "without_address": "ask them for an email address (the registration has none)",
        "bad_address": "correct the address in the export",
        "never_invited": "none: the clinic is cancelled and they never had an invitation",
    }


def not_invited_list(prepared: Prepared, show_addresses: bool) -> list[dict[str, Any]]:
    """Everyone left without a message: address (masked), reason, first row, how to fix it."""
    from letsconnect_cli.ingest.folding import shown_value

    fixes = _fixes(", ".join(prepared.plan.regions))
    rows = []
    for item in prepared.plan.not_invited:
        address = item.address
        if address:
            address = shown_value(address if show_addresses else mask(address), 254)
        rows.append(
            {
                "address": address or None,
                "reason": item.reason,
                "first": shown_value(item.first, 500),
                "fix": fixes[item.reason],
            }
        )
    return rows


def _not_invited(prepared: Prepared) -> str:
    plan = prepared.plan
    people = plan.registrants
    parts = [
        (plan.outside_region, "in other regions"),
        (plan.no_country, "without a country"),
        (people.without_address, "without an email address"),
        (people.bad_address, "with an address lc cannot send to"),
        (plan.never_invited, "never invited (the clinic is cancelled)"),
    ]
    listed = [f"{count} {what}" for count, what in parts if count]
    line = "not invited: " + ("; ".join(listed) if listed else "none")
    if plan.unreachable:
        line += f"; unreachable (invited before, not in the exports now): {plan.unreachable}"
    return line
