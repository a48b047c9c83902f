"""Load on the review platform: simulated users against a real `dudao serve` on loopback (SQLite).

Starts `dudao serve` with a fresh data folder, creates an admin (with `dudao user add`, password
on standard input), then through the admin pages a provincial reviewer and one reporting unit per
county of 甘肃省 (real adcodes from the region table) and a round covering all of them. A few
counties upload a report first so reviewers have findings to decide on. Then --users simulated
users (asyncio, one HTTP client and session each, think time between requests) run two phases:

  browse  pages, API reads and reviewer decisions; the analysis queue is idle
  mixed   the same plus uploads of generated reports, so the background worker analyses
          while pages are served (in the server's child process, on the same CPUs)

Each phase is bounded by --loops per user and --seconds. Printed per phase and route kind:
request count, errors, p50/p95/p99/max latency in ms; with the load average and the server's
CPU time, since other work on the machine moves these figures. Target: page views p95 < 200 ms.

Usage: python benchmarks/web_load.py [--users 50] [--submitters 40] [--loops 40] [--seconds 60]
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "fuzai-ceshi-2026"
KINDS = ("page", "api", "upload", "decision", "login")


# --- generated reports (written for this benchmark) -------------------------------------------

# More work items, so a report reaches a realistic length (county self-reports run to 8–20 thousand
# characters); each is filled with fresh figures.
ITEMS = [
    "（{i}）学前教育。新建、改扩建公办幼儿园{a}所，普惠性幼儿园覆盖率达到{p}%，公办园在园幼儿占比{q}%。",
    "（{i}）义务教育。完成{a}所薄弱学校改造，城区学校{b}人以上大班额全部消除，县域义务教育学校校际差异系数逐年缩小。",
    "（{i}）特殊教育。适龄残疾儿童少年入学率达到{p}%，送教上门{a}人次，资源教室{b}间。",
    "（{i}）高中教育。普通高中{a}所，高中阶段毛入学率{p}%，普职招生比例保持大体相当。",
    "（{i}）职业教育。开设专业{a}个，与{b}家企业开展校企合作，毕业生就业率{p}%。",
    "（{i}）教师待遇。兑现乡村教师生活补助{a}万元，为{b}名教师办理职称晋升，教师周转宿舍{a}套。",
    "（{i}）学生资助。发放各类资助资金{a}万元，惠及学生{b}人次，做到应助尽助。",
    "（{i}）校园安全。开展安全隐患排查{a}次，整改问题{b}项，专职保安配备率{p}%。",
    "（{i}）督导评估。对{a}所学校开展综合督导，挂牌责任督学{b}名，督导结果纳入学校考核。",
]


def make_report(rng: random.Random, county: str, year: int, size: int = 0) -> str:
    """A county self-report with varied figures, grown to about `size` characters; about half
    leave a template placeholder in."""
    n = rng.randint
    extra, i = [], 4
    while size and sum(map(len, extra)) < size - 900:
        extra.append(rng.choice(ITEMS).format(i=f"{i}", a=n(2, 60), b=n(20, 900), p=f"{n(85, 99)}.{n(0, 9)}",
                                              q=f"{n(40, 80)}.{n(0, 9)}"))
        i += 1
    more = "\n".join(extra)
    plan = "20XX年" if rng.random() < 0.5 else f"{year + 1}年"
    money = "XX万元" if rng.random() < 0.3 else f"{n(800, 9000)}万元"
    return f"""{county}人民政府
关于{year}年度履行教育职责情况的自评报告

按照省政府教育督导委员会办公室的部署，县政府组织相关部门对照评价指标开展了自查，现将有关情况报告如下。

一、基本情况
全县共有各级各类学校{n(60, 260)}所，在校学生{n(1, 9)}.{n(0, 9)}万人，专任教师{n(800, 5000)}人。义务教育巩固率{n(95, 99)}.{n(0, 9)}%，学前三年毛入园率{n(85, 97)}.{n(0, 9)}%。

