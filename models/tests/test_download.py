"""The downloader against a real local HTTP server serving fake files."""
import hashlib
import http.client
import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from musetalk_models import download as dl


class _Handler(SimpleHTTPRequestHandler):
    requests: list = []
    truncated: dict = {}  # path -> (promised Content-Length, body actually sent before closing)

    def log_message(self, *args):
        pass

    def do_GET(self):
        _Handler.requests.append(self.path)
        if self.path in _Handler.truncated:
            promised, body = _Handler.truncated[self.path]
            self.send_response(200)
            self.send_header("Content-Length", str(promised))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True  # the peer hangs up early
            return
        super().do_GET()


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "served"
    root.mkdir()
    _Handler.requests = []
    _Handler.truncated = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _serve(root, rel, data: bytes):
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def _manifest(tmp_path, files):
    m = tmp_path / "manifest.json"
    m.write_text(json.dumps({"files": files}))
    return m


def test_download_goodFiles_verifiesAndRecordsUnknownChecksumsInLock(tmp_path, server):
    root, base = server
    sha_known = _serve(root, "musetalkV15/unet.pth", b"U" * 1000)
    sha_unknown = _serve(root, "musetalkV15/musetalk.json", b'{"a": 1}')
    manifest = _manifest(tmp_path, [
        {"group": "unet", "dest": "musetalkV15/unet.pth", "url": "https://example.invalid/unet.pth", "size": 1000, "sha256": sha_known},
        {"group": "unet", "dest": "musetalkV15/musetalk.json", "url": "https://example.invalid/musetalk.json", "size": None, "sha256": None},
    ])
    dest = tmp_path / "models"
    assert dl.main(["--dest", str(dest), "--mirror", base, "--manifest", str(manifest)]) == 0
    assert (dest / "musetalkV15/unet.pth").read_bytes() == b"U" * 1000
    lock = json.loads((dest / dl.LOCK_NAME).read_text())
    assert lock["musetalkV15/musetalk.json"]["sha256"] == sha_unknown
    assert lock["musetalkV15/unet.pth"]["sha256"] == sha_known
    # a second run verifies what is there and fetches nothing
    n = len(_Handler.requests)
    assert dl.main(["--dest", str(dest), "--mirror", base, "--manifest", str(manifest)]) == 0
    assert len(_Handler.requests) == n


def test_download_wrongSize_failsAndLeavesNoFile(tmp_path, server, capsys):
    root, base = server
    _serve(root, "sd-vae/diffusion_pytorch_model.bin", b"V" * 999)
    manifest = _manifest(tmp_path, [{"group": "vae", "dest": "sd-vae/diffusion_pytorch_model.bin", "url": "u", "size": 1000}])
    dest = tmp_path / "models"
    assert dl.main(["--dest", str(dest), "--mirror", base, "--manifest", str(manifest)]) == 1
    assert "sd-vae/diffusion_pytorch_model.bin (from u): size 999 bytes, expected 1000" in capsys.readouterr().err
    assert not (dest / "sd-vae/diffusion_pytorch_model.bin").exists()
    assert not (dest / "sd-vae/diffusion_pytorch_model.bin.part").exists()


def test_download_wrongChecksum_failsNamingBothChecksums(tmp_path, server, capsys):
    root, base = server
    actual = _serve(root, "whisper/pytorch_model.bin", b"W" * 10)
    manifest = _manifest(tmp_path, [{"group": "whisper", "dest": "whisper/pytorch_model.bin", "url": "u", "sha256": "0" * 64}])
    assert dl.main(["--dest", str(tmp_path / "m"), "--mirror", base, "--manifest", str(manifest)]) == 1
    err = capsys.readouterr().err
    assert f"sha256 {actual}, expected {'0' * 64}" in err
    assert not (tmp_path / "m/whisper/pytorch_model.bin").exists()


def test_download_torchvisionHashPrefixMismatch_fails(tmp_path, server, capsys):
    root, base = server
    _serve(root, "face-parse-bisent/resnet18-5c106cde.pth", b"not resnet")
    manifest = _manifest(tmp_path, [{"group": "bisenet", "dest": "face-parse-bisent/resnet18-5c106cde.pth", "url": "u", "sha256_prefix": "5c106cde"}])
    assert dl.main(["--dest", str(tmp_path / "m"), "--mirror", base, "--manifest", str(manifest)]) == 1
    assert "does not start with 5c106cde" in capsys.readouterr().err


def test_download_fileRemovedFromServer_failsWithHttp404(tmp_path, server, capsys):
    _, base = server
    manifest = _manifest(tmp_path, [{"group": "bisenet", "dest": "face-parse-bisent/79999_iter.pth", "url": "u"}])
    assert dl.main(["--dest", str(tmp_path / "m"), "--mirror", base, "--manifest", str(manifest)]) == 1
    err = capsys.readouterr().err
    assert "face-parse-bisent/79999_iter.pth: HTTP 404" in err


