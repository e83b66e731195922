#!/usr/bin/python3
"""Runs the O-RU CUS-plane profile against srsRAN's RU emulator over raw Ethernet.

When PLUGFEST_SRSRAN_RU_EMULATOR names the built ru_emulator (build.sh prints its path), this
joins two network namespaces with a veth pair (MTU 9000; the harness sends on VLAN 6, PCP 7
and the emulator answers on that VLAN), starts the adapter (and so the emulator) in one,
runs `plugfest run profiles/o-ru-cus-conformance.yaml` in the other, reaching the adapter on a
unix socket, and checks what can honestly be checked of a device
nobody here wrote: the run completes, every case of the profile has a verdict with a reason,
evidence pcaps exist and tshark reads every frame of them as eCPRI. It prints the matrix
(case, verdict, reason, findings); the verdicts themselves are the result, not asserted.
Without the binary, root, iproute2 or tshark it exits 77 (skipped) saying which.

Two namespaces, not one holding both ends: the emulator's receive socket is bound with
SO_BINDTODEVICE, which AF_PACKET does not apply to reception, so in one namespace it also
counts the frames arriving at the harness's end (its own answers among them).

Usage: emulator_run_test.py --plugfest BIN --stubs DIR [--keep DIR] [--matrix FILE.md]
"""

import argparse
import collections
import fnmatch
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PROFILE = os.path.join(ROOT, "profiles", "o-ru-cus-conformance.yaml")
SKIP = 77
VERDICTS = {"pass", "fail", "inconclusive", "error", "not-applicable"}
HARNESS_IF, EMULATOR_IF, VLAN, PCP = "pf-fh-h", "pf-fh-ru", 6, 7

DESCRIPTOR = """\
name: srsran-ru-emulator
role: o-ru
description: srsRAN_Project RU emulator on a veth pair
address: unix:{socket}
timeouts: {{startup: 30s, call: 30s}}
capabilities:
  section_type: [1, 3]
  compression: {{bfp: [9], none: [16]}}
  numerology: [1]
  bandwidth: [5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100]
  antennas: [1, 2, 3, 4]
  ethernet: true
lab:
  fronthaul: {{transport: ethernet, interface: {harness_if}, vlan: {vlan}, pcp: {pcp}, mtu: 9000}}
  timing: {{dilation: 1}}
"""


def skip(reason):
    print("SKIPPED: " + reason, flush=True)
    sys.exit(SKIP)


def fail(reason):
    print("FAILED: " + reason, flush=True)
    sys.exit(1)


def run(*command, check=True, **kwargs):
    result = subprocess.run(list(command), capture_output=True, text=True, **kwargs)
    if check and result.returncode != 0:
        raise RuntimeError(" ".join(command) + ": " + (result.stderr or result.stdout).strip())
    return result


def profile_cases(profile):
    ids = []
    with open(profile) as f:
        for line in f:
            stripped = line.strip()
            if stripped.startswith("- id:"):
                ids.append(stripped.split(":", 1)[1].strip())
    return ids


class Link:
    """Two network namespaces joined by a veth pair (harness end, emulator end); deleted, with
    whatever this test started in them, on close."""

    def __init__(self):
        self.harness = "pf-srsran-h-%d" % os.getpid()
        self.emulator = "pf-srsran-ru-%d" % os.getpid()
        self.made = []
        try:
            for ns in (self.harness, self.emulator):
                run("ip", "netns", "add", ns)
                self.made.append(ns)
                self.exec(ns, "ip", "link", "set", "lo", "up")
            self.exec(self.harness, "ip", "link", "add", HARNESS_IF, "mtu", "9000", "type",
                      "veth", "peer", "name", EMULATOR_IF, "mtu", "9000", "netns", self.emulator)
            self.exec(self.harness, "ip", "link", "set", HARNESS_IF, "up")
            self.exec(self.emulator, "ip", "link", "set", EMULATOR_IF, "up")
        except Exception:
            self.close()
            raise

    @staticmethod
    def exec(ns, *command, **kwargs):
        return run("ip", "netns", "exec", ns, *command, **kwargs)

    def mac(self, ns, interface):
        return self.exec(ns, "cat", "/sys/class/net/%s/address" % interface).stdout.strip().lower()

    def close(self):
        for ns in self.made:
            for pid in run("ip", "netns", "pids", ns, check=False).stdout.split():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            run("ip", "netns", "del", ns, check=False)
        self.made = []


