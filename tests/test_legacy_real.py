"""A real .doc through LibreOffice, when it is installed (the install message is tested elsewhere)."""
import shutil
import subprocess

import pytest

from dudao.ingest import read_path

from conftest import EXAMPLES


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="未安装 LibreOffice")
def test_doc_via_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, "--headless", "--convert-to", "doc", "--outdir", str(tmp_path),
                    str(EXAMPLES / "03_santai_2023.docx")], capture_output=True, timeout=180, check=True)
    doc = tmp_path / "03_santai_2023.doc"
    raw = read_path(str(doc))[0]
    assert raw.format == "doc"
    original = read_path(str(EXAMPLES / "03_santai_2023.docx"))[0]
    squash = lambda s: "".join(s.split())  # noqa: E731
    assert squash(raw.text)[:200] == squash(original.text)[:200]
    assert "三台县" in raw.text