二、主要工作
（一）教育投入。全年一般公共预算教育支出{n(2, 20)}.{n(10, 99)}亿元，比上年增长{n(1, 9)}.{n(0, 9)}%。
（二）教师队伍。新招聘教师{n(30, 300)}名，交流轮岗教师{n(50, 500)}人，教师平均工资收入不低于当地公务员平均工资收入。
（三）办学条件。新建、改扩建校舍{n(1, 9)}.{n(0, 9)}万平方米，新增学位{n(200, 3000)}个。
{more}

三、存在问题
一是城区学位仍然紧张；二是乡村学校{rng.choice(['音体美', '科学', '心理健康'])}教师不足；三是{rng.choice(['学前教育普惠资源', '职业教育专业设置', '校园安全设施'])}仍有短板。

四、下一步打算
{plan}，计划投入{money}改善薄弱学校办学条件，推动义务教育优质均衡发展。

{county}人民政府
{year + 1}年{n(1, 4)}月{n(1, 28)}日
"""


# --- the server -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: Path, port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "dudao.cli", "serve", "--data", str(data), "--port", str(port),
           "--host", "127.0.0.1", "--workers", str(workers)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"服务未能启动：{proc.stderr.read().decode(errors='replace')[-500:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.3)
    raise SystemExit("服务在 120 秒内没有响应")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def counties(province: str, count: int) -> list[tuple[str, str]]:
    from dudao.extract.region import region_table
    table = region_table()
    found = sorted((r.adcode, r.name) for r in table.regions.values()
                   if r.level == "county" and r.province_adcode == province)
    if not found:
        raise SystemExit(f"行政区划代码 {province} 下没有县级区划")
    return found[:count] if count else found


def add_admin(data: Path) -> None:
    """The first account, as an operator creates it: `dudao user add`, password on standard input."""
    r = subprocess.run([sys.executable, "-m", "dudao.cli", "user", "add", "admin", "--role", "admin",
                        "--region", "620000", "--data", str(data)], input=PASSWORD + "\n",
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    if r.returncode != 0:
        raise SystemExit(r.stderr)


def setup(base: str, places: list[tuple[str, str]], all_codes: list[str]) -> None:
    """A reviewer, the reporting units and a round, created through the admin pages."""
    with httpx.Client(base_url=base, timeout=120) as c:
        csrf = c.post("/api/login", json={"username": "admin", "password": PASSWORD}).json()["csrf_token"]
        head = {"X-CSRF-Token": csrf}
        users = [("reviewer", "reviewer", "620000")] + [(f"unit-{code}", "submitter", code)
                                                         for code, _ in places]
        for name, role, code in users:
            r = c.post("/admin/users", headers=head,
                       data={"username": name, "password": PASSWORD, "role": role, "region": code})
            if r.status_code != 303:
                raise SystemExit(f"创建用户 {name} 失败：{r.status_code}")
        deadline = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        r = c.post("/admin/rounds", headers=head,
                   data={"year": str(dt.date.today().year - 1), "name": "县级人民政府履行教育职责评价（负载测试）",
                         "deadline": deadline, "regions_text": ",".join(all_codes)})
        if r.status_code != 303:
            raise SystemExit(f"创建评价轮次失败：{r.status_code}")


# --- simulated users --------------------------------------------------------------------------

class Shared:
    """What the simulated users learn while they run: analysed submissions and their findings."""

    def __init__(self, size: int = 0):
        self.size = size                           # characters per generated report
        self.findings: dict[int, list[str]] = {}   # submission id -> automatic finding keys
        self.reset()

    def reset(self):
        self.samples: dict[str, list[float]] = {k: [] for k in KINDS}
        self.routes: dict[str, list[float]] = {}     # "GET /submissions/{id}" -> latencies
        self.errors: dict[str, int] = {k: 0 for k in KINDS}
        self.error_examples: list[str] = []

    def learn(self, detail: dict) -> None:
        if detail.get("status") == "analysed":
            self.findings[detail["id"]] = [f["key"] for f in detail.get("findings", []) if f["source"] == "auto"]


class User:
    def __init__(self, base: str, username: str, role: str, county: str | None, shared: Shared,
                 rng: random.Random):
        self.client = httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False,
                                        limits=httpx.Limits(max_connections=2))
        self.username, self.role, self.county = username, role, county
        self.shared, self.rng = shared, rng
        self.csrf = ""
        self.own: list[int] = []     # a reporting unit's own submissions
        self.uploads = 0

    async def call(self, kind: str, method: str, url: str, ok: tuple[int, ...] = (200,), **kw):
        t = time.perf_counter()
        try:
            r = await self.client.request(method, url, **kw)
        except httpx.HTTPError as e:
            self.shared.errors[kind] += 1
            self.shared.error_examples.append(f"{method} {url}: {type(e).__name__}")
            return None
        took = time.perf_counter() - t
        if r.status_code not in ok:
            self.shared.errors[kind] += 1
            self.shared.error_examples.append(f"{method} {url}: {r.status_code}")
            return None
        self.shared.samples[kind].append(took)
        route = f"{method} " + "/".join("{id}" if p.isdigit() else p for p in url.split("/"))
        self.shared.routes.setdefault(route, []).append(took)
        return r

    async def login(self) -> None:
        r = await self.call("login", "POST", "/api/login", json={"username": self.username, "password": PASSWORD})
        if r is None:
            raise SystemExit(f"{self.username} 登录失败")
        self.csrf = r.json()["csrf_token"]

    async def upload(self, year: int) -> None:
        text = make_report(self.rng, self.county, year, self.shared.size)
        r = await self.call("upload", "POST", "/api/submissions", ok=(201,),
                            headers={"X-CSRF-Token": self.csrf},
                            files={"file": (f"{self.county}{year}年度自评报告.txt", text.encode("utf-8"))})
        if r is not None:
            self.own.append(r.json()["id"])
            self.uploads += 1

    async def step(self, uploads: int) -> None:
        """One action, chosen the way such a user works."""
        rng = self.rng
        if self.role == "submitter":
            acts = ["dash"] * 3 + ["list"] * 2 + ["api_list"] * 2
            if self.own:
                acts += ["mine"] * 2 + ["api_mine"] * 2
            if self.uploads < uploads:
                acts += ["upload"]
        else:
            acts = ["dash"] * 2 + ["list"] * 2 + ["api_list"]
            if self.shared.findings:
                acts += ["page"] * 3 + ["api_detail"] * 2 + ["decide"] * 2
        act = rng.choice(acts)
        if act == "dash":
            await self.call("page", "GET", "/")
        elif act == "list":
            await self.call("page", "GET", "/submissions")
        elif act == "mine":
            await self.call("page", "GET", f"/submissions/{rng.choice(self.own)}")
        elif act == "api_list":
            await self.call("api", "GET", "/api/submissions")
        elif act == "api_mine":
            r = await self.call("api", "GET", f"/api/submissions/{rng.choice(self.own)}")
            if r is not None:
                self.shared.learn(r.json())
        elif act == "upload":
            await self.upload(dt.date.today().year - 1)
        elif act == "page":
            await self.call("page", "GET", f"/submissions/{rng.choice(list(self.shared.findings))}")
        elif act == "api_detail":
            r = await self.call("api", "GET", f"/api/submissions/{rng.choice(list(self.shared.findings))}")
            if r is not None:
                self.shared.learn(r.json())
        elif act == "decide":
            choices = [(sid, keys) for sid, keys in self.shared.findings.items() if keys]
            if not choices:
                await self.call("page", "GET", "/")
                return
            sid, keys = rng.choice(choices)
            await self.call("decision", "POST", f"/submissions/{sid}/decisions", ok=(303,),
                            data={"csrf_token": self.csrf, "key": rng.choice(keys),
                                  "decision": rng.choice(["accepted", "dismissed", "edited"]),
                                  "message": "表述已按评审意见修改。", "note": "负载测试"})

    async def run(self, loops: int, until: float, think: tuple[float, float], uploads: int) -> int:
        done = 0
        await asyncio.sleep(self.rng.uniform(0, think[1]))   # users do not all start at once
        while done < loops and time.monotonic() < until:
            await self.step(uploads)
            done += 1
            await asyncio.sleep(self.rng.uniform(*think))
        return done


# --- the run ----------------------------------------------------------------------------------

def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile in milliseconds."""
    if not values:
        return float("nan")
    s = sorted(values)
    return 1000 * s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


