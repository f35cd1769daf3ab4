#!/usr/bin/python3
"""Read a ZIP archive with Python's zipfile and check the counts of its end records.

Usage: /usr/bin/python3 zip_report.py ARCHIVE.zip

zipfile.ZipFile(f).testzip() must find no bad entry. zipfile walks the central directory by
size and ignores the entry count of the end record, so the end records (Zip64 included) are
read here by hand and their counts compared with the central directory.
On success prints one JSON object {"entries": [...], "eocd": {...}} and exits 0; otherwise
prints the problems on stderr and exits 1.
"""
import json
import struct
import sys
import zipfile

path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    bad = z.testzip()
    if bad is not None:
        print("testzip: first bad entry: %s" % bad, file=sys.stderr)
        sys.exit(1)
    infos = z.infolist()
    entries = [dict(name=i.filename, size=i.file_size, csize=i.compress_size, method=i.compress_type,
                    flags=i.flag_bits, crc=i.CRC, date=list(i.date_time)) for i in infos]
# validators.md: zipfile "misses a wrong entry count in the end record"
with open(path, "rb") as fh:
    fh.seek(0, 2)
    size = fh.tell()
    tail_len = min(size, 65536 + 22 + 20 + 56)
    fh.seek(size - tail_len)
    tail = fh.read()
pos = tail.rfind(b"PK\x05\x06")
if pos < 0:
    print("no end of central directory record", file=sys.stderr); sys.exit(1)
(sig, disk, cd_disk, n_disk, n_total, cd_size, cd_off, clen) = struct.unpack("<IHHHHIIH", tail[pos:pos + 22])
comment = tail[pos + 22:pos + 22 + clen]
problems = []
zip64 = False
zip64_entries = None
loc = pos - 20
if loc >= 0 and tail[loc:loc + 4] == b"PK\x06\x07":
    zip64 = True
    (_, _, rec_off, _) = struct.unpack("<IIQI", tail[loc:loc + 20])
    with open(path, "rb") as fh:
        fh.seek(rec_off)
        rec = fh.read(56)
    if rec[:4] != b"PK\x06\x06":
        problems.append("Zip64 locator points at %d, no Zip64 end record there" % rec_off)
    else:
        zip64_entries = struct.unpack("<Q", rec[32:40])[0]
        if zip64_entries != len(entries):
            problems.append("Zip64 end record says %d entries, central directory has %d" % (zip64_entries, len(entries)))
if len(entries) >= 0xFFFF:
    if not zip64:
        problems.append("%d entries but no Zip64 end records" % len(entries))
    if n_total != 0xFFFF:
        problems.append("%d entries: end record count must be 0xFFFF, is %d" % (len(entries), n_total))
elif n_total != len(entries) and not (zip64 and n_total == 0xFFFF):
    problems.append("end record says %d entries, central directory has %d" % (n_total, len(entries)))
if problems:
    print("\n".join(problems), file=sys.stderr); sys.exit(1)
json.dump(dict(entries=entries, eocd=dict(entries=n_total, zip64=zip64, zip64Entries=zip64_entries,
                                           comment=comment.decode("latin-1"))), sys.stdout)
