"""RFC 4180 check of a CSV load file against the DAT beside it: python's csv module (strict) must
read the same header and rows, every row has the header's field count, every line ends in CRLF.
Usage: check_csv.py FILE.csv FILE.dat  (both UTF-8)."""
import csv
import io
import sys

csv_path, dat_path = sys.argv[1], sys.argv[2]
raw = open(csv_path, 'rb').read()
if not raw.endswith(b'\r\n') or b'\n' in raw.replace(b'\r\n', b''):
    sys.exit(f'{csv_path}: lines must end in CRLF')
rows = list(csv.reader(io.StringIO(raw.decode('utf-8'), newline=''), strict=True))
widths = {len(row) for row in rows}
if len(widths) != 1:
    sys.exit(f'{csv_path}: rows of different widths {sorted(widths)}')
dat = open(dat_path, 'rb').read().decode('utf-8')
dat_rows = [[field[1:-1] for field in line.split('\x14')] for line in dat[:-2].split('\r\n')]
if rows != dat_rows:
    for k, (a, b) in enumerate(zip(rows, dat_rows)):
        if a != b:
            sys.exit(f'{csv_path}: row {k} differs from the DAT: {a!r} != {b!r}')
    sys.exit(f'{csv_path}: {len(rows)} rows, the DAT has {len(dat_rows)}')
print(f'{len(rows) - 1} rows, {len(rows[0])} columns')
