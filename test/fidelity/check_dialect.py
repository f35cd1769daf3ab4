"""Reads a delimited load file with Python's csv module (strict), in its encoding and dialect, and
prints its records as JSON. Every record must have the first record's width, and every line must
end with the given line end (no other CR or LF outside quoted values).
Usage: check_dialect.py FILE ENCODING(UTF-8|UTF-16|ANSI) COLUMN QUOTE(empty: none) EOL(CRLF|LF|CR) QUOTED_BREAKS(0|1)"""
import csv
import io
import json
import sys

path, encoding, column, quote, eol_name, quoted_breaks = sys.argv[1:7]
eol = {'CRLF': '\r\n', 'LF': '\n', 'CR': '\r'}[eol_name]
raw = open(path, 'rb').read()
if encoding == 'UTF-16':
    if not raw.startswith(b'\xff\xfe'):
        sys.exit(f'{path}: UTF-16 without the FF FE byte-order mark')
    text = raw[2:].decode('utf-16-le', errors='strict')
elif encoding == 'ANSI':
    text = raw.decode('cp1252', errors='strict')
else:
    text = raw.decode('utf-8', errors='strict')
if not text.endswith(eol):
    sys.exit(f'{path}: does not end with {eol_name}')
if quoted_breaks == '0':
    # No value may hold a line break: every CR and LF is part of a line end.
    for k, line in enumerate(text[: -len(eol)].split(eol)):
        if '\r' in line or '\n' in line:
            sys.exit(f'{path}: line {k + 1} holds a line break other than {eol_name}')
options = {'delimiter': column, 'strict': True}
if quote:
    options.update(quotechar=quote, doublequote=True, quoting=csv.QUOTE_MINIMAL)
else:
    options.update(quoting=csv.QUOTE_NONE)
records = list(csv.reader(io.StringIO(text, newline=''), **options))
widths = sorted({len(record) for record in records})
if len(widths) != 1:
    sys.exit(f'{path}: records of different widths {widths}')
print(json.dumps(records, ensure_ascii=False))
