"""Real FIT files that nobody here recorded, through ``calfload analyze --json``: the FIT judge of issue 18.

``python -m tools.validate_fit_cli [--mirror DIR] [--folder DIR ...] [--jobs 2] [--json OUT]``

Every ``*.fit`` file found (the git mirrors under ``--mirror``, read with ``git cat-file`` into a
temporary folder and never into the repository; and the plain ``--folder`` trees, such as
``../shared/validation/fit_public_repos``) is deduplicated by content, read with fitdecode for the
device's own values (:mod:`tools.validate_fit_refs`) and analysed by the installed ``calfload``
command twice: without ``--activity`` and with it (the expected activity; ``run`` for a file to
refuse). A file passes when both calls pass:

- a run or walk (a session says ``running``, ``walking`` or ``hiking``; a multisport file's legs):
  exit code 0, the expected activity, steps within max(2, 3 %) of twice the device's stride total
  and ``cadence_spm.mean`` within 2 spm of the device's average cadence, where the device stored
  them; without them, steps never 0 when no record holds a cadence field (``null`` with a warning);
- a file to refuse (damaged, not an activity, no records, another sport): exit code 3 and one
  line on stderr starting ``calfload: error:``, no traceback;
- a file whose sessions name no sport: listed apart (``records``), the command's answer shown
  for a reader to judge, not scored.

``--corrupt`` adds damaged copies of every run and walk file: truncated at three random offsets,
three flipped bytes (checksum left wrong), zero length, a wrong file checksum and a file cut
before its first record (header and checksums made right), each to be refused in one line; and
three flipped bytes with the checksums made right, which must give a result or a one-line
refusal. Any call over ``--timeout`` seconds is a hang.

Held out (declared before the first measurement): a file whose SHA-256 starts with a byte below
64 (about a quarter of the files). Report them apart and do not tune on them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

from tools.validate_fit_corrupt import corrupt_copies
from tools.validate_fit_refs import FitReference, read_reference

#: A file is held out when the first byte of its SHA-256 is below this.
HELD_OUT_BELOW: Final = 64
#: Where ``fetch`` puts the mirrors of public repositories.
DEFAULT_MIRROR: Final = Path("/work/.mirror")


@dataclass(frozen=True, slots=True)
class FitFile:
    """One distinct FIT file: where it came from and where it lies now."""

    origin: str
    path: Path
    sha256: str

    @property
    def held_out(self) -> bool:
        """Whether the declared rule holds the file out of tuning."""
        return int(self.sha256[:2], 16) < HELD_OUT_BELOW


@dataclass(frozen=True, slots=True)
class CliAnswer:
    """One ``calfload analyze --json`` call."""

    exit_code: int
    stderr: str
    activity: str | None = None
    steps: int | None = None
    cadence_mean_spm: float | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    """One file (or damaged copy) judged."""

    origin: str
    expected: str
    held_out: bool
    passed: bool | None
    why: str
    plain: CliAnswer
    given: CliAnswer | None
    reference: FitReference | None


def mirror_files(root: Path, into: Path) -> Iterator[FitFile]:
    """The ``*.fit`` blobs at HEAD of every git mirror under ``root``, written into ``into``."""
    for repo in sorted(p for p in root.glob("*/repo") if p.is_dir()):
        git = ["git", "-C", str(repo)]
        head = subprocess.run([*git, "rev-parse", "HEAD"], check=False, capture_output=True, text=True).stdout.strip()
        listing = subprocess.run([*git, "ls-tree", "-r", "HEAD"], check=False, capture_output=True, text=True).stdout
        name = repo.parent.name.replace("+", "/")
        for line in listing.splitlines():
            meta, path = line.split("\t", 1)
            if not path.lower().endswith(".fit") or meta.split()[1] != "blob":
                continue
            data = subprocess.run([*git, "cat-file", "blob", meta.split()[2]], check=False, capture_output=True).stdout
            digest = hashlib.sha256(data).hexdigest()
            dest = into / digest[:16] / Path(path).name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            yield FitFile(f"{name}@{head[:12]}:{path}", dest, digest)


def folder_files(root: Path) -> Iterator[FitFile]:
    """The ``*.fit`` files under a plain folder."""
    for path in sorted(p for p in root.rglob("*") if p.suffix.lower() == ".fit" and p.is_file()):
        yield FitFile(str(path), path, hashlib.sha256(path.read_bytes()).hexdigest())


def run_cli(path: Path, activity: str | None, timeout_s: float) -> CliAnswer:
    """``calfload analyze PATH --json [--activity A]`` in a fresh process."""
    args = [sys.executable, "-m", "calfload", "analyze", str(path), "--json"]
    args += [] if activity is None else ["--activity", activity]
    try:
        done = subprocess.run(args, check=False, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return CliAnswer(-9, f"hang: no answer within {timeout_s:.0f} s")
    if done.returncode != 0:
        return CliAnswer(done.returncode, done.stderr.strip())
    try:
        doc = json.loads(done.stdout)
    except json.JSONDecodeError:
        return CliAnswer(-1, "exit code 0 without a JSON object on stdout")
    cadence = doc.get("cadence_spm") or {}
    return CliAnswer(
        0,
        done.stderr.strip(),
        activity=doc.get("activity"),
        steps=doc.get("steps"),
        cadence_mean_spm=cadence.get("mean") if isinstance(cadence, dict) else None,
        warnings=tuple(str(w) for w in doc.get("warnings", ())),
    )


def refused_in_one_line(answer: CliAnswer) -> str:
    """Why ``answer`` is not a one-line refusal ("" when it is one)."""
    lines = answer.stderr.splitlines()
    if answer.exit_code != 3:
        return f"exit code {answer.exit_code}, not 3" + (f": {lines[-1][:100]}" if lines else "")
    if len(lines) != 1 or not lines[0].startswith("calfload: error:") or "Traceback" in answer.stderr:
        return f"refused in {len(lines)} lines: {answer.stderr[:100]!r}"
    return ""


def judge_run(ref: FitReference, answer: CliAnswer) -> str:
    """Why ``answer`` is wrong for a run or walk file ("" when right)."""
    if answer.exit_code != 0:
        return f"refused: {answer.stderr.splitlines()[-1][:120] if answer.stderr else answer.exit_code}"
    if answer.activity != ref.expected:
        return f"activity {answer.activity}, expected {ref.expected}"
    if ref.steps is not None:
        if answer.steps is None or abs(answer.steps - ref.steps) > max(2.0, 0.03 * ref.steps):
            return f"steps {answer.steps}, device {ref.steps}"
    elif answer.steps == 0 and ref.records_with_cadence == 0:
        return "steps 0 without a cadence field (unknown steps must be null with a warning)"
    elif answer.steps is None and not answer.warnings:
        return "steps null without a warning"
    if ref.avg_cadence_spm is not None and ref.steps is not None:
        mean = answer.cadence_mean_spm
        if mean is None or abs(mean - ref.avg_cadence_spm) > 2.0:
            return f"mean cadence {mean}, device {ref.avg_cadence_spm}"
    return ""


def judge_file(file: FitFile, timeout_s: float) -> Verdict:
    """Both calls on one real file, judged against the device's values."""
    ref = read_reference(file.path)
    plain = run_cli(file.path, None, timeout_s)
    given_activity = ref.expected if ref.expected in {"run", "walk"} else "run"
    given = run_cli(file.path, given_activity, timeout_s)
    if ref.expected == "records":
        why = f"not scored (no sport named): plain {_short(plain)}; with --activity {_short(given)}"
        return Verdict(file.origin, ref.expected, file.held_out, None, why, plain, given, ref)
    check = judge_run if ref.expected in {"run", "walk"} else (lambda _ref, a: refused_in_one_line(a))
    problems = [f"{label}: {why}" for label, a in (("plain", plain), ("--activity", given)) if (why := check(ref, a))]
    return Verdict(file.origin, ref.expected, file.held_out, not problems, "; ".join(problems), plain, given, ref)


