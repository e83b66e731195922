#!/usr/bin/python3
"""python3-ncclient, with its default settings, against plugfest-mplane-sim over SSH.

The default filter form (<filter type="subtree"> and type="xpath" select=...,
unprefixed), both
spellings of get-schema's format (yang and ietf-netconf-monitoring:yang), a lock held
against a second session, kill-session of that session, and NACM refusals of the fm-pm
account with their error tags.
Usage: ncclient_sessions_test.py <path to plugfest-mplane-sim> [--known-defect-get-schema-format]
"""

import subprocess
import sys

from ncclient import manager
from ncclient.operations import RPCError

HARDWARE_NS = "urn:ietf:params:xml:ns:yang:ietf-hardware"
UPLANE_NS = "urn:o-ran:uplane-conf:1.0"
KNOWN_FORMAT_DEFECT = "--known-defect-get-schema-format"


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def connect(port, user, password):
    return manager.connect(host="127.0.0.1", port=port, username=user, password=password,
                           hostkey_verify=False, allow_agent=False, look_for_keys=False,
                           timeout=30)


def refusal(call):
    """The RPCError `call` raises, or fail when it succeeds."""
    try:
        call()
    except RPCError as error:
        return error
    fail("expected an <rpc-error>, got <ok/>")
    return None


def main():
    if len(sys.argv) not in (2, 3):
        fail("usage: ncclient_sessions_test.py <plugfest-mplane-sim> [%s]"
             % KNOWN_FORMAT_DEFECT)
    sim = subprocess.Popen(
        [sys.argv[1], "--port", "0", "--user", "admin:admin-secret:sudo",
         "--user", "fm:fm-secret:fm-pm"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = sim.stdout.readline().split()
        if len(line) != 2 or line[0] != "port":
            fail("simulator did not report its port: %r" % line)
        port = int(line[1])
        with connect(port, "admin", "admin-secret") as first:
            # ncclient's default filter forms: <filter type="subtree"> and, for XPath,
            # <filter type="xpath" select="..."> with the prefix declared on it, both with
            # the attributes unprefixed.
            reply = first.get(filter=("subtree", '<hardware xmlns="%s"/>' % HARDWARE_NS))
            if reply.data_ele.find(".//{%s}component" % HARDWARE_NS) is None:
                fail("<get> with ncclient's subtree filter returned no hardware component")
            reply = first.get(filter=("xpath", ({"hw": HARDWARE_NS}, "/hw:hardware")))
            if reply.data_ele.find(".//{%s}component" % HARDWARE_NS) is None:
                fail("<get> with ncclient's XPath filter returned no hardware component")
            print("default filter forms: hardware returned for subtree and XPath")

            for spelling in ("yang", "ietf-netconf-monitoring:yang"):
                # Unprefixed, the identityref names the element's own namespace (RFC 7950
                # 9.10.3); with the module name, as ncclient users write it, undeclared.
                try:
                    schema = first.get_schema("o-ran-supervision", format=spelling)
                except RPCError as error:
                    if KNOWN_FORMAT_DEFECT not in sys.argv:
                        fail("get-schema with format %s refused: %s" % (spelling, error.message))
                    print("KNOWN DEFECT: get-schema format %s refused: %s"
                          % (spelling, error.message))
                    continue
                if KNOWN_FORMAT_DEFECT in sys.argv:
                    fail("get-schema with format %s is served now: drop %s"
                         % (spelling, KNOWN_FORMAT_DEFECT))
                text = schema.data_ele.text if schema.data_ele is not None else schema.xml
                if "module o-ran-supervision" not in (text or ""):
                    fail("get-schema with format %s returned no module text" % spelling)
                print("get-schema format %s: %d characters" % (spelling, len(text)))

            # Not in a with-block: once killed, it cannot send <close-session>.
            second = connect(port, "admin", "admin-secret")
            first.lock("running")
            denied = refusal(lambda: second.lock("running"))
            if denied.tag != "lock-denied":
                fail("a second lock of running gave %s, not lock-denied" % denied.tag)
            print("lock held: second session got %s" % denied.tag)
            first.unlock("running")

            victim = second.session_id
            first.kill_session(victim)
            try:
                second.get(filter=("subtree", "<hardware xmlns=\"%s\"/>" % HARDWARE_NS))
                fail("session %s still answers after kill-session" % victim)
            except RPCError as error:
                fail("killed session %s answered with an error: %s" % (victim, error))
            except Exception:  # the transport is gone, as it should be
                print("kill-session %s: the session is gone" % victim)

        with connect(port, "fm", "fm-secret") as fm:
            denied = refusal(lambda: fm.edit_config(
                target="running",
                config='<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">'
                       '<user-plane-configuration xmlns="%s"><tx-array-carriers>'
                       '<name>ncclient-carrier</name></tx-array-carriers>'
                       '</user-plane-configuration></config>' % UPLANE_NS))
            if denied.tag != "access-denied" or denied.type not in ("application", "protocol"):
                fail("fm-pm edit-config refused with %s/%s, not access-denied"
                     % (denied.type, denied.tag))
            print("NACM: fm-pm edit-config refused with %s/%s" % (denied.type, denied.tag))
    finally:
        sim.stdin.close()
        try:
            sim.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sim.kill()
    print("PASS")


if __name__ == "__main__":
    main()
