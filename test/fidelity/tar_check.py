"""Reads a zip and a tar (or tgz) with Python's zipfile and tarfile: the tar's members are the
zip's entries (names, order, bytes), regular files with mode 0644, owner 0:0 and no names, dated
2020-01-01; extracting the whole tar gives the zip's files; the tar ends with its two zero blocks.
Usage: tar_check.py ARCHIVE.zip ARCHIVE.tar|ARCHIVE.tgz. Prints a JSON summary; exits 1 on a problem."""
import gzip
import json
import os
import sys
import tarfile
import tempfile
import zipfile

ENTRY_DATE = 1577836800  # 2020-01-01T00:00:00Z

zip_path, tar_path = sys.argv[1], sys.argv[2]
problems = []

with zipfile.ZipFile(zip_path) as z:
    if z.testzip() is not None:
        problems.append("zip: a CRC fails")
    zipped = [(info.filename, z.read(info)) for info in z.infolist()]

gzipped = tar_path.endswith(".tgz")
with open(tar_path, "rb") as f:
    raw = f.read()
tar_bytes = gzip.decompress(raw) if gzipped else raw
if len(tar_bytes) % 512 != 0 or tar_bytes[-1024:] != bytes(1024):
    problems.append("the tar does not end with two zero blocks")

members = []
with tarfile.open(tar_path, "r:gz" if gzipped else "r:") as tar:
    for member in tar.getmembers():
        if not member.isreg():
            problems.append(f"{member.name}: not a regular file (type {member.type!r})")
            continue
        if (member.mode, member.uid, member.gid, member.uname, member.gname, member.mtime) != (0o644, 0, 0, "", "", ENTRY_DATE):
            problems.append(f"{member.name}: mode {oct(member.mode)} owner {member.uid}:{member.gid} {member.uname!r}:{member.gname!r} mtime {member.mtime}")
        members.append((member.name, tar.extractfile(member).read()))
    if [name for name, _ in members] != [name for name, _ in zipped]:
        problems.append("member names or order differ from the zip's")
    differing = [name for (name, data), (_, zdata) in zip(members, zipped) if data != zdata]
    if differing:
        problems.append(f"{len(differing)} members differ from the zip's entries, e.g. {differing[:3]}")
    with tempfile.TemporaryDirectory() as out:
        tar.extractall(out)
        # A name written twice (chaos zip-duplicate-name) is the same bytes twice: the last one stays.
        expected = dict(zipped)
        extracted = {}
        for root, _, files in os.walk(out):
            for name in files:
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    extracted[os.path.relpath(path, out).replace(os.sep, "/")] = f.read()
        if extracted != expected:
            missing = sorted(set(expected) - set(extracted))[:3]
            extra = sorted(set(extracted) - set(expected))[:3]
            problems.append(f"extracted files differ from the zip's: missing {missing}, extra {extra}")

pax = sum(1 for name, _ in members if len(name.encode()) > 100)
print(json.dumps({"members": len(members), "unique": len(set(n for n, _ in members)), "longNames": pax, "problems": problems}))
sys.exit(1 if problems else 0)