def test_download_localFileChangedAfterFirstDownload_failsAgainstLock(tmp_path, server, capsys):
    root, base = server
    _serve(root, "whisper/config.json", b"{}")
    manifest = _manifest(tmp_path, [{"group": "whisper", "dest": "whisper/config.json", "url": "u"}])
    dest = tmp_path / "m"
    assert dl.main(["--dest", str(dest), "--mirror", base, "--manifest", str(manifest)]) == 0
    (dest / "whisper/config.json").write_bytes(b'{"tampered": true}')
    assert dl.main(["--dest", str(dest), "--mirror", base, "--manifest", str(manifest)]) == 1
    assert f"recorded in {dl.LOCK_NAME} on first download" in capsys.readouterr().err


def test_download_serverUnreachable_failsWithReason(tmp_path, capsys):
    manifest = _manifest(tmp_path, [{"group": "vae", "dest": "sd-vae/config.json", "url": "u"}])
    # port 9 (discard) on loopback: nothing listens, the connection is refused
    assert dl.main(["--dest", str(tmp_path / "m"), "--mirror", "http://127.0.0.1:9", "--manifest", str(manifest), "--timeout", "5"]) == 1
    assert "http://127.0.0.1:9/sd-vae/config.json" in capsys.readouterr().err


def test_download_bodyShorterThanContentLength_failsNamingFileAndLeavesNoFileNorLockEntry(tmp_path, server, capsys):
    _, base = server
    _Handler.truncated["/whisper/pytorch_model.bin"] = (1000, b"W" * 500)
    # no size or checksum in the manifest: only Content-Length can tell the body is short
    manifest = _manifest(tmp_path, [{"group": "whisper", "dest": "whisper/pytorch_model.bin", "url": "u"}])
    dest = tmp_path / "m"
    assert dl.main(["--dest", str(dest), "--mirror", base, "--manifest", str(manifest)]) == 1
    err = capsys.readouterr().err
    assert "whisper/pytorch_model.bin" in err and "truncated" in err
    assert "Content-Length 1000 bytes, got 500" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (dest / "whisper/pytorch_model.bin").exists()
    assert not (dest / "whisper/pytorch_model.bin.part").exists()
    lock = dest / dl.LOCK_NAME
    assert not lock.exists() or "whisper/pytorch_model.bin" not in json.loads(lock.read_text())


def test_download_interruptedMidTransfer_removesThePartFile(tmp_path, monkeypatch):
    def interrupted(url, part, timeout, name):
        part.write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(dl, "_fetch", interrupted)
    spec = dl.FileSpec(group="vae", dest="sd-vae/config.json", url="u")
    with pytest.raises(KeyboardInterrupt):
        dl.download(tmp_path, [spec], log=lambda _: None)
    assert list((tmp_path / "sd-vae").iterdir()) == []


def test_main_networkErrorOutsideTheFetchWrapper_printsOneLineNotATraceback(tmp_path, monkeypatch, capsys):
    def broken(url, part, timeout, name):
        raise http.client.IncompleteRead(b"abc", 7)

    monkeypatch.setattr(dl, "_fetch", broken)
    manifest = _manifest(tmp_path, [{"group": "vae", "dest": "sd-vae/config.json", "url": "u"}])
    assert dl.main(["--dest", str(tmp_path / "m"), "--manifest", str(manifest)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("download failed: IncompleteRead") and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "m/sd-vae/config.json.part").exists()


def test_packagedManifest_listsEveryPublishedFileWithKnownSizes():
    specs = {s.dest: s for s in dl.read_manifest()}
    assert set(specs) == {
        "musetalkV15/unet.pth", "musetalkV15/musetalk.json", "sd-vae/config.json", "sd-vae/diffusion_pytorch_model.bin",
        "whisper/config.json", "whisper/pytorch_model.bin", "whisper/preprocessor_config.json",
        "face-parse-bisent/79999_iter.pth", "face-parse-bisent/resnet18-5c106cde.pth",
        "dwpose/dw-ll_ucoco_384.onnx"}
    assert all(s.url.startswith("https://") for s in specs.values())
    assert specs["face-parse-bisent/79999_iter.pth"].size == 53289463
    assert specs["face-parse-bisent/resnet18-5c106cde.pth"].size == 46827520


def test_onlyWithUnknownGroup_isRejected(tmp_path, capsys):
    with pytest.raises(SystemExit):
        dl.main(["--dest", str(tmp_path), "--only", "s3fd"])
    assert "unknown groups ['s3fd']" in capsys.readouterr().err