def start_adapter(link, command, socket_path, log_path):
    """The adapter in the emulator's namespace, serving on a unix socket (not bound to a
    network namespace); None when it does not listen within 30 s."""
    log = open(log_path, "w")
    proc = subprocess.Popen(["ip", "netns", "exec", link.emulator] + command
                            + ["--listen", "unix:" + socket_path], stderr=log,
                            stdout=subprocess.DEVNULL)
    log.close()
    for _ in range(300):
        if os.path.exists(socket_path) or proc.poll() is not None:
            break
        time.sleep(0.1)
    return proc if os.path.exists(socket_path) else None


def tshark_counts(pcap, settings, mac_of):
    """Frames of a pcap per sender (harness / emulator): all, eCPRI, O-RAN, and malformed or
    with an error-level expert item; with the settings folder plugfest wrote beside it."""
    env = dict(os.environ)
    if os.path.isdir(settings):
        env["WIRESHARK_CONFIG_DIR"] = settings
    counts = collections.defaultdict(collections.Counter)
    for label, extra in (("frames", []),
                         ("bad", ["-Y", '_ws.malformed || _ws.expert.severity == "Error"'])):
        result = run("tshark", "-r", pcap, *extra, "-T", "fields", "-e", "eth.src", "-e",
                     "frame.protocols", check=False, env=env)
        if result.returncode != 0:
            return None, result.stderr.strip()
        for line in result.stdout.splitlines():
            src, protocols = (line.split("\t") + [""])[:2]
            c = counts[mac_of.get(src.lower(), src)]
            if label == "bad":
                c["bad"] += 1
                continue
            c["frames"] += 1
            layers = protocols.split(":")
            c["ecpri"] += "ecpri" in layers
            c["oran"] += "oran_fh_cus" in layers
    return counts, ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugfest", required=True)
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--keep", help="write the results folder here and keep it")
    parser.add_argument("--matrix", help="also write the matrix as Markdown to this file")
    parser.add_argument("--emulator-cpus", default=None,
                        help="CPUs the emulator may use (default: the last one, when there are "
                        "two or more)")
    parser.add_argument("--emulator-nice", type=int, default=0,
                        help="nice increment of the emulator, whose busy-polling threads would "
                        "otherwise take the CPU the harness needs to read its answers in time")
    parser.add_argument("--harness-nice", type=int, default=0,
                        help="nice value of plugfest run (negative: it wins the CPU when an "
                        "answer wakes it)")
    parser.add_argument("--profile", default=PROFILE, help="another profile of O-RU cases")
    parser.add_argument("--filter", action="append", default=[],
                        help="run only the cases matching this glob (repeatable; a partial run "
                        "checks only those cases)")
    args = parser.parse_args()

    binary = os.environ.get("PLUGFEST_SRSRAN_RU_EMULATOR", "")
    if not binary:
        skip("PLUGFEST_SRSRAN_RU_EMULATOR does not name srsRAN's ru_emulator binary "
             "(vendors/srsran-ru-emulator/build.sh builds it and prints its path)")
    if not os.access(binary, os.X_OK):
        skip("PLUGFEST_SRSRAN_RU_EMULATOR=%s is no executable file" % binary)
    if os.geteuid() != 0:
        skip("needs root: network namespaces, and CAP_NET_RAW/CAP_NET_ADMIN for the emulator")
    for tool in ("ip", "tshark", "setpriv"):
        if shutil.which(tool) is None:
            skip(tool + " is not installed")
    cases = [c for c in profile_cases(args.profile)
             if not args.filter or any(fnmatch.fnmatch(c, f) for f in args.filter)]

    work = tempfile.mkdtemp(prefix="plugfest-srsran-run-")
    try:
        check_run(args, cases, binary, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, True)


