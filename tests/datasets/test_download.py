"""Downloads against a local HTTP server: good, corrupt, interrupted and unreachable mirrors."""

import gzip
import hashlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from nnviz.datasets import DatasetError, load_mnist
from nnviz.datasets import mnist as mnist_module
from nnviz.datasets.download import download
from nnviz.datasets.idx import encode_idx

NAME = "digits-idx3-ubyte.gz"
RAW = encode_idx(np.random.default_rng(0).integers(0, 256, (300, 28, 28), dtype=np.uint8))
RAW_SHA = hashlib.sha256(RAW).hexdigest()


class _Handler(BaseHTTPRequestHandler):
    """Serves `server.routes[path] = (body, declared_length)`; closes after each response."""

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        if self.path not in self.server.routes:
            self.send_error(404)
            return
        body, declared = self.server.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Length", str(declared))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.routes, httpd.requests = {}, []
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def serve(server, path: str, body: bytes, declared: int | None = None) -> None:
    server.routes[path] = (body, len(body) if declared is None else declared)


@pytest.fixture
def closed_url():
    """A URL on a port nobody listens on: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def test_good_file_is_verified_by_content_and_cached(server, tmp_path):
    served = gzip.compress(RAW, compresslevel=1, mtime=12345)
    assert served != gzip.compress(RAW, compresslevel=9, mtime=0)  # differs from the "reference"
    serve(server, f"/good/{NAME}", served)
    calls = []
    path = download(
        NAME,
        [server.url + "/good/"],
        tmp_path / "cache",
        sha256=RAW_SHA,
        progress=lambda *args: calls.append(args),
        timeout=5,
    )
    assert path == tmp_path / "cache" / NAME
    assert path.read_bytes() == served
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [NAME]
    done = [c[0] for c in calls]
    assert len(done) >= 4 and done[0] == 0
    assert all(a < b for a, b in zip(done, done[1:], strict=False))
    assert calls[-1][:2] == (len(served), len(served))
    assert NAME in calls[-1][2] and "127.0.0.1" in calls[-1][2]


def test_uncompressed_body_is_hashed_as_is(server, tmp_path):
    serve(server, f"/{NAME}", RAW)
    path = download(NAME, [server.url], tmp_path, sha256=RAW_SHA, timeout=5)
    assert path.read_bytes() == RAW


def test_corrupt_file_leaves_nothing(server, tmp_path):
    serve(server, f"/bad/{NAME}", gzip.compress(RAW[:-1] + b"\x00"))
    with pytest.raises(DatasetError, match="SHA-256"):
        download(NAME, [server.url + "/bad/"], tmp_path, sha256=RAW_SHA, timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_download_leaves_nothing(server, tmp_path):
    served = gzip.compress(RAW)
    half = served[: len(served) // 2]
    serve(server, f"/cut/{NAME}", half, declared=len(served))
    with pytest.raises(DatasetError, match=f"closed after {len(half)} of {len(served)} bytes"):
        download(NAME, [server.url + "/cut/"], tmp_path, sha256=RAW_SHA, timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_failed_download_keeps_the_previous_file_intact(server, tmp_path):
    (tmp_path / NAME).write_bytes(b"previous")
    serve(server, f"/bad/{NAME}", gzip.compress(b"something else"))
    with pytest.raises(DatasetError):
        download(NAME, [server.url + "/bad/"], tmp_path, sha256=RAW_SHA, timeout=5)
    assert [p.name for p in tmp_path.iterdir()] == [NAME]
    assert (tmp_path / NAME).read_bytes() == b"previous"


def test_next_mirror_is_tried_after_a_failure(server, tmp_path, closed_url):
    served = gzip.compress(RAW)
    serve(server, f"/bad/{NAME}", gzip.compress(b"wrong"))
    serve(server, f"/good/{NAME}", served)
    mirrors = [closed_url, server.url + "/missing/", server.url + "/bad/", server.url + "/good"]
    path = download(NAME, mirrors, tmp_path, sha256=RAW_SHA, timeout=5)
    assert path.read_bytes() == served
    assert server.requests == [f"/missing/{NAME}", f"/bad/{NAME}", f"/good/{NAME}"]
    assert [p.name for p in tmp_path.iterdir()] == [NAME]


def test_all_mirrors_failing_lists_each_failure(server, tmp_path, closed_url):
    with pytest.raises(DatasetError) as info:
        download(NAME, [closed_url, server.url + "/x/"], tmp_path, sha256=RAW_SHA, timeout=5)
    message = str(info.value)
    assert closed_url + NAME in message
    assert f"{server.url}/x/{NAME}: HTTP Error 404" in message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.mnist
def test_real_file_regzipped_matches_the_builtin_hash(server, tmp_path, mnist_dir):
    name = "t10k-labels-idx1-ubyte.gz"
    original = (mnist_dir / name).read_bytes()
    served = gzip.compress(gzip.decompress(original), compresslevel=1, mtime=1)
    assert served != original
    serve(server, f"/{name}", served)
    sha = mnist_module.MNIST_FILES[name]
    assert download(name, [server.url], tmp_path, sha256=sha, timeout=5).read_bytes() == served


# --- load_mnist end to end, with four small synthetic files standing in for MNIST --------------


@pytest.fixture
def fake_mnist(server, monkeypatch, tmp_path):
    """Serve four tiny MNIST-shaped files and make `load_mnist` expect their hashes."""
    rng = np.random.default_rng(2)
    monkeypatch.delenv("NNVIZ_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for split, n in (("train", 6), ("t10k", 4)):
        arrays = {
            f"{split}-images-idx3-ubyte.gz": rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
            f"{split}-labels-idx1-ubyte.gz": rng.integers(0, 10, n, dtype=np.uint8),
        }
        for name, array in arrays.items():
            raw = encode_idx(array)
            monkeypatch.setitem(mnist_module.MNIST_FILES, name, hashlib.sha256(raw).hexdigest())
            serve(server, f"/m/{name}", gzip.compress(raw))
    return server.url + "/m/"


def test_load_mnist_downloads_into_the_cache_once(fake_mnist, server, tmp_path, closed_url):
    cache = tmp_path / "cache"
    messages = []
    train, test = load_mnist(
        cache_dir=cache, mirrors=[closed_url, fake_mnist], progress=lambda *a: messages.append(a[2])
    )
    assert (len(train), len(test)) == (6, 4)
    assert sorted(p.name for p in cache.iterdir()) == sorted(mnist_module.MNIST_FILES)
    assert {m[-5:] for m in messages} == {"(1/4)", "(2/4)", "(3/4)", "(4/4)"}
    served = len(server.requests)
    again, _ = load_mnist(cache_dir=cache, mirrors=[closed_url])
    np.testing.assert_array_equal(again.images, train.images)
    assert len(server.requests) == served
    assert not (tmp_path / "xdg").exists()


def test_load_mnist_fetches_only_missing_files(fake_mnist, server, tmp_path):
    load_mnist(cache_dir=tmp_path, mirrors=[fake_mnist])
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    server.requests.clear()
    load_mnist(cache_dir=tmp_path, mirrors=[fake_mnist])
    assert server.requests == ["/m/t10k-labels-idx1-ubyte.gz"]


def test_default_cache_is_under_xdg_cache_home(fake_mnist, tmp_path):
    load_mnist(mirrors=[fake_mnist], limit=2)
    cached = tmp_path / "xdg" / "nnviz" / "mnist"
    assert sorted(p.name for p in cached.iterdir()) == sorted(mnist_module.MNIST_FILES)


@pytest.mark.parametrize("offline", ["closed ports", "no mirrors"])
def test_offline_without_files_explains_how_to_provide_them(fake_mnist, tmp_path, offline):
    cache = tmp_path / "cache"
    closed = []
    for _ in range(2 if offline == "closed ports" else 0):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            closed.append(f"http://127.0.0.1:{sock.getsockname()[1]}/")
    with pytest.raises(DatasetError) as info:
        load_mnist(cache_dir=cache, mirrors=closed)
    message = str(info.value)
    assert "NNVIZ_DATA_DIR" in message
    assert str(cache) in message
    assert all(name in message for name in mnist_module.MNIST_FILES)
    assert all(url in message for url in closed)
    assert not cache.exists() or list(cache.iterdir()) == []
