"""The review pack's pages in a real browser: headless Chromium renders index.html and a report
page, takes screenshots, and the test FAILS on any console error, uncaught exception, blocked
resource or JavaScript dialog (an alert would mean report text ran as script).

Chromium is driven through the DevTools protocol over a pipe (--remote-debugging-pipe: JSON
messages separated by NUL on file descriptors 3 and 4), so no websocket library is needed. If
that cannot be started, the test falls back to --screenshot with --enable-logging=stderr and
looks for console error lines.
"""
from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from test_review_pack import pack_dir  # noqa: F401  (the same review-pack fixture)


ROOT = Path(__file__).resolve().parents[1]
ENSURE = ROOT / "scripts" / "ensure_chromium.sh"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio"]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def chromium():
    path = _chromium()
    if path:
        return path
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("未安装 chromium，且不是 root 用户，无法自动安装（可运行 sudo bash scripts/ensure_chromium.sh）")
    if not shutil.which("apt-get"):
        pytest.skip("未安装 chromium，且系统没有 apt-get，无法自动安装")
    r = subprocess.run(["bash", str(ENSURE)], capture_output=True, text=True, timeout=1800)
    path = _chromium()
    if r.returncode != 0 or not path:
        pytest.skip(f"chromium 安装失败：{(r.stderr or r.stdout).strip()[-300:]}")
    return path