def judge_copy(file: FitFile, kind: str, path: Path, timeout_s: float) -> Verdict:
    """A damaged copy: refused in one line (``recrc``: a result or a one-line refusal; never a crash or hang)."""
    plain = run_cli(path, None, timeout_s)
    why = refused_in_one_line(plain)
    if kind.startswith("recrc") and plain.exit_code == 0:
        why = ""
    return Verdict(f"{file.origin} [{kind}]", "refuse", file.held_out, not why, why, plain, None, None)


def _short(answer: CliAnswer) -> str:
    if answer.exit_code == 0:
        return f"{answer.activity}, {answer.steps} steps, {answer.cadence_mean_spm} spm"
    return f"exit {answer.exit_code}: {answer.stderr.splitlines()[-1][:90] if answer.stderr else ''}"


def collect(mirror: Path | None, folders: list[Path], into: Path) -> list[FitFile]:
    """Every distinct file (by content) from the mirrors and folders."""
    seen: dict[str, FitFile] = {}
    sources = [
        *(mirror_files(mirror, into) if mirror is not None else ()),
        *(f for d in folders for f in folder_files(d)),
    ]
    for f in sources:
        seen.setdefault(f.sha256, f)
    return sorted(seen.values(), key=lambda f: f.origin)


def summary_lines(verdicts: list[Verdict]) -> list[str]:
    """Pass counts: real files (tuned and held out apart), damaged copies, and the unscored."""
    lines = []
    for title, group in (
        ("real files, tuned", [v for v in verdicts if "[" not in v.origin and not v.held_out]),
        ("real files, held out", [v for v in verdicts if "[" not in v.origin and v.held_out]),
        ("damaged copies", [v for v in verdicts if "[" in v.origin]),
    ):
        scored = [v for v in group if v.passed is not None]
        for kind in ("run", "walk", "refuse"):
            part = [v for v in scored if v.expected == kind]
            if part:
                lines.append(f"{title}, {kind}: {sum(v.passed is True for v in part)} of {len(part)}")
        if scored:
            ok = sum(v.passed is True for v in scored)
            lines.append(f"{title}, all: {ok} of {len(scored)} ({100.0 * ok / len(scored):.1f} %)")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Judge every file and print one line each, then the pass counts."""
    parser = argparse.ArgumentParser(prog="python -m tools.validate_fit_cli", description=__doc__.split("\n")[0])
    parser.add_argument("--mirror", type=Path, default=None, help=f"git mirrors to read (e.g. {DEFAULT_MIRROR})")
    parser.add_argument("--folder", type=Path, action="append", default=[], help="a plain folder of FIT files")
    parser.add_argument("--corrupt", action="store_true", help="also judge damaged copies of the run and walk files")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds before a call counts as a hang")
    parser.add_argument("--json", type=Path, default=None, help="write every verdict here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="calfload-fit-") as tmp:
        files = collect(args.mirror, args.folder, Path(tmp) / "files")
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            verdicts = list(pool.map(lambda f: judge_file(f, args.timeout), files))
            if args.corrupt:
                runs = [f for f, v in zip(files, verdicts, strict=True) if v.expected in {"run", "walk"}]
                copies = [
                    (f, k, p) for f in runs for k, p in corrupt_copies(f.path, Path(tmp) / "copies" / f.sha256[:16])
                ]
                verdicts += list(pool.map(lambda c: judge_copy(c[0], c[1], c[2], args.timeout), copies))
    for v in verdicts:
        mark = {True: "ok  ", False: "FAIL", None: "----"}[v.passed]
        print(f"{mark} {'H' if v.held_out else ' '} {v.expected:6} {v.origin}  {v.why}")  # noqa: T201 - a command-line tool
    print("\n".join(summary_lines(verdicts)))  # noqa: T201 - a command-line tool
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(v) for v in verdicts], indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