def check_run(args, cases, binary, work):
    results = args.keep or os.path.join(work, "results")
    if args.keep and os.path.exists(results):
        shutil.rmtree(results)
    command = [sys.executable, os.path.join(HERE, "adapter.py"), "--interface", EMULATOR_IF,
               "--emulator", os.path.abspath(binary), "--stubs", args.stubs,
               "--emulator-nice", str(args.emulator_nice)]
    cpus = args.emulator_cpus or (str(max(os.sched_getaffinity(0)))
                                  if len(os.sched_getaffinity(0)) > 1 else None)
    if cpus:
        command += ["--emulator-cpus", cpus]
    socket_path = os.path.join(work, "adapter.sock")
    adapter_log = os.path.join(work, "adapter.log")
    descriptor = os.path.join(work, "srsran-ru-emulator.yaml")
    with open(descriptor, "w") as f:
        f.write(DESCRIPTOR.format(socket=socket_path, harness_if=HARNESS_IF, vlan=VLAN, pcp=PCP))
    try:
        link = Link()
    except RuntimeError as e:
        skip("cannot make network namespaces with a veth pair here: %s" % e)
    adapter = None
    try:
        macs = {link.mac(link.harness, HARNESS_IF): "harness",
                link.mac(link.emulator, EMULATOR_IF): "emulator"}
        adapter = start_adapter(link, command, socket_path, adapter_log)
        if adapter is None:
            fail("the adapter did not listen on %s: %s" % (socket_path, open(adapter_log).read()))
        env = {k: v for k, v in os.environ.items() if k != "PLUGFEST_TIME_DILATION"}
        run_log = os.path.join(work, "run.log")
        with open(run_log, "w") as out:
            status = subprocess.run(
                ["ip", "netns", "exec", link.harness, "nice", "-n", str(args.harness_nice),
                 args.plugfest, "run", "--progress", "plain",
                 args.profile, descriptor, "--output", results]
                + [x for f in args.filter for x in ("--filter", f)], stdout=out, stderr=subprocess.STDOUT,
                env=env, timeout=1800).returncode
    finally:
        if adapter is not None and adapter.poll() is None:
            adapter.terminate()  # it stops the emulator on SIGTERM
            try:
                adapter.wait(15)
            except subprocess.TimeoutExpired:
                adapter.kill()
        link.close()
    with open(adapter_log) as f:
        print("---- adapter (stderr, last part) ----\n" + f.read()[-6000:])
    if args.keep:
        shutil.copy(adapter_log, args.keep.rstrip("/") + ".adapter.log")
    with open(run_log) as f:
        log_text = f.read()
    print(log_text[-4000:])
    if status not in (0, 1, 3):
        fail("plugfest run exited %d (bad input or a crash); its output is above" % status)

    journal = os.path.join(results, "journal.jsonl")
    if not os.path.exists(journal):
        fail("no journal in " + results)
    items = {}
    with open(journal) as f:
        for line in f:
            item = json.loads(line)
            items[item["case"]] = item
    problems = []
    for case in cases:
        item = items.get(case)
        if item is None:
            problems.append(case + ": no verdict in the journal (the run did not finish it)")
        elif item["verdict"] not in VERDICTS:
            problems.append(case + ": verdict %r" % item["verdict"])
        elif not item.get("reason", "").strip():
            problems.append(case + ": verdict %s without a reason" % item["verdict"])

    rows = ["| case | verdict | reason | findings (rule: message @ where) |", "|---|---|---|---|"]
    for case in cases:
        item = items.get(case, {})
        findings = "; ".join("%s: %s @ %s" % (f.get("rule_id", ""), f.get("message", ""),
                                              f.get("where", ""))
                             for f in item.get("findings", []))
        rows.append("| %s | %s | %s | %s |" % (case, item.get("verdict", "-"),
                                               item.get("reason", "").replace("|", "/"),
                                               findings.replace("|", "/")))

    pcaps = sorted(glob.glob(os.path.join(results, "evidence", "**", "*.pcap"), recursive=True))
    if not pcaps:
        problems.append("no evidence pcap in " + results)
    rows += ["", "| pcap | sender | frames | eCPRI | O-RAN | malformed or expert error |",
             "|---|---|---|---|---|---|"]
    total_frames = 0
    for pcap in pcaps:
        settings = os.path.splitext(pcap)[0] + ".wireshark"
        counts, error = tshark_counts(pcap, settings, macs)
        name = os.path.relpath(pcap, results)
        if counts is None:
            problems.append(name + ": tshark cannot read it: " + error)
            continue
        if not counts:
            rows.append("| %s | - | 0 | | | |" % name)
        for who, c in sorted(counts.items()):
            total_frames += c["frames"]
            rows.append("| %s | %s | %d | %d | %d | %d |" % (
                name, who, c["frames"], c["ecpri"], c["oran"], c["bad"]))
            if c["ecpri"] != c["frames"]:
                problems.append("%s: %d of %d frames from %s are no eCPRI" % (
                    name, c["frames"] - c["ecpri"], c["frames"], who))
    if pcaps and total_frames == 0:
        problems.append("every evidence pcap is empty: no fronthaul frame went either way")
    matrix = "\n".join(rows)
    print(matrix)
    if args.matrix:
        with open(args.matrix, "w") as f:
            f.write(matrix + "\n")
    if problems:
        fail("; ".join(problems))
    print("OK: %d cases with a verdict and a reason, %d evidence pcaps read by tshark"
          % (len(cases), len(pcaps)))


if __name__ == "__main__":
    main()