class DevTools:
    """A minimal DevTools-protocol client over --remote-debugging-pipe."""

    def __init__(self, chromium: str, profile: Path, width: int = 1400, height: int = 1000):
        to_child_r, self._w = os.pipe()
        self._r, from_child_w = os.pipe()

        def wire():  # runs in the child: the protocol expects fd 3 (commands in) and fd 4 (replies out)
            a, b = os.dup(to_child_r), os.dup(from_child_w)   # above 4 whatever the pipes' numbers are
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [chromium, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        self.session = None

    def _read(self, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._r], [], [], left)
            if not ready:
                return None
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium 已退出")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method: str, params: dict | None = None, *, session: bool = True, timeout: float = 30) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(max(0.01, deadline - time.monotonic()))
            if reply is None:
                raise TimeoutError(f"DevTools 命令超时：{method}")
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def _event(self, ev: dict) -> None:
        self.events.append(ev)
        if ev.get("method") == "Page.javascriptDialogOpening":   # recorded as a problem, then dismissed
            self.send("Page.handleJavaScriptDialog", {"accept": False}, timeout=10)

    def wait_event(self, method: str, timeout: float = 30) -> dict:
        for ev in self.events:
            if ev["method"] == method:
                return ev
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ev = self._read(deadline - time.monotonic())
            if ev is None:
                break
            if "method" in ev:
                self._event(ev)
                if ev["method"] == method:
                    return ev
        raise TimeoutError(f"等待事件超时：{method}；已收到：{self.problems()}")

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ev = self._read(deadline - time.monotonic())
            if ev is None:
                break
            if "method" in ev:
                self._event(ev)

    def open(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    def load(self, url: str) -> None:
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")
        self.drain(0.5)   # late errors (timers, deferred scripts)

    def evaluate(self, expression: str):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in r:
            raise AssertionError(f"页面脚本出错：{r['exceptionDetails'].get('text')}")
        return r["result"].get("value")

    def screenshot(self, path: Path, width: int = 1400, max_height: int = 6000) -> None:
        metrics = self.send("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        height = int(min(max_height, max(600, size["height"])))
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        path.write_bytes(base64.b64decode(data))

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, CSP violations, failed loads, dialogs."""
        out = []
        for ev in self.events:
            m, p = ev["method"], ev.get("params", {})
            if m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                out.append(f"Uncaught: {d.get('exception', {}).get('description') or d.get('text')}")
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append("Console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(f"Log error: {p['entry'].get('text')} {p['entry'].get('url', '')}")
            elif m == "Page.javascriptDialogOpening":
                out.append(f"Dialog opened: {p.get('message')}")
        return out

    def close(self) -> None:
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._r, self._w):
            try:
                os.close(fd)
            except OSError:
                pass


def _fallback_render(chromium: str, url: str, png: Path, profile: Path) -> list[str]:
    """--screenshot with console logging on stderr; returns the error lines."""
    r = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                        "--window-size=1400,3000", f"--screenshot={png}", url],
                       capture_output=True, text=True, timeout=120)
    bad = []
    for line in r.stderr.splitlines():
        if "Uncaught" in line or ("CONSOLE" in line and ("error" in line.lower() or "Refused" in line)):
            bad.append(line)
    return bad


@pytest.fixture(scope="module")
def pack(pack_dir):
    return pack_dir


def _template_page(out: Path) -> Path:
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rep = next(r for r in s["reports"] if Path(r["source"]).stem == "template")
    return out / rep["page"]


def test_pages_render_without_console_errors(chromium, pack, tmp_path):
    pages = [pack / "index.html", _template_page(pack)]
    shots = Path(os.environ.get("DUDAO_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    try:
        cdp = DevTools(chromium, tmp_path / "profile")
        cdp.send("Browser.getVersion", session=False, timeout=20)
    except Exception as e:  # pragma: no cover - only when the pipe cannot be used
        errors = []
        for page in pages:
            png = shots / f"{page.stem}.png"
            errors += _fallback_render(chromium, page.as_uri(), png, tmp_path / f"profile-{page.stem}")
            assert png.is_file() and png.stat().st_size > 10_000, f"截图失败（{e}）"
        assert not errors, "\n".join(errors)
        return
    try:
        cdp.open()
        # the dashboard
        cdp.load(pages[0].as_uri())
        assert cdp.problems() == []
        assert cdp.evaluate("document.title").startswith("评审总览")
        assert cdp.evaluate("document.querySelectorAll('.chart svg').length") >= 1
        assert cdp.evaluate("document.querySelectorAll('#report-table tbody tr').length") == 3
        cdp.evaluate("document.querySelector('#report-table th:nth-child(10)').click()")     # sort by 雷同
        cdp.evaluate("var f=document.getElementById('report-filter'); f.value='平遥'; f.dispatchEvent(new Event('input'))")
        assert cdp.evaluate("Array.from(document.querySelectorAll('#report-table tbody tr'))"
                            ".filter(function(r){return r.style.display!=='none'}).length") == 1
        cdp.drain(0.2)
        assert cdp.problems() == []
        cdp.screenshot(shots / "index.png")
        # a report page holding <script>alert(1)</script> in its text
        cdp.load(pages[1].as_uri())
        assert cdp.problems() == []                       # no alert dialog, no errors
        # our one script, plus the tooltip table (JSON data, not run)
        assert cdp.evaluate("document.querySelectorAll('script:not([type=\"application/json\"])').length") == 1
        assert "<script>alert(1)</script>" in cdp.evaluate("document.getElementById('doc').textContent")
        assert cdp.evaluate("document.querySelectorAll('#doc a.hl').length") > 0
        cdp.evaluate("document.querySelector('input[data-toggle=placeholder]').click()")
        assert cdp.evaluate("document.body.classList.contains('hide-placeholder')") is True
        cdp.evaluate("document.querySelector('input[data-toggle=placeholder]').click()")
        # hovering a highlight shows its tooltip from the page's one tooltip table
        cdp.evaluate("document.querySelector('#doc a.hl').dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))")
        assert cdp.evaluate("document.querySelector('#doc a.hl').getAttribute('title')")
        cdp.evaluate("document.querySelector('#doc a.hl').click()")
        cdp.drain(0.2)
        assert cdp.problems() == []
        cdp.screenshot(shots / "report.png")
    finally:
        cdp.close()
    for name in ("index.png", "report.png"):
        png = shots / name
        assert png.is_file() and png.stat().st_size > 10_000
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
