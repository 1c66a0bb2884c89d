"""The admin-managed category tree, kept as materialised slug paths (``ropa/zapatos``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NewType
from uuid import UUID

from domain.errors import InvalidValue
from domain.text import bounded, one_line

CategoryId = NewType("CategoryId", UUID)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_DEPTH = 6


def slugify(text: str) -> str:
    """``Zapatos de Niño`` → ``zapatos-de-nino``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def category_slug(raw: str) -> str:
    slug = slugify(raw)
    if not 1 <= len(slug) <= 60 or not _SLUG.match(slug):
        raise InvalidValue("a slug has 1 to 60 letters, digits and dashes", field="slug", rule="slug_format")
    return slug


def category_name(raw: str) -> str:
    return bounded(one_line(raw), 1, 80, "a category name has 1 to 80 characters", field="name", rule="name_length")


@dataclass(slots=True)
class Category:
    id: CategoryId
    name: str
    slug: str
    parent_id: CategoryId | None
    path: str

    @classmethod
    def create(cls, *, id: CategoryId, name: str, slug: str | None, parent: Category | None) -> Category:
        """A new category under ``parent`` (``None``: a root); the slug defaults to the slugified name."""
        name = category_name(name)
        slug = category_slug(slug if slug is not None else slugify(name) or name)
        return cls(id=id, name=name, slug=slug, parent_id=parent.id if parent else None, path=child_path(parent, slug))

    def revise(self, *, name: str | None, slug: str | None, parent: Category | None, levels_below: int = 0) -> None:
        """Rename and/or move it; ``parent`` is where it ends up (its current parent when it stays).

        ``levels_below`` is how many levels of descendants move with it (0 for a
        leaf). Nothing changes unless every rule holds: valid name and slug, no
        move under itself or its descendants, and neither it nor its deepest
        descendant deeper than ``MAX_DEPTH``.
        """
        new_name = category_name(name) if name is not None else self.name
        new_slug = category_slug(slug) if slug is not None else self.slug
        if parent is not None and (parent.id == self.id or self.is_ancestor_of(parent)):
            raise InvalidValue(
                "a category cannot move under itself or its descendants", field="parent_id", rule="cycle"
            )
        path = child_path(parent, new_slug)
        if path.count("/") + 1 + levels_below > MAX_DEPTH:
            raise InvalidValue(
                f"categories nest at most {MAX_DEPTH} deep, and this move would push its subcategories deeper",
                field="parent_id",
                rule="too_deep",
            )
        self.name, self.slug, self.path = new_name, new_slug, path
        self.parent_id = parent.id if parent else None

    @property
    def depth(self) -> int:
        return self.path.count("/") + 1

    def is_ancestor_of(self, other: Category) -> bool:
        return other.path.startswith(self.path + "/")


def child_path(parent: Category | None, slug: str) -> str:
    path = f"{parent.path}/{slug}" if parent is not None else slug
    if path.count("/") + 1 > MAX_DEPTH:
        raise InvalidValue(f"categories nest at most {MAX_DEPTH} deep", field="parent_id", rule="too_deep")
    return path
