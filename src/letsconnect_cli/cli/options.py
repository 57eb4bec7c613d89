"""Options shared by several commands, defined once as Annotated aliases."""

from typing import Annotated

import typer

from letsconnect_cli.cli import completion

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout (messages go to stderr).")
]
ForceOption = Annotated[bool, typer.Option("--force", "-f", help="Overwrite an existing file.")]
RegionsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--region",
        "-r",
        metavar="CODE",
        help="Region code (CEE, ESEAP, LAC, MENA, NA, NWE, SA, SSA); repeat for several.",
        autocompletion=completion.region_codes,
    ),
]
ApiUrlOption = Annotated[
    str | None,
    typer.Option(
        "--api-url",
        metavar="URL",
        help="The wiki's api.php [default: [wiki] api_url, Meta-Wiki].",
        show_default=False,
    ),
]
TzOption = Annotated[
    str | None,
    typer.Option(
        "--tz",
        metavar="ZONE",
        help="Also show times in this IANA zone, e.g. Asia/Manila [default: timezone of lc.toml].",
        autocompletion=completion.time_zones,
    ),
]
MapCountryOption = Annotated[
    list[str] | None,
    typer.Option(
        "--map-country",
        metavar="SPELLING=CODE",
        help='Read a country spelling as this ISO code, e.g. "Phillipines=PH", for this run '
        "(as [report.countries] of lc.toml does); repeatable.",
    ),
]
