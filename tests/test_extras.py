"""Optional extras that are missing or broken: one `missing_extra` error line per input that needs them, the real
import error and an install command that fits how rasd was installed; the rest of the batch converts.

(The extras installed alone into fresh virtual environments are tested in test_packaging.py.)
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from batch_support import FAKE, REPORT, REPORT_2, html_page

import extractor.readers as readers
from extractor import errors
from extractor.batch import extract_many
from extractor.cli import main
from extractor.errors import MissingExtraError, install_command

ROOT = Path(__file__).resolve().parent.parent


def _warc_response(uri: str, ctype: str, payload: bytes, n: int) -> bytes:
    """One uncompressed WARC response record, written by hand (no warcio needed to make it)."""
    http = (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(payload)}\r\n\r\n").encode() + payload
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-10-20T08:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012d}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def mixed_folder(root: Path) -> Path:
    """Five text files, one HTML page and one web archive: the shape of a real scraped folder."""
    folder = root / "scraped"
    folder.mkdir()
    for i in range(5):
        (folder / f"t{i}.txt").write_text(REPORT if i % 2 else REPORT_2, encoding="utf-8")
    (folder / "page.html").write_text(html_page("تقرير", [REPORT]), encoding="utf-8")
    (folder / "crawl.warc").write_bytes(_warc_response("https://news.example/1", "text/plain; charset=utf-8",
                                                       REPORT.encode(), 1))
    return folder


def _without(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)  # `import module` now fails as if it were not installed
    monkeypatch.setattr(readers, "_extras_ok", set())


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- a batch goes on ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("workers", ["0", "2"])
def test_inputs_needing_a_missing_extra_are_error_lines_and_the_rest_converts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], workers: str):
    folder = mixed_folder(tmp_path)
    _without(monkeypatch, "trafilatura", "warcio")
    out = tmp_path / "records.jsonl"
    status = main(["batch", str(folder), "-o", str(out), "--extractor", FAKE, "--workers", workers])
    err = capsys.readouterr().err
    assert status == 1  # some articles in the errors file, not a usage error
    assert sorted(r["id"] for r in _read(out)) == [f"t{i}.txt" for i in range(5)]
    errors_ = {e["id"]: e["error"] for e in _read(Path(f"{out}.errors.jsonl"))}
    assert set(errors_) == {"page.html", "crawl.warc"}
    assert {e["code"] for e in errors_.values()} == {"missing_extra"}
    assert install_command("html") in errors_["page.html"]["message"]
    assert install_command("warc") in errors_["crawl.warc"]["message"]
    assert "'trafilatura' is not installed" in errors_["page.html"]["message"]
    assert not list(tmp_path.glob("*.partial"))
    # the summary says what to install, once per extra
    assert "7 articles, 5 records" in err and "missing_extra 2" in err
    assert err.count(install_command("html")) == 1 and err.count(install_command("warc")) == 1


def test_html_inside_jsonl_and_warc_inside_zip_without_their_extras(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import zipfile

    src = tmp_path / "dump.jsonl"
    src.write_text(json.dumps({"id": "h", "html": html_page("t", [REPORT])}, ensure_ascii=False) + "\n"
                   + json.dumps({"id": "t", "text": REPORT_2}, ensure_ascii=False) + "\n", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as zf:
        zf.writestr("a.txt", REPORT)
        zf.writestr("old/crawl.warc", _warc_response("https://x.example/", "text/plain", REPORT.encode(), 2))
    _without(monkeypatch, "trafilatura", "warcio")
    out = tmp_path / "r.jsonl"
    assert main(["batch", str(src), str(tmp_path / "export.zip"), "-o", str(out), "--extractor", FAKE,
                 "--workers", "0", "-q"]) == 1
    assert [r["id"] for r in _read(out)] == ["t", "export.zip/a.txt"]
    assert [(e["id"], e["error"]["code"]) for e in _read(Path(f"{out}.errors.jsonl"))] == [
        ("h", "missing_extra"), ("export.zip/old/crawl.warc", "missing_extra")]


def test_extract_many_returns_missing_extra_errors_instead_of_raising(monkeypatch: pytest.MonkeyPatch):
    _without(monkeypatch, "trafilatura")
    out = list(extract_many([{"id": "p", "html": html_page("t", [REPORT])}, {"id": "q", "text": REPORT}],
                            workers=0, extractor=FAKE))
    assert [type(r).__name__ for r in out] == ["ArticleError", "ArticleRecord"]
    assert out[0].code == "missing_extra" and install_command("html") in out[0].message


# --- the message: the real import error --------------------------------------------------------------------------


def test_a_broken_extra_shows_the_real_import_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A trafilatura that is installed but fails to import, as with lxml ≥ 5.2 and no lxml_html_clean.
    fake = tmp_path / "site" / "trafilatura"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "raise ImportError('lxml.html.clean module is now a separate project lxml_html_clean.\\n'\n"
        "                  'Install lxml[html-clean] or lxml_html_clean directly.')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, "trafilatura", raising=False)
    monkeypatch.setattr(readers, "_extras_ok", set())
    with pytest.raises(MissingExtraError) as err:
        readers.require_extra("html", "trafilatura")
    message = err.value.message
    assert "'trafilatura' is installed but cannot be imported" in message
    assert ("ImportError: lxml.html.clean module is now a separate project lxml_html_clean. "
            "Install lxml[html-clean] or lxml_html_clean directly.") in message
    assert "\n" not in message and message.endswith(install_command("html"))
    assert isinstance(err.value.cause, ImportError)


# --- the install command fits the installation ---------------------------------------------------------------------


class _Dist:
    def __init__(self, location: Path, files: dict[str, str]) -> None:
        self.location, self.files = location, files

    def read_text(self, name: str) -> str | None:
        return self.files.get(name)

    def locate_file(self, path: str) -> Path:
        return self.location / path


def _installed_as(monkeypatch: pytest.MonkeyPatch, dist: _Dist | None) -> None:
    def distribution(name: str) -> _Dist:
        if dist is None:
            raise metadata.PackageNotFoundError(name)
        return dist
    monkeypatch.setattr(metadata, "distribution", distribution)
    monkeypatch.setattr(errors, "_pip", lambda: "pip")


def test_install_command_for_an_ordinary_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    wheel = {"direct_url.json": json.dumps({"url": "file:///tmp/rasd-0.1.0-py3-none-any.whl", "archive_info": {}}),
             "INSTALLER": "pip\n"}
    for files in ({"INSTALLER": "pip\n"}, wheel):  # from the index, or from a wheel file
        _installed_as(monkeypatch, _Dist(tmp_path / "site-packages", files))
        assert install_command("html") == "pip install 'rasd[html]'"


def test_install_command_for_an_editable_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    checkout = tmp_path / "my rasd"
    checkout.mkdir()
    files = {"direct_url.json": json.dumps({"url": checkout.as_uri(), "dir_info": {"editable": True}})}
    _installed_as(monkeypatch, _Dist(tmp_path / "site-packages", files))
    assert install_command("warc") == f"pip install -e '{checkout}[warc]'"
    monkeypatch.chdir(checkout)
    assert install_command("warc") == "pip install -e '.[warc]'"
    files["direct_url.json"] = json.dumps({"url": checkout.as_uri(), "dir_info": {}})  # pip install /path/to/rasd
    monkeypatch.chdir(tmp_path)
    assert install_command("warc") == f"pip install '{checkout}[warc]'"


def test_install_command_for_uv_and_for_a_source_checkout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    _installed_as(monkeypatch, _Dist(tmp_path / "site-packages", {"INSTALLER": "uv"}))
    assert install_command("report").startswith("uv pip install --python ")
    assert install_command("report").endswith(" 'rasd[report]'")
    _installed_as(monkeypatch, None)  # not installed: imported from the checkout (PYTHONPATH)
    monkeypatch.chdir(tmp_path)
    assert install_command("dask") == f"pip install -e '{ROOT}[dask]'"


def test_pip_is_this_interpreters_pip():
    pip = errors._pip()
    assert pip == "pip" or (pip.endswith(" -m pip") and sys.executable in pip)
