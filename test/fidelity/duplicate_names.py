#!/usr/bin/python3
"""What Python's zipfile does with an archive holding two entries of one name
(test/fidelity/duplicate-names.test.ts). Usage: duplicate_names.py ARCHIVE NAME OUTDIR
Prints one JSON object: the listing, testzip(), read(name), the first entry's bytes, what
extractall() leaves on disk, and any warnings raised."""
import json
import sys
import warnings
import zipfile
from os.path import join

archive, name, out = sys.argv[1:4]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    with zipfile.ZipFile(archive) as z:
        report = {
            'namelist': z.namelist(),
            'testzip': z.testzip(),
            'read': z.read(name).decode().strip(),
            'getinfoSize': z.getinfo(name).file_size,
            'firstEntry': z.read(z.infolist()[0]).decode().strip(),
        }
        z.extractall(out)
    with open(join(out, name), 'rb') as f:
        report['extractall'] = f.read().decode().strip()
    report['warnings'] = [str(w.message) for w in caught if not issubclass(w.category, ResourceWarning)]
print(json.dumps(report))
