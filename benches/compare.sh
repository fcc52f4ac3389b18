#!/usr/bin/env bash
# Times patchdeck against the tools a kernel developer uses today, on the same mbox, and prints
# a table of medians, peak RSS and ratios.
#
#   benches/compare.sh [MBOX] [RUNS]
#
# MBOX defaults to the decompressed ../shared/corpora/archives/linux-clk-2025.mbox.gz (185 MB,
# 15,562 messages). RUNS (default 5) is how many times each command runs; the median is shown.
# QUICK=1 leaves out Python's mailbox and b4, which take minutes on the synthetic archives of
# `PATCHDECK_BENCH_WRITE_ONLY=1 PATCHDECK_BENCH_SIZE=N cargo bench --bench reader`.
# It installs what it needs: neomutt, tmux and fzf from Debian, b4 in a venv under
# target/compare-venv. Rows whose tool could not be installed say so.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${2:-5}
work="$root/target/compare"
mkdir -p "$work"

mbox=${1:-}
if [ -z "$mbox" ]; then
    mbox="$work/linux-clk-2025.mbox"
    if [ ! -s "$mbox" ]; then
        gzip -dc ../shared/corpora/archives/linux-clk-2025.mbox.gz > "$mbox"
    fi
fi
mbox=$(readlink -f "$mbox")

need_apt=()
for tool in neomutt tmux fzf; do
    command -v "$tool" >/dev/null 2>&1 || need_apt+=("$tool")
done
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "installing ${need_apt[*]} (apt)" >&2
    (apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null) || true
fi
venv="$root/target/compare-venv"
if [ ! -x "$venv/bin/b4" ]; then
    echo "installing b4 (venv)" >&2
    (python3 -m venv "$venv" && "$venv/bin/pip" install -q b4) >/dev/null 2>&1 || true
fi

# PD=path/to/patchdeck times another build (an older one, for before/after figures).
if [ -z "${PD:-}" ]; then
    cargo build --release -q
    PD="$root/target/release/patchdeck"
fi
pd=$(readlink -f "$PD")

# Subjects for fzf, once as in the archive and once repeated to a million lines (the size of
# the filter benchmark), and a cover letter's Message-ID for b4.
"$pd" list --format tsv "$mbox" | cut -f7 > "$work/subjects.txt"
python3 - "$work/subjects.txt" "$work/subjects-1m.txt" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
with open(sys.argv[2], "w", encoding="utf-8") as out:
    n = 0
    while n < 1_000_000:
        for line in lines:
            out.write(line + "\n")
            n += 1
            if n == 1_000_000:
                break
PY
cover=$("$pd" list --format tsv -q 'is:cover' "$mbox" | head -1 | cut -f10)

cat > "$work/py_headers.py" <<'PY'
import mailbox, sys
n = 0
for msg in mailbox.mbox(sys.argv[1]):
    _ = (msg["subject"], msg["from"], msg["date"], msg["message-id"], msg["in-reply-to"])
    n += 1
print(n)
PY

export PD="$pd" MBOX="$mbox" WORK="$work" RUNS="$runs" COVER="$cover" VENV="$venv" QUICK="${QUICK:-}"
python3 - <<'PY'
import os, re, shutil, statistics, subprocess, time

pd, mbox, work, runs = os.environ["PD"], os.environ["MBOX"], os.environ["WORK"], int(os.environ["RUNS"])
venv, cover = os.environ["VENV"], os.environ["COVER"]

def run(argv, stdin=None):
    """Wall seconds and peak RSS (MB) of one command."""
    start = time.perf_counter()
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as inp:
        p = subprocess.Popen(argv, stdin=inp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)
        _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024

def tmux_until(cmd, done, timeout=120):
    """Starts `cmd` in a 200x50 tmux pane; seconds until `done(screen)` and the pane's peak RSS."""
    name = f"cmp{os.getpid()}"
    subprocess.run(["tmux", "kill-session", "-t", name], stderr=subprocess.DEVNULL)
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "200", "-y", "50", cmd], check=True)
    elapsed, rss = None, 0.0
    pid = subprocess.run(["tmux", "list-panes", "-t", name, "-F", "#{pane_pid}"], capture_output=True, text=True).stdout.strip()
    while time.perf_counter() - start < timeout:
        screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout
        if done(screen):
            elapsed = time.perf_counter() - start
            break
        # Each poll starts a tmux client: every 5 ms, on two cores, that took CPU from the load
        # being timed (patchdeck's 1M counts read 3.1-3.6 s polled every 5 ms, 2.3-2.55 s every
        # 50 ms). Quick polls only while a first screen may be about to show.
        time.sleep(0.005 if time.perf_counter() - start < 0.1 else 0.02)
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1]) / 1024
    except OSError:
        pass
    subprocess.run(["tmux", "kill-session", "-t", name], stderr=subprocess.DEVNULL)
    return elapsed, rss

def median_of(fn):
    times, rss = [], []
    for _ in range(runs):
        t, r = fn()
        if t is None:
            return None, None
        times.append(t); rss.append(r)
    return statistics.median(times), max(rss)

rows = []
def row(name, fn):
    try:
        t, r = median_of(fn)
    except (OSError, subprocess.SubprocessError) as e:
        t, r = None, None
    rows.append((name, t, r))

have = lambda tool: shutil.which(tool) is not None
row("patchdeck list --format json", lambda: run([pd, "list", "--format", "json", mbox]))
if have("tmux"):
    row("patchdeck TUI: first screen", lambda: tmux_until(f"{pd} {mbox}", lambda s: "patchdeck" in s))
    # The title bar gains its counts once the index is complete.
    row("patchdeck TUI: fully indexed", lambda: tmux_until(f"{pd} {mbox}", lambda s: re.search(r"messages · [\d,]+ patches", s) is not None))
if have("neomutt") and have("tmux"):
    row("neomutt -R -f (index shown)", lambda: tmux_until(
        f"neomutt -n -F /dev/null -e 'set folder={work} spoolfile={mbox}' -R -f {mbox}",
        lambda s: "Msgs:" in s))
quick = bool(os.environ["QUICK"])
if not quick:
    row("python mailbox + email headers", lambda: run(["python3", f"{work}/py_headers.py", mbox]))
if not quick and os.path.exists(f"{venv}/bin/b4") and cover:
    row("b4 am -m", lambda: run([f"{venv}/bin/b4", "-q", "am", "-m", mbox, "-o", work, cover]))
if have("fzf"):
    row("fzf --filter (this archive's subjects)", lambda: run(["fzf", "--filter", "vetter pfn"], stdin=f"{work}/subjects.txt"))
    row("fzf --filter (1M subjects)", lambda: run(["fzf", "--filter", "clk qcom"], stdin=f"{work}/subjects-1m.txt"))

base = rows[0][1]
print(f"\narchive: {mbox} ({os.path.getsize(mbox) / 1e6:.0f} MB), median of {runs} runs\n")
print(f"| {'command':<36} | {'median':>9} | {'peak RSS':>9} | {'time / patchdeck list':>21} |")
print(f"|{'-'*38}|{'-'*11}|{'-'*11}|{'-'*23}|")
for name, t, r in rows:
    if t is None:
        print(f"| {name:<36} | {'n/a':>9} | {'n/a':>9} | {'':>21} |")
        continue
    ratio = "" if name.startswith("patchdeck") or not base else f"{t / base:.1f}x"
    print(f"| {name:<36} | {t:>8.3f}s | {r:>6.0f} MB | {ratio:>21} |")
print("\nThe filter keystroke over 1M messages is measured by `cargo bench --bench filter`;")
print("compare its median with the fzf --filter rows above.")
PY
