#!/usr/bin/python3
"""Decode and parse a DAT load file with Python's codecs, checking its bytes.

Usage: /usr/bin/python3 dat_report.py FILE.dat UTF-8|UTF-16|ANSI

Decodes strictly (utf-8 / utf-16-le after an FF FE BOM / cp1252), requires the DC4 delimiter,
the thorn qualifier and CRLF in the encoding's own bytes, no U+FFFD, no mojibake, no bare CR/LF
inside a line, every field thorn-qualified, every row as wide as the header.
Prints one JSON object {"bom", "header", "rows", "text", "registeredSigns", "problems"} and
exits 0: the problems are for the caller to judge.
"""
import codecs
import json
import sys

path, label = sys.argv[1], sys.argv[2]
raw = open(path, "rb").read()
problems = []
bom = ""
DC4, THORN, REG = "\x14", "\u00fe", "\u00ae"
if label == "UTF-16":
    if raw.startswith(codecs.BOM_UTF16_LE): bom = "UTF-16LE"
    elif raw.startswith(codecs.BOM_UTF16_BE): bom = "UTF-16BE"
    if bom != "UTF-16LE": problems.append("UTF-16 load file must start with the little-endian BOM FF FE, starts with %s" % raw[:2].hex())
    if len(raw) % 2: problems.append("odd byte length %d for UTF-16" % len(raw))
    codec, body = "utf-16-le", raw[2:] if bom else raw
    enc = {"dc4": b"\x14\x00", "thorn": b"\xfe\x00", "crlf": b"\r\x00\n\x00"}
elif label == "ANSI":
    if raw.startswith(codecs.BOM_UTF8) or raw.startswith(codecs.BOM_UTF16_LE): problems.append("ANSI load file starts with a byte-order mark")
    codec, body = "cp1252", raw
    enc = {"dc4": b"\x14", "thorn": b"\xfe", "crlf": b"\r\n"}
    if b"\xc3\xbe" in raw: problems.append("ANSI load file contains UTF-8 bytes of thorn (C3 BE)")
    if b"\xc2\xae" in raw: problems.append("ANSI load file contains UTF-8 bytes of registered sign (C2 AE)")
else:
    if raw.startswith(codecs.BOM_UTF8): bom = "UTF-8"
    codec, body = "utf-8", raw[3:] if bom else raw
    enc = {"dc4": b"\x14", "thorn": b"\xc3\xbe", "crlf": b"\r\n"}
try:
    text = codecs.decode(body, codec, "strict")
except UnicodeDecodeError as ex:
    problems.append("does not decode as %s: %s" % (codec, ex))
    text = codecs.decode(body, codec, "replace")
for key, seq in enc.items():
    if seq not in body: problems.append("encoded %s bytes %s never occur" % (key, seq.hex(" ")))
if "\ufffd" in text: problems.append("replacement character U+FFFD in the text")
for moji in ("\u00c3\u00be", "\u00c2\u00ae", "\u00c3\u00a9"):
    if moji in text: problems.append("mojibake %r (double-encoded UTF-8) in the text" % moji)
if not text.endswith("\r\n"): problems.append("last line does not end with CRLF")
lines = text.split("\r\n")
if lines and lines[-1] == "": lines.pop()
header, rows = None, []
for n, line in enumerate(lines, 1):
    if "\r" in line or "\n" in line:
        problems.append("line %d: bare CR or LF inside a line (newlines in fields must be \u00ae)" % n); continue
    fields = line.split(DC4)
    out = []
    for k, f in enumerate(fields, 1):
        if len(f) < 2 or f[0] != THORN or f[-1] != THORN:
            problems.append("line %d field %d not qualified with thorn: %r" % (n, k, f[:60])); break
        inner = f[1:-1]
        if THORN in inner: problems.append("line %d field %d: thorn inside a field" % (n, k))
        out.append(inner)
    if header is None: header = out
    else:
        if len(out) != len(header): problems.append("line %d: %d fields, header has %d" % (n, len(out), len(header)))
        rows.append(out)
json.dump(dict(bom=bom, header=header or [], rows=rows, text=text, registeredSigns=text.count(REG),
               problems=problems[:40]), sys.stdout)
