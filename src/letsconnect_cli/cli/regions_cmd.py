"""`lc regions`: the Foundation's regions, their countries and their time-zone groups."""

from typing import Annotated, Any

import typer

from letsconnect_cli.cli import completion
from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import JsonOption
from letsconnect_cli.vocab import Scheme


def regions(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(
            metavar="CODE",
            help="A region code, e.g. ESEAP: show its countries and zone groups.",
            autocompletion=completion.region_codes,
        ),
    ] = None,
    scheme: Annotated[
        Scheme,
        typer.Option(
            "--scheme",
            help="wikimedia: the Foundation's 8 regions (2022); grant-committee: the older 7, with MEA.",
        ),
    ] = Scheme.WIKIMEDIA,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="DATETIME",
            help="Show offsets at this instant (ISO 8601 with Z or offset) [default: now].",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """List the regions, or show one region's countries and time-zone groups with their offsets."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from letsconnect_cli.cli.output import new_table, print_json
    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.places import regions as regions_lib
    from letsconnect_cli.places import timezones

    context = app_context(ctx)
    moment = context.now()
    if at is not None:
        try:
            moment = datetime.fromisoformat(at)
        except ValueError:
            raise UsageError(
                f"--at {at!r} is not an ISO 8601 date-time", hint="e.g. 2023-04-02T06:00:00Z"
            ) from None
        if moment.tzinfo is None:
            raise UsageError(f"--at {at!r} has no offset", hint=f"add Z for UTC: {at}Z")
        from letsconnect_cli.places.timezones import year_problem

        problem = year_problem(moment.year)
        if problem:
            raise UsageError(f"--at {at!r} is {problem}")
        moment = moment.astimezone(UTC)
    main_cities = context.config.main_cities() if code else {}

    if code is None:
        rows = []
        for item in regions_lib.all_regions(scheme):
            groups = regions_lib.zone_groups([item], moment)
            rows.append(
                {
                    "code": item.code,
                    "name": item.name,
                    "countries": len(item.countries),
                    "protected_countries": sum(1 for c in item.countries if c.protected),
                    "zones": len(item.zones),
                    "zone_groups": len(groups),
                }
            )
        if json_output:
            print_json({"scheme": scheme.value, "regions": rows})
            return
        table = new_table()
        for column in ("code", "name", "countries", "protected", "zones", "zone groups"):
            table.add_column(column, justify="left" if column in ("code", "name") else "right")
        for row in rows:
            table.add_row(*(str(v) for v in row.values()))
        context.out().print(table)
        return

    region = regions_lib.region(code, scheme, main_cities)
    groups = regions_lib.zone_groups([region], moment)
    from letsconnect_cli.places.timezones import format_offset

    def offset(zone: str) -> str:
        return format_offset(moment.astimezone(ZoneInfo(zone)).utcoffset())

    data: dict[str, Any] = {
        "code": region.code,
        "name": region.name,
        "scheme": scheme.value,
        "at": moment.isoformat(),
        "countries": [
            {
                "country": c.code,
                "name": c.name,
                "protected": c.protected,
                "zones": list(timezones.zones_of_country(c.code)),
            }
            for c in region.countries
        ],
        "zone_groups": [
            {
                "label": g.label,
                "zone": g.zone,
                "utc_offset": offset(g.zone),
                "zones": list(g.zones),
                "countries": list(g.countries),
            }
            for g in groups
        ],
    }
    if json_output:
        print_json(data)
        return

    out = context.out()
    out.print(f"{region.code}: {region.name} ({scheme.value} scheme)", markup=False)
    countries = new_table("Countries")
    for column in ("code", "name", "protected", "time zones"):
        countries.add_column(column)
    for c in data["countries"]:
        countries.add_row(
            c["country"], c["name"], "yes" if c["protected"] else "", ", ".join(c["zones"])
        )
    out.print(countries)
    groups_table = new_table(f"Zone groups at {moment:%Y-%m-%d %H:%M} UTC")
    for column in ("group", "UTC offset", "local time", "countries", "cities"):
        groups_table.add_column(column)
    for g in groups:
        local = moment.astimezone(ZoneInfo(g.zone))
        groups_table.add_row(
            g.label, offset(g.zone), f"{local:%a %H:%M}", " ".join(g.countries), ", ".join(g.cities)
        )
    out.print(groups_table)
