import os

import pytest

from dudao import atomic


def test_write_text_replaces_and_leaves_no_temp(tmp_path):
    p = tmp_path / "a.json"
    p.write_text("old", encoding="utf-8")
    atomic.write_text(p, "新内容")
    assert p.read_text(encoding="utf-8") == "新内容"
    assert os.listdir(tmp_path) == ["a.json"]


def test_failure_keeps_old_content(tmp_path):
    p = tmp_path / "a.xlsx"
    p.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic.atomic_path(p) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("writer failed")
    assert p.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.xlsx"]


def test_written_files_get_ordinary_permissions(tmp_path):
    import os
    from dudao.atomic import write_text
    write_text(tmp_path / "a.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o666 & ~mask
