"""``calfload._path_text`` gives what :class:`pathlib.Path` gives, without importing pathlib."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from calfload import _path_text as pt

pytestmark = pytest.mark.skipif(os.name != "posix", reason="off POSIX the functions are pathlib's own")

#: Paths made of the characters that matter to pathlib's parsing: slashes, dots, a tilde, and letters.
PATHS = st.text(alphabet="/.~ab", max_size=12)


@given(PATHS)
@example("")
@example("//")
@example("///a//b/")
@example("//a/./b/..")
@example("./.")
@example("a/.b.")
def test_path_text_name_suffix_stem_and_parents_are_pathlibs(path: str) -> None:
    pure = PurePosixPath(path)
    text = pt.path_text(path)
    assert text == str(pure)
    assert (pt.path_name(text), pt.path_suffix(text), pt.path_stem(text)) == (pure.name, pure.suffix, pure.stem)
    assert pt.path_parents(text) == [str(p) for p in pure.parents]
    assert pt.path_parents(path) == [str(p) for p in pure.parents]


@given(PATHS, st.text(alphabet="/.ab", min_size=1, max_size=6))
@example("a", "/b")
@example("", "config.toml")
@example("/", "x")
def test_path_join_is_pathlibs_slash(folder: str, name: str) -> None:
    assert pt.path_join(folder, name) == str(PurePosixPath(folder) / name)


def test_path_text_takes_path_like_objects_and_refuses_bytes() -> None:
    assert pt.path_text(Path("a//b/")) == "a/b"
    with pytest.raises(TypeError):
        pt.path_text(b"a")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Path(b"a")  # type: ignore[arg-type]


@pytest.mark.parametrize("path", ["~", "~/", "~/a//b/", "~root/x", "a/~", "/~", "~nobody-calfload-xyz/a"])
def test_expand_user_is_pathlibs(path: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home//me/"))
    text = pt.path_text(path)
    try:
        want: str | type[Exception] = str(Path(path).expanduser())
    except RuntimeError:
        want = RuntimeError
    if want is RuntimeError:
        with pytest.raises(RuntimeError):
            pt.expand_user(text)
    else:
        assert pt.expand_user(text) == want


def test_the_tests_of_a_path_are_pathlibs(tmp_path: Path) -> None:
    """A folder, a file, nothing, a file where a folder should be, a loop of links, a NUL in the name."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.parquet").write_bytes(b"x")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "dangling").symlink_to(tmp_path / "missing")
    names = ["folder", "folder/", "file.parquet", "file.parquet/", "file.parquet/x", "missing", "loop", "dangling"]
    for path in [*(str(tmp_path / n) for n in names), str(tmp_path) + "/folder/.", "a\0b"]:
        real = Path(path)
        text = pt.path_text(path)
        assert (pt.exists(text), pt.is_dir(text), pt.is_file(text)) == (real.exists(), real.is_dir(), real.is_file())


def test_other_errors_are_raised_as_pathlib_raises_them(tmp_path: Path) -> None:
    too_long = str(tmp_path / ("x" * 5000))
    with pytest.raises(OSError, match="too long") as pathlib_error:
        Path(too_long).exists()
    for test in (pt.exists, pt.is_dir, pt.is_file):
        with pytest.raises(OSError, match="too long") as ours:
            test(too_long)
        assert ours.value.errno == pathlib_error.value.errno


def test_importing_it_imports_no_pathlib() -> None:
    code = "import sys, calfload._path_text; print('pathlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