def cell(text: str, width: int, right: bool = True) -> str:
    """Pad to a display width (a Chinese character takes two columns)."""
    pad = " " * max(0, width - sum(2 if ord(c) > 0x2E80 else 1 for c in text))
    return pad + text if right else text + pad


def row(name: str, values: list[float], errors: int = 0) -> str:
    figures = [pct(values, 50), pct(values, 95), pct(values, 99), 1000 * max(values, default=float("nan"))]
    return (cell(name, 34, right=False) + cell(str(len(values) + errors), 8) + cell(str(errors), 6)
            + "".join(cell(f"{x:.1f}", 10) for x in figures))


def table(title: str, shared: Shared, seconds: float, load: tuple, cpu: float) -> str:
    lines = [f"\n== {title}：{seconds:.1f} 秒，结束时负载均值 {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}，"
             f"服务进程 CPU {cpu:.1f} 秒（平均占 {cpu / seconds:.0%} 个核）",
             cell("类型", 34, right=False) + cell("请求数", 8) + cell("错误", 6)
             + "".join(cell(h, 10) for h in ("p50 ms", "p95 ms", "p99 ms", "max ms"))]
    names = {"page": "页面浏览", "api": "接口读取", "upload": "上传", "decision": "评审决定", "login": "登录"}
    total = errors = 0
    for k in KINDS:
        if shared.samples[k] or shared.errors[k]:
            total += len(shared.samples[k]) + shared.errors[k]
            errors += shared.errors[k]
            lines.append(row(names[k], shared.samples[k], shared.errors[k]))
    lines.append(f"合计 {total} 个请求，{errors} 个错误，{total / seconds:.1f} 请求/秒，"
                 f"服务进程每个请求 {1000 * cpu / max(total, 1):.1f} ms CPU（不含分析子进程）；按路由：")
    lines += ["  " + row(route, v) for route, v in sorted(shared.routes.items())]
    if shared.error_examples:
        lines.append("错误示例：" + "；".join(shared.error_examples[:5]))
    page = shared.samples["page"]
    if page:
        lines.append(f"页面浏览 p95 {'达到' if pct(page, 95) < 200 else '未达到'}目标（< 200 ms）")
    return "\n".join(lines)


