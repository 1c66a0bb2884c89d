"""Vendor the browser assets of the API docs pages (Swagger UI, ReDoc, Scalar) from their npm packages.

The docs must work without internet, so the app serves these files itself
(``/schema/assets``). They are not hand-copied: this script fetches each npm
package at its pinned version with ``npm pack``, checks the tarball against the
pinned integrity hash, and extracts only the files the pages load plus the
package's licence. It writes ``manifest.json`` with every file's sha256; a test
compares the tree with it, so a hand edit fails the suite.

To upgrade: change a version below, run ``uv run python scripts/vendor_docs_assets.py --update-integrity``,
review, commit. Needs ``npm`` on PATH.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "src" / "entrypoints" / "http" / "vendor" / "docs_assets"


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    integrity: str  # the registry's sha512 of the tarball, as in package-lock.json
    folder: str  # where its files go under vendor/docs_assets/
    files: tuple[str, ...]  # paths inside the package; LICENSE always comes along


PACKAGES = (
    NpmPackage(
        name="swagger-ui-dist",
        version="5.35.0",
        integrity="sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
        folder="swagger-ui",
        files=("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"),
    ),
    NpmPackage(
        name="redoc",
        version="2.5.2",
        integrity="sha512-sTJfItvRkcDTojB6wdLN4M+Ua6mlZwElV21Tf8Mn7IbQF/1Os6GvgQpZyLWPGZZHbhy7GC1Or1hTMHfz1vKh5A==",
        folder="redoc",
        files=("bundles/redoc.standalone.js",),
    ),
    NpmPackage(
        name="@scalar/api-reference",
        version="1.72.1",
        integrity="sha512-XpEJ0rfc/cXbCrR+iC4kK0o/WwX2dTtGQbT049OlPKAHD6IMIFdTeGz2r+M27P2EDWKyUITRm/NzlP8z2pw/Ow==",
        folder="scalar",
        files=("dist/browser/standalone.js", "dist/style.css"),
    ),
)


def _sha512_integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def _read(archive: tarfile.TarFile, inside: str) -> bytes | None:
    try:
        member = archive.extractfile(f"package/{inside}")
    except KeyError:
        return None
    return None if member is None else member.read()


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def _licence(archive: tarfile.TarFile, package: NpmPackage) -> bytes:
    """The package's licence file; a package without one gets a note of what its package.json declares."""
    for name in ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE"):
        text = _read(archive, name)
        if text is not None:
            return text
    declared = json.loads(_read(archive, "package.json") or b"{}").get("license", "UNKNOWN")
    return (
        f"{package.name}@{package.version} ships no licence file; its package.json declares the licence "
        f"{declared!r} (SPDX). The package.json beside this file is the package's own.\n"
    ).encode()


def _fetch(package: NpmPackage, into: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to vendor the docs assets")
    output = subprocess.run(  # noqa: S603 - npm from PATH, pinned package names
        [npm, "pack", f"{package.name}@{package.version}", "--json", "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return into / json.loads(output)[0]["filename"]


def vendor(*, update_integrity: bool) -> dict[str, object]:
    manifest: dict[str, object] = {}
    if ASSETS.exists():
        shutil.rmtree(ASSETS)
    ASSETS.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as scratch:
        for package in PACKAGES:
            tarball = _fetch(package, Path(scratch))
            integrity = _sha512_integrity(tarball)
            if not update_integrity and integrity != package.integrity:
                sys.exit(f"{package.name}@{package.version}: integrity {integrity} is not the pinned one")
            target = ASSETS / package.folder
            target.mkdir()
            hashes: dict[str, str] = {}
            with tarfile.open(tarball) as archive:
                for inside in (*package.files, "package.json"):
                    data = _read(archive, inside)
                    if data is None:
                        sys.exit(f"{package.name}@{package.version} has no {inside}")
                    hashes[Path(inside).name] = _write(target / Path(inside).name, data)
                hashes["LICENSE"] = _write(target / "LICENSE", _licence(archive, package))
            manifest[package.folder] = {
                "package": package.name,
                "version": package.version,
                "integrity": integrity,
                "files": hashes,
            }
    (ASSETS / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-integrity", action="store_true", help="accept the fetched tarballs' hashes")
    arguments = parser.parse_args()
    manifest = vendor(update_integrity=arguments.update_integrity)
    for folder, entry in manifest.items():
        print(f"{folder}: {entry['package']}@{entry['version']} {entry['integrity']}")  # type: ignore[index]  # noqa: T201


if __name__ == "__main__":
    main()
