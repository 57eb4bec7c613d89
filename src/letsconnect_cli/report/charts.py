"""Charts of the report as SVG, drawn by pygal (and pygal-maps-world for the world map).

Built from the figures after privacy rules, like every renderer: a hidden count is never drawn as a
number. On the map, countries whose count is hidden are one colour, "hidden" (fewer than K people,
or withheld so a small count cannot be worked out); countries of the Foundation's protection list
are not drawn at all, so they look exactly like countries without participants.

pygal is imported here only, when a chart is made (not for `--format table`). Its SVG is cleaned of
what a self-contained page must not carry: the script pygal adds (tooltips' configuration, which
would hold the chart's texts) and the comment with the day it was drawn (reproducible output).
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

#: The charts, in the order the report shows them: file name stem -> section of the report.
CHARTS = {
    "clinics": "per_clinic",
    "regions": "regions",
    "world": "countries",
    "scores": "satisfaction",
}
_INK = "#202122"
_COLOURS = ("#3366cc", "#14866d", "#ac6600", "#72777d", "#d73333")


def _pygal() -> Any:
    """pygal, imported; without the finder it appends to sys.meta_path on import (for
    `pygal.maps.*` plugin names, which lc does not use): that finder has no `find_spec`, so every
    later import the other finders miss warns (ImportWarning) for the rest of the process."""
    import pygal

    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]
    return pygal


def _style(colours: tuple[str, ...] = _COLOURS) -> Any:
    from pygal.style import Style

    _pygal()

    font = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif'
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=_INK,
        foreground_strong=_INK,
        foreground_subtle="#54595d",
        colors=colours,
        font_family=font,
        title_font_family=font,
        label_font_family=font,
        major_label_font_family=font,
        legend_font_family=font,
        value_font_family=font,
        value_label_font_family=font,
        tooltip_font_family=font,
        no_data_font_family=font,
        title_font_size=18,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
        opacity="1",
        opacity_hover="1",
    )


def _options(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "style": _style(extra.pop("colours", _COLOURS)),
        "js": [],
        "disable_xml_declaration": True,
        "width": 800,
        "height": 400,
        "legend_at_bottom": True,
        "print_values": False,
        **extra,
    }


_DROPPED = frozenset({"script", "metadata"})


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _svg(chart: Any, name: str) -> str:
    """The chart's SVG, without script nor dated comment, with an id of its own."""
    chart.uuid = f"lc-{name}"
    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            tag = child.tag
            if not isinstance(tag, str) or _local(tag) in _DROPPED:
                parent.remove(child)  # comments, scripts, the map file's own metadata
                continue
            # One namespace (SVG, declared on the root): HTML reads "ns0:path" as no SVG at all.
            child.tag = _local(tag)
            for name in [n for n in child.attrib if n.startswith("{")]:
                child.attrib[_local(name)] = child.attrib.pop(name)
    text: str = ET.tostring(tree, encoding="unicode")
    return text


def _clinics(report: dict[str, Any]) -> str | None:
    pygal = _pygal()
    rows = report["per_clinic"]
    if not rows:
        return None
    chart = pygal.Bar(
        **_options(
            "Registrations and attendance per clinic",
            x_label_rotation=0,
            truncate_label=-1,
            y_title="people",
            show_x_guides=False,
        )
    )
    chart.x_labels = [c["date"] or c["clinic"] for c in rows]
    chart.add("Registered", [c["registrations"] for c in rows])
    if any(c["attended"] is not None or "attended" in c["suppressed"] for c in rows):
        chart.add("Attended", [c["attended"] for c in rows])
    return _svg(chart, "clinics")


def _percent(value: float) -> str:
    return f"{value:.1f}%"


def _regions(report: dict[str, Any]) -> str | None:
    pygal = _pygal()
    shown = [r for r in report["regions"] if r["share"] is not None]
    if not shown:
        return None
    chart = pygal.HorizontalBar(
        **_options(
            "Registered participants by region (share)",
            show_legend=False,
            formatter=_percent,
            print_values=True,
            print_values_position="top",
            range=(0, 100),
            height=120 + 36 * len(shown),
        )
    )
    ordered = list(reversed(shown))  # the largest on top
    chart.x_labels = [r["name"] for r in ordered]
    chart.add("share", [round(r["share"] * 100, 1) for r in ordered])
    return _svg(chart, "regions")


def _map_count(value: Any) -> str:
    """A map value (pygal gives the country code with it) as a count."""
    n = value[-1] if isinstance(value, tuple) else value
    return f"{n:,}"


def _map_hidden(_value: Any) -> str:
    return "hidden"


def _world(report: dict[str, Any]) -> str | None:
    _pygal()
    from pygal_maps_world.i18n import COUNTRIES
    from pygal_maps_world.maps import World

    countries = report["countries"]
    visible = {
        c["country"].lower(): c["participants"]
        for c in countries
        if not c["suppressed"] and c["participants"] and c["country"].lower() in COUNTRIES
    }
    hidden = {
        c["country"].lower(): 1
        for c in countries
        if c["suppressed"] and c["country"].lower() in COUNTRIES
    }
    if not visible and not hidden:
        return None
    k = report["min_count"]
    chart = World(
        **_options("Registered participants by country", height=500, colours=("#3366cc", "#a2a9b1"))
    )
    label = f"Hidden (fewer than {k}, or withheld)"
    chart.add("Registered participants", visible, formatter=_map_count)
    chart.add(label, hidden, formatter=_map_hidden)
    return _svg(chart, "world")


def _scores(report: dict[str, Any]) -> str | None:
    pygal = _pygal()
    satisfaction = report["satisfaction"]
    distribution = satisfaction["distribution"]
    if not any(v is not None for v in distribution.values()):
        return None
    chart = pygal.Bar(
        **_options(
            "Satisfaction: responses per score (1 = not at all, 5 = completely)",
            show_legend=False,
            print_values=True,
        )
    )
    chart.x_labels = list(distribution)
    chart.add("responses", list(distribution.values()))
    return _svg(chart, "scores")


_MAKERS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "clinics": _clinics,
    "regions": _regions,
    "world": _world,
    "scores": _scores,
}


def render_charts(report: dict[str, Any]) -> dict[str, str]:
    """name -> SVG text, for the charts the figures allow (none without data)."""
    result = {}
    for name in CHARTS:
        svg = _MAKERS[name](report)
        if svg is not None:
            result[name] = svg
    return result


def png_converter() -> Callable[[str], bytes] | None:
    """SVG to PNG with cairosvg (no browser), or None where it is not installed or has no Cairo."""
    try:
        import cairosvg
    except (ImportError, OSError):
        return None

    def convert(svg: str) -> bytes:
        data: bytes = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=1600)
        return data

    return convert
