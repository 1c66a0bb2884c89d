"""The docs pages work without internet: their assets come from the app, at pinned, vendored versions."""

import hashlib
import json
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from entrypoints.http.app import create_app
from entrypoints.http.docs import ASSETS_DIR
from entrypoints.settings import Settings

DOCS_PAGES = ["/schema", "/schema/swagger", "/schema/redoc"]


def test_the_vendored_assets_are_exactly_what_the_vendoring_script_wrote():
    manifest = json.loads((ASSETS_DIR / "manifest.json").read_text())
    assert set(manifest) == {"swagger-ui", "redoc", "scalar"}
    on_disk = {str(path.relative_to(ASSETS_DIR)) for path in ASSETS_DIR.rglob("*") if path.is_file()} - {
        "manifest.json"
    }
    listed = {f"{folder}/{name}" for folder, entry in manifest.items() for name in entry["files"]}
    assert on_disk == listed
    for folder, entry in manifest.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", entry["version"]), "versions are pinned, never 'latest'"
        assert "LICENSE" in entry["files"]
        for name, digest in entry["files"].items():
            assert hashlib.sha256((ASSETS_DIR / folder / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize("page", DOCS_PAGES)
async def test_docs_pages_load_nothing_from_another_host(client, page):
    response = await client.get(page)
    assert response.status_code == 200
    referenced = re.findall(r"""(?:src|href)=["']([^"']+)["']""", response.text)
    assert referenced, "the page loads its assets"
    assert all(url.startswith("/schema/assets/") for url in referenced), referenced
    for url in referenced:
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].split(";")[0] in {"text/javascript", "application/javascript", "text/css"}


# --- A real browser, with the network blocked -------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served_app(settings: Settings) -> Iterator[str]:
    """The app on a real port, in a thread of this process (its lifespan opens its own pools)."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the app did not start"
        assert time.monotonic() < deadline, "the app did not start within 30 s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def _rendered_dom(url: str, profile: Path) -> str:
    assert CHROMIUM is not None
    completed = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={profile}",
            # The network is blocked: every host but this machine resolves to nothing, and any
            # connection that still tries goes to a proxy that does not exist.
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            "--proxy-server=http://127.0.0.1:9",  # loopback is implicitly bypassed: the app stays reachable
            "--virtual-time-budget=15000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_swagger_ui_renders_the_operations_with_the_network_blocked(served_app, tmp_path):
    dom = _rendered_dom(f"{served_app}/schema/swagger", tmp_path / "profile")
    assert "Failed to load API definition" not in dom
    paths = set(re.findall(r'data-path="([^"]+)"', dom))
    assert {"/api/v1/auth/login", "/api/v1/products"} <= paths, dom[:2000]
    assert dom.count('class="opblock ') >= 20


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_redoc_renders_the_operations_with_the_network_blocked(served_app, tmp_path):
    dom = _rendered_dom(f"{served_app}/schema/redoc", tmp_path / "profile")
    assert "/api/v1/auth/login" in dom
    assert "/api/v1/products" in dom


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_the_blocked_browser_really_has_no_network(tmp_path):
    # The same flags make a page that needs another host fail: the test above proves something.
    page = tmp_path / "cdn.html"
    page.write_text(
        "<html><body><div id=r>not loaded</div>"
        "<script src='https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0/swagger-ui-bundle.js'></script>"
        "<script>document.getElementById('r').textContent = typeof SwaggerUIBundle</script></body></html>"
    )
    dom = _rendered_dom(page.as_uri(), tmp_path / "profile")
    assert "undefined" in dom
    assert "function" not in dom
