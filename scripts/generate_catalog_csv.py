"""Write a catalog CSV of N rows for `commerce catalog import`, with a known share of bad rows.

    uv run python scripts/generate_catalog_csv.py --rows 100000 --bad-every 100 --slug ropa > big.csv

Every ``--bad-every``-th row breaks one rule (a rotating one: price, stock, SKU, status,
category, image URL, currency); the line numbers of the bad rows go to stderr-free
``--bad-lines FILE`` when given, so a run's error report can be compared with them.
"""

from __future__ import annotations

import argparse
import csv
import sys

HEADER = ("sku", "name", "description", "price_minor", "currency", "stock", "category_slug", "status", "images")
BREAKS = (
    ("price_minor", "0"),
    ("stock", "-3"),
    ("sku", "not a sku!"),
    ("status", "sold-out"),
    ("category_slug", "no-such-category"),
    ("images", "ftp://images.example.com/x.jpg"),
    ("currency", "USD"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bad-every", type=int, default=100, help="every Nth row is bad (0: none)")
    parser.add_argument("--slug", required=True, help="an existing category slug")
    parser.add_argument("--currency", default="COP")
    parser.add_argument("--bad-lines", help="write the bad rows' line numbers and columns here")
    args = parser.parse_args()
    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow(HEADER)
    bad = []
    for number in range(1, args.rows + 1):
        values = {
            "sku": f"GEN-{number:08d}",
            "name": f"Camiseta de algodón {number}",
            "description": f"Camiseta número {number}, algodón peinado, \"talla única\", lavable",
            "price_minor": str(1_000_000 + number),
            "currency": args.currency,
            "stock": str(number % 50),
            "category_slug": args.slug,
            "status": "active" if number % 10 else "draft",
            "images": f"https://images.example.com/{number}.jpg|https://images.example.com/{number}-2.jpg",
        }
        if args.bad_every and number % args.bad_every == 0:
            column, value = BREAKS[(number // args.bad_every) % len(BREAKS)]
            values[column] = value
            bad.append((number + 1, column))
        writer.writerow(values[name] for name in HEADER)
    if args.bad_lines:
        with open(args.bad_lines, "w", encoding="utf-8", newline="") as sink:
            csv.writer(sink, lineterminator="\r\n").writerows([("line", "column"), *bad])


if __name__ == "__main__":
    main()
