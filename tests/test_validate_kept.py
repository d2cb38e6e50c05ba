"""``python -m tools.validate`` rewrites docs/validation.md and keeps the sections other tools write."""

from __future__ import annotations

from pathlib import Path

from tools.validate_page import kept_sections

PAGE = Path(__file__).resolve().parents[1] / "docs" / "validation.md"


def test_every_marked_section_of_the_page_is_kept_in_order() -> None:
    kept = kept_sections(PAGE.read_text(encoding="utf-8"))
    names = [line.removeprefix("<!-- ").removesuffix(":begin -->") for line in kept.splitlines() if "begin -->" in line]
    assert names == ["marpino-analysis", "stride-length", "activity-legs", "fit-judge"]
    assert "## Activity on unseen leg IMUs (HuGaDB)" in kept
    assert "### Where a walk starts and stops" in kept  # the Marpino analysis, by hand
    assert "## Per file" not in kept  # the part tools.validate writes itself


def test_only_whole_sections_are_kept() -> None:
    text = "# generated\n<!-- a:begin -->\nkept a\n<!-- a:end -->\nbetween\n<!-- b:begin -->\nno end\n<!-- c:end -->"
    assert kept_sections(text) == "<!-- a:begin -->\nkept a\n<!-- a:end -->"
    assert kept_sections("no markers") == ""
