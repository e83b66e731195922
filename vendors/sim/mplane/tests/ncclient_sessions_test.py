#!/usr/bin/python3
"""python3-ncclient, with its default settings, against plugfest-mplane-sim over SSH.

The default filter form (<filter type="subtree"> and type="xpath" select=...,
unprefixed), both spellings of get-schema's format (yang and ietf-netconf-monitoring:yang)
and the refusal of unknown ones, a lock held against a second session, kill-session of
that session, and NACM refusals of the fm-pm account with their error tags.
Usage: ncclient_sessions_test.py <path to plugfest-mplane-sim>
"""

import subprocess
import sys

from ncclient import manager
from ncclient.operations import RPCError

HARDWARE_NS = "urn:ietf:params:xml:ns:yang:ietf-hardware"
UPLANE_NS = "urn:o-ran:uplane-conf:1.0"


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
    if len(sys.argv) != 2:
        fail("usage: ncclient_sessions_test.py <plugfest-mplane-sim>")
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

            for module in ("o-ran-supervision", "o-ran-uplane-conf"):
                for spelling in ("yang", "ietf-netconf-monitoring:yang"):
                    # Unprefixed, in an element whose default namespace is NETCONF's; with
                    # the module name as prefix, undeclared. Servers accept both.
                    try:
                        schema = first.get_schema(module, format=spelling)
                    except RPCError as error:
                        fail("get-schema %s with format %s refused: %s"
                             % (module, spelling, error.message))
                    text = schema.data if isinstance(schema.data, str) else None
                    words = (text or "").split()
                    if words[:2] != ["module", module]:
                        fail("get-schema %s with format %s returned no YANG module %s: %r"
                             % (module, spelling, module, (text or schema.xml)[:200]))
                    print("get-schema %s format %s: %d characters"
                          % (module, spelling, len(text)))
            # A format that is no schema-format identity is still refused, naming the value.
            # libnetconf2 answers a request libyang cannot parse with operation-failed, not
            # invalid-value; "yin" (an identity the O-RU does not serve) is invalid-value.
            for spelling in ("no-such-format", "ietf-netconf-monitoring:no-such-format",
                             "no-such-module:yang", "yin"):
                denied = refusal(lambda: first.get_schema("o-ran-supervision", format=spelling))
                wanted = ("invalid-value",) if spelling == "yin" else ("invalid-value",
                                                                      "operation-failed")
                if denied.tag not in wanted or (spelling != "yin"
                                                and spelling not in (denied.message or "")):
                    fail("get-schema format %s refused with %s: %s"
                         % (spelling, denied.tag, denied.message))
                print("get-schema format %s refused: %s/%s" % (spelling, denied.type, denied.tag))

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
