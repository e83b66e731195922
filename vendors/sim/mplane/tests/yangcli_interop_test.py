#!/usr/bin/python3
"""yangcli (yuma123), in batch mode, against plugfest-mplane-sim over SSH.

One session runs a script: a subtree-filtered <get> (sget), an XPath-filtered <get>
(xget), <get-config> of running, and <lock>/<unlock> of running. Every reply is checked
for what it must hold, and no reply may be an <rpc-error>.

yangcli 2.13 learns modules only from <hello> capabilities, and a NETCONF 1.1 server lists
its YANG 1.1 modules in the yang library instead, so the script loads the served modules
from the project's YANG folder with --module (which is what a yangcli user does too).
Usage: yangcli_interop_test.py <plugfest-mplane-sim> <yang folder>
"""

import os
import shutil
import subprocess
import sys
import tempfile

MODULES = ["ietf-hardware", "iana-hardware", "o-ran-hardware", "ietf-interfaces",
           "o-ran-interfaces", "o-ran-uplane-conf"]
SCRIPT = """sget /hardware/component[name="ru-module"]/serial-num
xget /hardware/component/serial-num
get-config source=running
lock target=running
unlock target=running
"""


def fail(message, output=""):
    print("FAIL: " + message)
    if output:
        print("--- yangcli output ---")
        print(output)
    sys.exit(1)


def replies(output):
    """The text of each 'RPC ... Reply N' block, in order."""
    blocks = []
    for line in output.splitlines():
        if line.startswith("RPC ") and " Reply " in line:
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
    return ["\n".join(block) for block in blocks]


def main():
    if len(sys.argv) != 3:
        fail("usage: yangcli_interop_test.py <plugfest-mplane-sim> <yang folder>")
    yangcli = shutil.which("yangcli")
    if yangcli is None:
        print("SKIP: yangcli is not installed (Debian package yangcli)")
        sys.exit(77)
    sim = subprocess.Popen([sys.argv[1], "--port", "0", "--user", "admin:admin-secret:sudo"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = sim.stdout.readline().split()
        if len(line) != 2 or line[0] != "port":
            fail("simulator did not report its port: %r" % line)
        with tempfile.TemporaryDirectory() as home:
            script = os.path.join(home, "session.yc")
            with open(script, "w") as out:
                out.write(SCRIPT)
            command = [yangcli, "--server=127.0.0.1", "--ncport=" + line[1], "--user=admin",
                       "--password=admin-secret", "--batch-mode", "--display-mode=xml",
                       "--modpath=" + sys.argv[2], "--run-script=" + script]
            command += ["--module=" + module for module in MODULES]
            # yangcli keeps its history and settings under $HOME/.yuma.
            result = subprocess.run(command, capture_output=True, text=True, timeout=90,
                                    env=dict(os.environ, HOME=home))
        output = result.stdout + result.stderr
        if result.returncode != 0:
            fail("yangcli exited with %d" % result.returncode, output)
        if "NETCONF session established" not in output:
            fail("no NETCONF session was established", output)
        got = replies(output)
        if len(got) != 5:
            fail("expected 5 replies (sget, xget, get-config, lock, unlock), got %d" % len(got),
                 output)
        if "rpc-error" in output:
            fail("a reply is an <rpc-error>", output)
        for index, name in ((0, "sget"), (1, "xget")):
            if "<serial-num>SIM0000001</serial-num>" not in got[index]:
                fail(name + " did not return the module's serial number", got[index])
        if "<name>fh-port-0</name>" in got[0]:
            fail("sget's subtree filter selected components other than ru-module", got[0])
        if "user-plane-configuration" not in got[2]:
            fail("get-config of running holds no user-plane-configuration", got[2])
        for index, name in ((3, "lock"), (4, "unlock")):
            if not got[index].startswith("RPC OK Reply"):
                fail(name + " was not answered <ok/>", got[index])
        print("PASS: yangcli sget, xget, get-config, lock and unlock")
    finally:
        sim.stdin.close()
        sim.terminate()
        sim.wait(timeout=10)


if __name__ == "__main__":
    main()
