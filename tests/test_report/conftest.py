"""Fixtures for the report tests: a headless Chromium driven over the DevTools protocol.

The browser is Debian's ``chromium`` (``.ci/run`` installs it); tests that need it skip cleanly
when it is absent. Set ``CALFLOAD_REPORT_SCREENSHOTS=DIR`` to keep every page's screenshot.
One browser process serves the whole session; every page opens in its own tab. The client talks
to Chromium over ``--remote-debugging-pipe`` (file descriptors 3 and 4, NUL-separated JSON), so
it needs no websocket library and opens no port.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import select
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)
TIMEOUT_S = 30.0
VIEWPORT_PX = (1100, 900)

#: Collects what a test needs from a page in one round trip.
PAGE_PROBE_JS = r"""
(() => {
  const rect = (el) => { const r = el.getBoundingClientRect();
    return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height}; };
  const data = document.getElementById('calfload-data');
  return {
    report: document.body.dataset.report || null,
    title: document.title,
    data: data ? data.textContent : null,
    caveat: (document.querySelector('[data-caveat]') || {}).textContent || null,
    text: document.body.innerText,
    numbers: [...document.querySelectorAll('[data-key]')].map(
      (el) => ({key: el.dataset.key, value: el.dataset.value, scale: el.dataset.scale || null, text: el.textContent})),
    plots: [...document.querySelectorAll('figure.plot')].map((el) => {
      const svg = el.querySelector('svg');
      const style = getComputedStyle(el);
      return {id: el.dataset.plot, svg: !!svg, rect: svg ? rect(svg) : rect(el),
              visible: style.visibility !== 'hidden' && style.display !== 'none',
              label: svg ? svg.getAttribute('aria-label') : null};
    }),
    messages: [...document.querySelectorAll('[data-message]')].map((el) => el.dataset.message),
    height: Math.ceil(document.documentElement.scrollHeight),
    width: Math.ceil(document.documentElement.scrollWidth),
  };
})()
"""


@dataclass
class RenderedPage:
    """What a page showed: its probe results, console problems and a full-page screenshot."""

    probe: dict[str, Any]
    console_errors: list[str]
    screenshot: np.ndarray = field(repr=False)

    @property
    def data(self) -> Any:
        """The page's embedded source object."""
        return json.loads(self.probe["data"])

    def plot(self, plot_id: str) -> dict[str, Any]:
        """The probe entry of one plot."""
        matches: list[dict[str, Any]] = [p for p in self.probe["plots"] if p["id"] == plot_id]
        assert len(matches) == 1, f"plot {plot_id!r}: found {len(matches)} in {[p['id'] for p in self.probe['plots']]}"
        return matches[0]

    def plot_pixels(self, plot_id: str) -> np.ndarray:
        """The screenshot's pixels (RGB, 0-1) inside a plot's box."""
        r = self.plot(plot_id)["rect"]
        x0, y0 = round(r["x"]), round(r["y"])
        return self.screenshot[y0 : y0 + round(r["height"]), x0 : x0 + round(r["width"]), :3]


class Browser:
    """A minimal DevTools-protocol client for one headless Chromium process."""

    def __init__(self, profile_dir: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        self._log = (profile_dir / "chromium.log").open("wb")
        actions = [
            (os.POSIX_SPAWN_DUP2, to_child_r, 3),
            (os.POSIX_SPAWN_DUP2, from_child_w, 4),
            (os.POSIX_SPAWN_DUP2, self._log.fileno(), 1),
            (os.POSIX_SPAWN_DUP2, self._log.fileno(), 2),
        ]
        argv = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir / 'profile'}", "about:blank"]
        self.pid = os.posix_spawn(CHROMIUM, argv, os.environ, file_actions=actions)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self.call("Target.setDiscoverTargets", discover=False)

    # ---------------------------------------------------------------------------- protocol

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its result (events meanwhile are kept)."""
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self._events.append(reply)

    def wait_event(self, method: str, session: str) -> dict[str, Any]:
        """Wait for an event of this session."""
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            for i, ev in enumerate(self._events):
                if ev.get("method") == method and ev.get("sessionId") == session:
                    return self._events.pop(i)
            self._events.append(self._read(deadline))

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    # ------------------------------------------------------------------------------- pages

    def render(self, path: Path) -> RenderedPage:
        """Open a file in a new tab; collect console problems, the probe and a full-page screenshot."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        try:
            for domain in ("Page", "Runtime", "Log"):
                self.call(f"{domain}.enable", session)
            width, height = VIEWPORT_PX
            self.call(
                "Emulation.setDeviceMetricsOverride",
                session,
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
            self.call("Page.navigate", session, url=path.resolve().as_uri())
            self.wait_event("Page.loadEventFired", session)
            probe = self.call("Runtime.evaluate", session, expression=PAGE_PROBE_JS, returnByValue=True)
            page = probe["result"]["value"]
            shot = self.call(
                "Page.captureScreenshot",
                session,
                format="png",
                captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": page["width"], "height": page["height"], "scale": 1},
            )
            errors = self._console_errors(session)
        finally:
            self.call("Target.closeTarget", targetId=target)
        from matplotlib.image import imread

        png = base64.b64decode(shot["data"])
        if keep := os.environ.get("CALFLOAD_REPORT_SCREENSHOTS"):  # for a person to look at
            Path(keep).mkdir(parents=True, exist_ok=True)
            (Path(keep) / f"{path.stem}.png").write_bytes(png)
        image = imread(io.BytesIO(png), format="png")
        return RenderedPage(probe=page, console_errors=errors, screenshot=np.asarray(image))

    def _console_errors(self, session: str) -> list[str]:
        # Give late console messages a moment, then collect every error and warning of this tab.
        with contextlib.suppress(TimeoutError):
            self.call("Runtime.evaluate", session, expression="new Promise(r => setTimeout(r, 50))", awaitPromise=True)
        problems = []
        for ev in [e for e in self._events if e.get("sessionId") == session]:
            method, params = ev.get("method"), ev.get("params", {})
            if method == "Runtime.exceptionThrown":
                problems.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                problems.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
                problems.append(f"log {params['entry']['level']}: {params['entry'].get('text')}")
        self._events = [e for e in self._events if e.get("sessionId") != session]
        return problems

    def close(self) -> None:
        """Ask Chromium to quit, then make sure it has."""
        with contextlib.suppress(Exception):
            self.call("Browser.close")
        os.close(self._to_child)
        os.close(self._from_child)
        deadline = time.monotonic() + 10.0
        while time.monotonic() < deadline:
            if os.waitpid(self.pid, os.WNOHANG)[0]:
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        self._log.close()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One headless Chromium for the session (skips when Debian's ``chromium`` is not installed)."""
    if not (os.access(CHROMIUM, os.X_OK) and shutil.which(CHROMIUM)):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    b = Browser(tmp_path_factory.mktemp("chromium"))
    try:
        yield b
    finally:
        b.close()


class Cli:
    """Run ``calfload ...`` in process and capture its output."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys

    def __call__(self, *args: str | os.PathLike[str]) -> tuple[int, str, str]:
        from calfload.cli import main

        self._capsys.readouterr()
        code = main([str(a) for a in args])
        out = self._capsys.readouterr()
        return code, out.out, out.err

    def ok(self, *args: str | os.PathLike[str]) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out

    def json(self, *args: str | os.PathLike[str]) -> Any:
        return json.loads(self.ok(*args, "--json"))


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """``cli("report", FILE)`` runs the command line in process."""
    return Cli(capsys)
