"""A local S3 server for the tests: moto's server mode on 127.0.0.1 (a free
port), started by the ``s3`` fixture and stopped after the module, with a
bucket of forms: ``in/`` holds the text seeds, ``in/deep/`` seed 003's PDF and
a broken PDF. Import ``s3_fixture`` into a test module to use the fixture ``s3``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(ROOT.glob("corpus/seeds/*/*.txt"))
PDF = ROOT / "corpus" / "renditions" / "seed_003" / "seed_003.pdf"
BROKEN = b"%PDF-1.4\n" + bytes(range(256)) * 4
BUCKET = "jixiao-forms"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",  # never ask a cloud metadata address for anything
}
# what the bucket's forms are: URL of each file with forms, and of the broken one
FORM_URLS = [f"s3://{BUCKET}/in/{p.name}" for p in SEEDS] + [f"s3://{BUCKET}/in/deep/seed_003.pdf"]
BROKEN_URL = f"s3://{BUCKET}/in/deep/broken.pdf"
LOCAL = [*SEEDS, PDF]  # the local copies of FORM_URLS' files, in that order


@pytest.fixture(scope="module", name="s3")
def s3_fixture() -> Iterator[dict[str, Any]]:
    """``{"endpoint": URL, "options": storage_options}`` of the running server."""
    fsspec = pytest.importorskip("fsspec", reason="the remote extra (fsspec) is not installed")
    pytest.importorskip("s3fs", reason="the remote extra (s3fs) is not installed")
    server_mod = pytest.importorskip("moto.server", reason="moto[server] is not installed")
    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    saved = {k: os.environ.get(k) for k in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        options = {"endpoint_url": endpoint, "key": "testing", "secret": "testing"}
        fs = fsspec.filesystem("s3", skip_instance_cache=True, **options)
        if not fs.exists(BUCKET):  # moto's state is per process: a second module finds it
            fs.mkdir(BUCKET)
        for seed in SEEDS:
            fs.pipe(f"{BUCKET}/in/{seed.name}", seed.read_bytes())
        fs.pipe(f"{BUCKET}/in/deep/seed_003.pdf", PDF.read_bytes())
        fs.pipe(f"{BUCKET}/in/deep/broken.pdf", BROKEN)
        yield {"endpoint": endpoint, "options": options}
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
