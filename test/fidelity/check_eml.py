#!/usr/bin/python3
"""Validate RFC 5322 messages with Python's stdlib `email` package.

Usage: /usr/bin/python3 check_eml.py FILE.eml [FILE.eml ...]

For every file:
  * parse with email.policy.default, walk every part, collect part.defects and the
    defects of every parsed header, decode every leaf part with
    get_payload(decode=True) (base64 / quoted-printable errors show up as defects
    there), require From and Date headers (and a parseable Date);
  * parse once more with email.policy.strict (raises on header/structure defects).
Prints one line "OK <n> messages, <parts> parts, <attachments> attachments" on success;
otherwise one "FAIL <file>: <reason>" line per problem on stdout and exits 1.
"""
import sys
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime


def check_default(path, data, failures, stats):
    msg = BytesParser(policy=policy.default).parsebytes(data)
    problems = []
    for name in ("From", "Date"):
        if msg[name] is None:
            problems.append("missing %s header" % name)
    if msg["Date"] is not None:
        try:
            if parsedate_to_datetime(str(msg["Date"])) is None:
                problems.append("unparseable Date %r" % str(msg["Date"]))
        except Exception as ex:  # noqa: BLE001
            problems.append("unparseable Date %r: %s" % (str(msg["Date"]), ex))
    parts = 0
    for part in msg.walk():
        parts += 1
        where = part.get_content_type()
        for d in part.defects:
            problems.append("%s: part defect %s: %s" % (where, type(d).__name__, d))
        for key, value in part.items():
            for d in getattr(value, "defects", ()):
                problems.append("%s: header %s defect %s: %s" % (where, key, type(d).__name__, d))
        if part.is_multipart():
            continue
        if part.get_content_disposition() == "attachment":
            stats["attachments"] += 1
        before = len(part.defects)
        payload = part.get_payload(decode=True)
        if payload is None:
            problems.append("%s: leaf part has no decodable payload" % where)
        for d in part.defects[before:]:
            problems.append("%s: decoding defect %s: %s" % (where, type(d).__name__, d))
        if part.get_content_maintype() == "text" and payload is not None:
            charset = part.get_content_charset() or "us-ascii"
            try:
                payload.decode(charset)
            except (LookupError, UnicodeDecodeError) as ex:
                problems.append("%s: text does not decode as %s: %s" % (where, charset, ex))
    stats["parts"] += parts
    for p in problems:
        failures.append("%s: %s" % (path, p))


def check_strict(path, data, failures):
    try:
        msg = BytesParser(policy=policy.strict).parsebytes(data)
        for part in msg.walk():
            for key in part.keys():
                part[key]  # header parsing is lazy: force it under the strict policy
            if not part.is_multipart():
                part.get_payload(decode=True)
    except Exception as ex:  # noqa: BLE001
        failures.append("%s: policy.strict: %s: %s" % (path, type(ex).__name__, ex))


def main(argv):
    if len(argv) < 2:
        print("usage: check_eml.py FILE.eml [...]", file=sys.stderr)
        return 2
    failures = []
    stats = {"parts": 0, "attachments": 0}
    for path in argv[1:]:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as ex:
            failures.append("%s: cannot read: %s" % (path, ex))
            continue
        if not data.strip():
            failures.append("%s: empty file" % path)
            continue
        try:
            check_default(path, data, failures, stats)
        except Exception as ex:  # noqa: BLE001
            failures.append("%s: policy.default: %s: %s" % (path, type(ex).__name__, ex))
        check_strict(path, data, failures)
    if failures:
        for f in failures:
            print("FAIL " + f)
        return 1
    print("OK %d messages, %d parts, %d attachments" % (len(argv) - 1, stats["parts"], stats["attachments"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
