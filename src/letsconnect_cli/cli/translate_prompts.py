"""`lc new-clinic --translate LANG`: the clinic's text in other languages, asked for on a
terminal; without one, the file gets the fields commented out, to fill by hand."""

from typing import Any


def add_translations(fields: dict[str, Any], tags: list[str], interactive: bool) -> None:
    """Put `translations` (and each sharer's) into the new clinic's fields, in place."""
    import typer

    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.places.languages import LanguageTagError, normalise_language_tag

    translations: dict[str, dict[str, str]] = {}
    for raw in tags:
        try:
            tag = normalise_language_tag(raw)
        except LanguageTagError as error:
            raise UsageError(f"--translate: {error}") from None
        entry: dict[str, str] = {}
        translations[tag] = entry
        if not interactive:
            continue  # written as commented fields: `# title = "the title in ja"`

        def ask(prompt: str) -> str:
            return str(typer.prompt(prompt, default="", show_default=False, err=True)).strip()

        for key, label in (("title", "Title"), ("description", "Description")):
            if key == "title" or fields.get("description"):
                answer = ask(f"{label} in {tag} (empty: fill in later)")
                if answer:
                    entry[key] = answer
        for sharer in fields.get("sharers") or []:
            if sharer.get("role"):
                answer = ask(f"Role of {sharer['name']} in {tag} (empty: fill in later)")
                if answer:
                    sharer.setdefault("translations", {})[tag] = {"role": answer}
    fields["translations"] = translations
