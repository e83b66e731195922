#!/usr/bin/python3
"""An independent NETCONF client (python3-ncclient) against plugfest-mplane-sim over SSH.

Starts the simulator on a free port, connects with a password, lists the modules of
ietf-yang-library, runs a subtree-filtered <get> and the supervision-watchdog-reset RPC.
Usage: ncclient_interop_test.py <path to plugfest-mplane-sim>
"""

import subprocess
import sys

from lxml import etree
from ncclient import manager

YANG_LIBRARY_NS = "urn:ietf:params:xml:ns:yang:ietf-yang-library"
BASE_NS = "urn:ietf:params:xml:ns:netconf:base:1.0"
SUPERVISION_NS = "urn:o-ran:supervision:1.0"
HARDWARE_NS = "urn:ietf:params:xml:ns:yang:ietf-hardware"


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def subtree(content):
    """A subtree filter as ncclient builds it by default: <filter type="subtree">, the
    attribute unprefixed as RFC 6241 writes it."""
    return ("subtree", content)


def main():
    if len(sys.argv) != 2:
        fail("usage: ncclient_interop_test.py <plugfest-mplane-sim>")
    sim = subprocess.Popen(
        [sys.argv[1], "--port", "0", "--user", "ncclient:ncclient-secret:sudo"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = sim.stdout.readline().split()
        if len(line) != 2 or line[0] != "port":
            fail("simulator did not report its port: %r" % line)
        port = int(line[1])
        with manager.connect(host="127.0.0.1", port=port, username="ncclient",
                             password="ncclient-secret", hostkey_verify=False,
                             allow_agent=False, look_for_keys=False, timeout=30) as m:
            if not any("yang-library:1.1" in c for c in m.server_capabilities):
                fail("no yang-library 1.1 capability in <hello>")

            library = m.get(filter=subtree('<yang-library xmlns="%s"/>' % YANG_LIBRARY_NS))
            names = {node.text for node in library.data_ele.iterfind(
                ".//{%s}module/{%s}name" % (YANG_LIBRARY_NS, YANG_LIBRARY_NS))}
            for needed in ("o-ran-supervision", "o-ran-uplane-conf", "o-ran-hardware", "ietf-hardware"):
                if needed not in names:
                    fail("ietf-yang-library does not list %s (got %s)" % (needed, sorted(names)))
            print("yang-library lists %d modules" % len(names))

            hardware = m.get(filter=subtree(
                '<hardware xmlns="%s"><component><name>ru-module</name><serial-num/></component>'
                '</hardware>' % HARDWARE_NS))
            serials = [n.text for n in hardware.data_ele.iterfind(
                ".//{%s}component/{%s}serial-num" % (HARDWARE_NS, HARDWARE_NS))]
            if serials != ["SIM0000001"]:
                fail("filtered <get> returned serial numbers %r" % serials)
            if hardware.data_ele.find(".//{%s}model-name" % HARDWARE_NS) is not None:
                fail("filtered <get> returned a leaf the filter did not select")
            print("filtered get: serial-num %s" % serials[0])

            reply = m.dispatch(etree.fromstring(
                '<supervision-watchdog-reset xmlns="%s">'
                '<supervision-notification-interval>60</supervision-notification-interval>'
                '<guard-timer-overhead>10</guard-timer-overhead>'
                '</supervision-watchdog-reset>' % SUPERVISION_NS))
            next_update = reply.xml and etree.fromstring(reply.xml.encode()).find(
                ".//{%s}next-update-at" % SUPERVISION_NS)
            if next_update is None or not next_update.text:
                fail("supervision-watchdog-reset answered without next-update-at: %s" % reply.xml)
            print("supervision-watchdog-reset: next-update-at %s" % next_update.text)
    finally:
        sim.stdin.close()
        try:
            sim.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sim.kill()
    print("PASS")


if __name__ == "__main__":
    main()
