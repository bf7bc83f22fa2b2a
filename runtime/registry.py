"""Finding destinations by slug: the built-in ones and any folder given."""

from __future__ import annotations

from pathlib import Path

from runtime.definitions import DEFINITION_FILE, Definition, load_definition
from runtime.errors import DefinitionError, Problem

__all__ = ["Registry"]

BUILTIN_PACKAGE = "destinations"


class Registry:
    """Destinations by slug, each checked before it is registered."""

    def __init__(self) -> None:
        self._definitions: dict[str, Definition] = {}

    @classmethod
    def with_builtins(cls, extra_folders: list[Path] | None = None) -> Registry:
        registry = cls()
        registry.add_builtins()
        for folder in extra_folders or []:
            registry.add_folder(folder)
        return registry

    def add_builtins(self) -> None:
        import destinations

        for package_dir in destinations.__path__:
            for folder in sorted(Path(package_dir).iterdir()):
                if (folder / DEFINITION_FILE).is_file():
                    package = f"{BUILTIN_PACKAGE}.{folder.name}"
                    self.register(load_definition(folder, package))

    def add_folder(self, folder: Path) -> Definition:
        """Load one destination folder, or every destination folder inside it."""
        if not (folder / DEFINITION_FILE).is_file() and folder.is_dir():
            children = [
                c for c in sorted(folder.iterdir()) if (c / DEFINITION_FILE).is_file()
            ]
            if children:
                loaded = [self.register(load_definition(child)) for child in children]
                return loaded[-1]
        definition = load_definition(folder)
        return self.register(definition)

    def register(self, definition: Definition) -> Definition:
        existing = self._definitions.get(definition.slug)
        if existing is not None and existing.source != definition.source:
            raise DefinitionError(
                f"duplicate destination slug {definition.slug!r}",
                [
                    Problem(str(existing.source), "registered first"),
                    Problem(
                        str(definition.source),
                        "uses the same slug; give one of them another slug",
                    ),
                ],
            )
        self._definitions[definition.slug] = definition
        return definition

    def get(self, slug: str) -> Definition:
        try:
            return self._definitions[slug]
        except KeyError:
            known = ", ".join(sorted(self._definitions)) or "none"
            raise DefinitionError(
                f"unknown destination {slug!r}",
                [Problem("--destination", f"not found; known destinations: {known}")],
            ) from None

    def slugs(self) -> list[str]:
        return sorted(self._definitions)
