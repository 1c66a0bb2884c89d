"""The catalog CSV format (UTF-8, a header row, RFC 4180 quoting), read and written in one place.

Columns, in any order: ``sku,name,description,price_minor,currency,stock,category_slug,status,images``.
``images`` holds URLs separated by ``|``. This module only turns text into typed
values and back; the business rules are the domain's (``Product.create`` and
``Product.revise``), applied by ``ImportCatalog`` exactly as for the API.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from domain.catalog.imports import RowError
from domain.catalog.products import Product, ProductStatus, product_sku
from domain.errors import DomainError, InvalidValue

COLUMNS = ("sku", "name", "description", "price_minor", "currency", "stock", "category_slug", "status", "images")
IMAGE_SEPARATOR = "|"

# Where a domain rule's field is found in the file.
_COLUMN_OF_FIELD = {
    "price.amount_minor": "price_minor",
    "price.currency": "currency",
    "category_id": "category_slug",
}


def column_of(error: DomainError) -> str:
    field = error.field or ""
    return _COLUMN_OF_FIELD.get(field, field if field in COLUMNS else "")


class RowRejected(InvalidValue):
    """A value of one row cannot even be read (not a number, an unknown status); ``field`` is its column."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message, field=column, rule="csv")


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One record of the file, its values typed but not yet checked against the business rules."""

    line: int
    sku: str
    name: str
    description: str
    price_minor: int
    currency: str
    stock: int
    category_slug: str
    status: ProductStatus
    images: tuple[str, ...]


def header_errors(header: list[str]) -> list[RowError]:
    """Every unknown, repeated or missing column of the header row (line 1)."""
    errors = [RowError(1, name, "unknown column") for name in header if name not in COLUMNS]
    errors += [RowError(1, name, "column repeated") for name in set(header) if header.count(name) > 1]
    errors += [RowError(1, name, "missing column") for name in COLUMNS if name not in header]
    return errors


def _whole_number(values: dict[str, str], column: str) -> int:
    raw = values[column].strip()
    try:
        return int(raw)
    except ValueError:
        raise RowRejected(column, f"{column} is a whole number, got {raw[:40]!r}") from None


def _status(raw: str) -> ProductStatus:
    try:
        return ProductStatus(raw.strip().lower())
    except ValueError:
        raise RowRejected("status", "status is draft, active or archived") from None


def catalog_row(line: int, values: dict[str, str]) -> CatalogRow:
    """The typed values of one record; :class:`RowRejected` names the first column that cannot be read."""
    try:
        sku = product_sku(values["sku"])
    except InvalidValue as error:
        raise RowRejected("sku", error.message) from None
    images = values["images"].strip()
    return CatalogRow(
        line=line,
        sku=sku,
        name=values["name"],
        description=values["description"],
        price_minor=_whole_number(values, "price_minor"),
        currency=values["currency"].strip(),
        stock=_whole_number(values, "stock"),
        category_slug=values["category_slug"].strip(),
        status=_status(values["status"]),
        images=tuple(url.strip() for url in images.split(IMAGE_SEPARATOR)) if images else (),
    )


class CatalogCsvReader:
    """Reads records one at a time (constant memory), with the line each starts on."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._reader = csv.reader(lines, strict=True)
        self._width = 0

    def read_header(self) -> list[str]:
        """The column names of the first row (none for an empty file); read before :meth:`records`."""
        header = [name.strip() for name in next(self._reader, [])]
        self._width = len(header)
        return header

    def records(self) -> Iterator[tuple[int, list[str] | RowError]]:
        """Each record's first line and fields, or the error of a record with the wrong number of fields."""
        ended = self._reader.line_num
        for fields in self._reader:
            line, ended = ended + 1, self._reader.line_num
            if not fields:
                continue  # a blank line
            if len(fields) != self._width:
                yield line, RowError(line, "", f"expected {self._width} fields, found {len(fields)}")
                continue
            yield line, fields


class _Line:
    """A file-like sink that hands back what ``csv.writer`` wrote for one record."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)


class CatalogCsvWriter:
    """Writes the header and products as CSV lines, with the same columns :class:`CatalogCsvReader` reads."""

    def __init__(self) -> None:
        self._line = _Line()
        self._writer = csv.writer(self._line, lineterminator="\r\n")

    def _format(self, values: Iterable[str | int]) -> str:
        self._line.text = ""
        self._writer.writerow(values)
        return self._line.text

    def header(self) -> str:
        return self._format(COLUMNS)

    def product(self, product: Product, category_slug: str) -> str:
        return self._format(
            (
                product.sku,
                product.name,
                product.description,
                product.price.amount_minor,
                product.price.currency.code,
                product.stock,
                category_slug,
                product.status.value,
                IMAGE_SEPARATOR.join(product.images),
            )
        )