async def queue_state(base: str) -> dict[str, int]:
    async with httpx.AsyncClient(base_url=base, timeout=120) as c:
        await c.post("/api/login", json={"username": "admin", "password": PASSWORD})
        subs = (await c.get("/api/submissions")).json()["submissions"]
    out: dict[str, int] = {}
    for s in subs:
        out[s["status"]] = out.get(s["status"], 0) + 1
    return out


async def phase(name: str, users: list[User], args, uploads: int, server: subprocess.Popen) -> str:
    shared = users[0].shared
    shared.reset()
    cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
    until = t0 + args.seconds
    await asyncio.gather(*(u.run(args.loops, until, tuple(args.think), uploads) for u in users))
    took = time.monotonic() - t0
    return table(name, shared, took, os.getloadavg(), cpu_seconds(server.pid) - cpu0)


async def main_async(args, base: str, server: subprocess.Popen, places: list[tuple[str, str]]) -> None:
    shared, rng = Shared(args.size), random.Random(args.seed)
    n_sub = min(args.submitters, args.users - 1, len(places))
    users = [User(base, f"unit-{code}", "submitter", name, shared, random.Random(rng.random()))
             for code, name in places[:n_sub]]
    users += [User(base, "reviewer", "reviewer", None, shared, random.Random(rng.random()))
              for _ in range(args.users - n_sub)]
    t = time.monotonic()
    for i in range(0, len(users), 10):   # sign in ten at a time (argon2 is slow on purpose)
        await asyncio.gather(*(u.login() for u in users[i:i + 10]))
    login = sorted(shared.samples["login"])
    print(f"{len(users)} 个用户登录用时 {time.monotonic() - t:.1f} 秒（登录 p50 {pct(login, 50):.0f} ms，"
          f"p95 {pct(login, 95):.0f} ms）")

    # Material for the reviewers: the first --seed-reports units upload once; wait for the worker.
    t = time.monotonic()
    seeders = users[:min(args.seed_reports, n_sub)]
    await asyncio.gather(*(u.upload(dt.date.today().year - 1) for u in seeders))
    while True:
        state = await queue_state(base)
        if not state.get("queued") and not state.get("analysing"):
            break
        if time.monotonic() - t > args.seed_wait:
            print(f"预置报告未在 {args.seed_wait} 秒内分析完：{state}")
            break
        await asyncio.sleep(2)
    for u in seeders:
        for sid in u.own:
            r = await u.client.get(f"/api/submissions/{sid}")
            shared.learn(r.json())
    if shared.errors["upload"]:
        print("预置报告上传出错：" + "；".join(shared.error_examples))
    print(f"预置 {len(seeders)} 份报告并分析完成用时 {time.monotonic() - t:.1f} 秒（分析状态：{state}）")

    print(await phase("浏览阶段（分析队列空闲）", users, args, uploads=0, server=server))
    before = await queue_state(base)
    print(await phase("混合阶段（含上传，后台分析同时进行）", users, args, uploads=args.uploads, server=server))
    after = await queue_state(base)
    print(f"分析状态：混合阶段前 {before}，结束时 {after}（分析在服务的子进程中进行）")
    for u in users:
        await u.client.aclose()


