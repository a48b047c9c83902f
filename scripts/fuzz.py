"""Mutation fuzzer for the decoder, every reader and the analysis.

    python scripts/fuzz.py --minutes 60 [--out /tmp/dudao-fuzz]   # the hour-long run
    python scripts/fuzz.py --seconds 20                           # a quick look

Seeds are the hostile corpus (tests/hostile.py, small size) plus a valid docx, PDF, HTML and
zip. Each input is a mutated seed (bit flips, cut, duplicated or spliced ranges, inserted
hostile tokens) fed to one target: decode_bytes, load_bytes (sniff + the reader the bytes pick),
the zip expander, or load + full analysis. A DudaoError is a correct answer; any other exception
is a finding, saved with its traceback. Work runs in child processes of a few minutes each, so a
hang (an input over --hang seconds of CPU time, or a child that stops answering) is caught and saved too, and
code fixed during a long run is picked up by the next child (run a snapshot of the code, e.g. from
`git archive`, when the result must describe one version). Prints one JSON line of totals.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

TOKENS = [b"\x00", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xef\xbf\xbe", b"\xef\xbf\xbf", b"\r",
          b"<div>" * 300, b"</p>", b"<p>", b"<!--", b"<script>", b"&#0;", b"&#xfffe;", b"\x01", b"\x1b",
          b"%PDF-1.4", b"endobj", b"/Count 99999", b"stream", b"PK\x03\x04", b"PK\x05\x06",
          "版权所有".encode(), "www.x.cn".encode(), "一、".encode(), "。".encode(), b"\xd6\xd0",
          "\ud800".encode("utf-8", "surrogatepass"), b"\x80" * 7, b"9" * 40, b"\n" * 50, b" " * 200]


def seeds() -> list[tuple[str, bytes]]:
    import hostile
    from dudao.ingest import writers
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for case, path in hostile.build(Path(tmp) / "h").items():
            data = path.read_bytes()
            if 0 < len(data) <= 400_000:
                out.append((os.fsdecode(path.name).encode("utf-8", "replace").decode(), data))
        text = hostile.report(n=6)
        writers.to_docx(text, Path(tmp) / "r.docx", table_rows=[["指标", "数值"], ["学位", "3600"]])
        writers.to_pdf(text, Path(tmp) / "r.pdf")
        out += [("r.docx", (Path(tmp) / "r.docx").read_bytes()), ("r.pdf", (Path(tmp) / "r.pdf").read_bytes())]
    out.append(("r.html", hostile.html_wrong_charset().replace(b"iso-8859-1", b"utf-8")))
    out.append(("r.zip", hostile._zip([("甲.txt", hostile.report().encode()), ("乙/乙.html", out[-1][1])])))
    out.append(("r.txt", hostile.report(n=12).encode("gb18030")))
    return out


def mutate(rng: random.Random, data: bytes, pool: list[tuple[str, bytes]]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 3, 8])):
        op = rng.randrange(7)
        n = len(b)
        if op == 0 and n:                       # flip bits
            for _ in range(rng.randint(1, 8)):
                b[rng.randrange(n)] ^= 1 << rng.randrange(8)
        elif op == 1 and n:                     # cut a range
            i = rng.randrange(n)
            del b[i:i + rng.randint(1, max(1, n // 8))]
        elif op == 2 and n:                     # duplicate a range
            i = rng.randrange(n)
            j = min(n, i + rng.randint(1, 4096))
            b[i:i] = b[i:j] * rng.randint(1, 4)
        elif op == 3:                           # insert a hostile token
            b[rng.randrange(n + 1):0] = rng.choice(TOKENS)
        elif op == 4 and n:                     # truncate
            del b[rng.randrange(n):]
        elif op == 5:                           # splice another seed
            other = rng.choice(pool)[1]
            i, j = rng.randrange(n + 1), rng.randrange(len(other) + 1)
            b = b[:i] + other[j:j + rng.randint(1, 20000)]
        elif op == 6 and n:                     # overwrite with random bytes
            i = rng.randrange(n)
            b[i:i + 16] = rng.randbytes(16)
    return bytes(b)


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def run_target(target: str, data: bytes, name: str) -> None:
    from dudao.batch import analyse_raw
    from dudao.ingest import _zip_items, load_bytes
    from dudao.ingest.text import decode_bytes
    if target == "decode":
        decode_bytes(data)
    elif target == "load":
        load_bytes(data, name)
    elif target == "zip":
        for item in _zip_items(name, lambda: io.BytesIO(data)):
            try:
                item.load()
            except Exception as e:
                from dudao.errors import DudaoError
                if not isinstance(e, DudaoError):
                    raise
    else:
        analyse_raw(load_bytes(data, name))


def worker(seconds: float, seed: int, out: Path, hang: float) -> None:
    """One child: fuzz for `seconds`, print findings and totals as JSON lines."""
    from dudao.errors import DudaoError
    rng = random.Random(seed)
    pool = seeds()
    current = out / f"current-{os.getpid()}.bin"
    from dudao.workers import warm_up
    warm_up()   # start-up (vocabularies, patterns) is not the first input's time
    # CPU time, not wall time: a loaded machine must not turn slow inputs into "hangs"
    signal.signal(signal.SIGVTALRM, _alarm)
    tried, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        name, base = rng.choice(pool)
        data = mutate(rng, base, pool) if rng.random() < 0.95 else base
        target = rng.choice(["decode", "load", "load", "zip", "analyze", "analyze"])
        if target == "zip":
            name = "x.zip"
        current.write_bytes(json.dumps([target, name]).encode() + b"\n" + data)
        tried += 1
        signal.setitimer(signal.ITIMER_VIRTUAL, hang)
        try:
            run_target(target, data, name)
        except DudaoError:
            pass
        except Hang:
            _save(out, "hang", target, name, data, f"over {hang} s of CPU time")
        except RecursionError as e:
            _save(out, "exception", target, name, data, "".join(traceback.format_exception(e))[-3000:])
        except Exception as e:
            _save(out, "exception", target, name, data, "".join(traceback.format_exception(e))[-3000:])
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    current.unlink(missing_ok=True)
    print(json.dumps({"tried": tried}), flush=True)


def _save(out: Path, kind: str, target: str, name: str, data: bytes, detail: str) -> None:
    tail = detail.strip().splitlines()[-1] if detail.strip() else kind
    where = [ln for ln in detail.splitlines() if ln.strip().startswith("File ")][-1:] or [""]
    key = hashlib.sha1((kind + target + tail.split(":")[0] + where[0]).encode()).hexdigest()[:10]
    path = out / f"{kind}-{key}"
    if not path.exists():
        path.mkdir(parents=True)
        (path / "input.bin").write_bytes(data)
        (path / "info.txt").write_text(f"{target} {name}\n{detail}\n", encoding="utf-8")
    print(json.dumps({"kind": kind, "key": key, "target": target, "error": tail[:200]}, ensure_ascii=False),
          flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=0)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "dudao-fuzz"))
    ap.add_argument("--chunk", type=float, default=240, help="seconds per child process")
    ap.add_argument("--hang", type=float, default=30, help="CPU seconds after which one input is a hang")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    seed = args.seed if args.seed is not None else int(time.time())
    if args.worker:
        worker(args.seconds, seed, out, args.hang)
        return 0
    total = args.minutes * 60 or args.seconds
    end, tried, kinds, k = time.monotonic() + total, 0, {}, 0
    while time.monotonic() < end - 1:
        secs = min(args.chunk, end - time.monotonic())
        cmd = [sys.executable, __file__, "--worker", "--seconds", str(secs), "--seed", str(seed + k),
               "--out", str(out), "--hang", str(args.hang)]
        k += 1
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=secs + 300 + args.hang)
            lines = r.stdout.splitlines()
            if r.returncode != 0:
                _child_failure(out, kinds, f"child exit {r.returncode}: {r.stderr[-2000:]}")
        except subprocess.TimeoutExpired as e:   # the child stopped answering: a hang in C code
            lines = (e.stdout or b"").decode(errors="replace").splitlines() if isinstance(e.stdout, bytes) else \
                (e.stdout or "").splitlines()
            _child_failure(out, kinds, "child hung")
        for line in lines:
            rec = json.loads(line)
            if "tried" in rec:
                tried += rec["tried"]
            else:
                kinds.setdefault(rec["kind"], {}).setdefault(rec["key"], rec)
                kinds[rec["kind"]][rec["key"]]["count"] = kinds[rec["kind"]][rec["key"]].get("count", 0) + 1
        print(json.dumps({"elapsed": round(total - (end - time.monotonic())), "tried": tried,
                          "exceptions": len(kinds.get("exception", {})), "hangs": len(kinds.get("hang", {}))}),
              flush=True)
    result = {"seconds": round(total), "tried": tried,
              "exceptions": sorted(kinds.get("exception", {}).values(), key=lambda r: r["key"]),
              "hangs": sorted(kinds.get("hang", {}).values(), key=lambda r: r["key"]),
              "child_failures": kinds.get("child", {}), "out": str(out)}
    print(json.dumps(result, ensure_ascii=False, indent=1), flush=True)
    return 1 if result["exceptions"] or result["hangs"] or result["child_failures"] else 0


def _child_failure(out: Path, kinds: dict, detail: str) -> None:
    for cur in out.glob("current-*.bin"):   # the input the child was on
        head, _, data = cur.read_bytes().partition(b"\n")
        target, name = json.loads(head)
        _save(out, "hang" if "hung" in detail else "exception", target, name, data, detail)
        kinds.setdefault("hang" if "hung" in detail else "exception", {})[cur.name] = {
            "kind": "child", "target": target, "error": detail[-200:]}
        cur.unlink()
    kinds.setdefault("child", {})[str(len(kinds.get("child", {})))] = detail[-300:]


if __name__ == "__main__":
    sys.exit(main())