def main() -> None:
    ap = argparse.ArgumentParser(description="评审平台负载测试（只连本机回环地址）")
    ap.add_argument("--users", type=int, default=50, help="同时在线的模拟用户数")
    ap.add_argument("--submitters", type=int, default=40, help="其中报送单位用户数（其余为评审员）")
    ap.add_argument("--province", default="620000", help="报送单位所在省的行政区划代码")
    ap.add_argument("--loops", type=int, default=40, help="每个用户每阶段最多执行的操作数")
    ap.add_argument("--seconds", type=float, default=60, help="每阶段最长秒数")
    ap.add_argument("--think", type=float, nargs=2, default=(0.2, 1.0), metavar=("MIN", "MAX"),
                    help="两次操作之间的思考时间（秒，均匀分布）")
    ap.add_argument("--uploads", type=int, default=1, help="混合阶段每个报送单位最多上传的份数")
    ap.add_argument("--size", type=int, default=8000, help="生成的每份报告约多少字")
    ap.add_argument("--seed-reports", type=int, default=8, help="开始前先上传并分析的报告数")
    ap.add_argument("--seed-wait", type=float, default=300, help="等待预置报告分析完成的最长秒数")
    ap.add_argument("--workers", type=int, default=1, help="服务的后台分析线程数")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()

    print(f"机器：{os.cpu_count()} 个核，开始时负载均值 {' / '.join(f'{x:.2f}' for x in os.getloadavg())}；"
          f"{args.users} 个模拟用户（报送单位 {args.submitters} 个），每阶段每人至多 {args.loops} 次操作、"
          f"至多 {args.seconds:.0f} 秒，思考时间 {args.think[0]}–{args.think[1]} 秒，"
          f"报告约 {args.size} 字，分析线程 {args.workers} 个")
    all_places = counties(args.province, 0)
    places = all_places[:args.submitters]
    with tempfile.TemporaryDirectory(prefix="dudao-load-") as tmp:
        data = Path(tmp) / "data"
        add_admin(data)
        port = free_port()
        server = start_server(data, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            t = time.monotonic()
            setup(base, places, [c for c, _ in all_places])
            print(f"创建 {len(places) + 2} 个用户和 1 个覆盖 {len(all_places)} 个县的评价轮次用时 "
                  f"{time.monotonic() - t:.1f} 秒（SQLite，数据文件夹 {data}）")
            asyncio.run(main_async(args, base, server, places))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    print(f"结束时负载均值 {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
