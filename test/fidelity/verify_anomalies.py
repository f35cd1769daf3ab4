#!/usr/bin/env python3
"""Checks an archive made with `chaos` against its own answer key, with nothing but Python's
standard library: every load-file line the key lists is broken, every other line is well formed,
and invalid bytes sit exactly after the lines the key says.

Usage: verify_anomalies.py ARCHIVE.zip [KEY.json]
KEY.json: a key to check instead of the archive's own (e.g. your loader's findings, written in the
same {"anomalies": [{"file", "line", "type", …}]} form). Reads <name>_anomalies.json and each load file's _properties.json (its encoding, line end and
delimiters) from the archive. Prints one line per load file; exits 1 when the key and the archive
disagree, naming the lines.

A line is well formed when it is in the file's encoding and:
  DAT, Concordance: every field between quotes (or none), the header's number of fields;
  CSV: Python's csv module (strict) reads the header's number of fields from it alone;
  OPT: seven fields, a key, no '..' in the path, the document-break flag Y exactly where the page
       count is given, the page count a whole number;
  EDRM-XML: each Document line is an XML element on its own.
"""
import csv
import io
import json
import sys
import zipfile
import xml.etree.ElementTree as ElementTree

EOLS = {'CRLF': '\r\n', 'LF': '\n', 'CR': '\r'}
CODECS = {'UTF-8': ('utf-8', 'surrogateescape'), 'UTF-16': ('utf-16-le', 'surrogatepass'), 'ANSI': ('cp1252', 'surrogateescape')}
XML_HEAD_LINES = 4


def delimiter(label):
    if label == 'none':
        return None
    kind, _, value = label.partition(':')
    return chr(int(value)) if kind == 'ascii' else value


def invalid(text):
    """Characters standing for bytes the encoding does not allow (decoded as lone surrogates)."""
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def split_fields(line, column, quote):
    if quote is None:
        return line.split(column)
    if not (line.startswith(quote) and line.endswith(quote)) or len(line) < 2:
        return None
    inner = line[len(quote):-len(quote)]
    fields = inner.split(quote + column + quote)
    # A quote inside a field is doubled; a lone one means a broken field.
    if any(field.replace(quote + quote, '').count(quote) for field in fields):
        return None
    return fields


def check_delimited(line, width, column, quote):
    # A line break inside a field must be written as the newline delimiter, never raw.
    if '\r' in line or '\n' in line:
        return False
    fields = split_fields(line, column, quote)
    return fields is not None and len(fields) == width


def split_csv(line):
    try:
        rows = list(csv.reader(io.StringIO(line, newline=''), strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def check_csv(line, width):
    fields = split_csv(line)
    return fields is not None and len(fields) == width


def check_opt(line):
    fields = line.split(',')
    if len(fields) != 7 or fields[0] == '' or '..' in fields[2] or fields[3] not in ('Y', ''):
        return False
    if (fields[3] == 'Y') != (fields[6] != ''):
        return False
    return fields[6] == '' or fields[6].isdigit()


def check_xml(line):
    try:
        ElementTree.fromstring(line)
        return True
    except ElementTree.ParseError:
        return False


def verify(archive, name, props, key_lines):
    """Returns a list of disagreements between the load file and its key entries."""
    encoding = props['properties']['encoding']
    eol = EOLS[props['properties']['lineEnding']]
    delimiters = props['properties']['delimiters']
    column, quote = delimiter(delimiters['column']), delimiter(delimiters['quote'])
    codec, errors = CODECS[encoding]
    data = archive.read(name)
    if encoding == 'UTF-16' and data.startswith(b'\xff\xfe'):
        data = data[2:]
    text = data.decode(codec, errors)
    physical = text.split(eol)
    if physical and physical[-1] == '':
        physical.pop()
    kind = name.rsplit('.', 1)[-1]
    fmt = props['format']
    breaks = {line: entry['type'] for line, entry in key_lines.items() if entry['type'] != 'encoding'}
    boundaries = {line for line, entry in key_lines.items() if entry['type'] == 'encoding'}
    problems = []
    # Logical lines: a raw line break inside a field joins two physical lines; invalid bytes an
    # encoding anomaly wrote after line N start the next physical line and are taken off it.
    lines = []
    p = 0
    while p < len(physical):
        number = len(lines) + 1
        line = physical[p]
        p += 1
        if number - 1 in boundaries:
            stripped = line.lstrip(''.join(c for c in line[:3] if invalid(c)))
            if stripped == line:
                problems.append(f'line {number - 1}: no invalid bytes after it')
            line = stripped
            if line == '' and p == len(physical):
                break  # the bytes came after the last line
        elif invalid(line):
            problems.append(f'line {number}: invalid bytes the key does not list')
        if breaks.get(number) == 'eol' and p < len(physical):
            line = line + eol + physical[p]
            p += 1
        lines.append(line)
    if fmt.startswith('CSV') or fmt.startswith('DAT') or fmt.startswith('Concordance'):
        counts = [len(fields) for n, line in enumerate(lines, 1) if n not in breaks for fields in [split_csv(line) if fmt.startswith('CSV') else split_fields(line, column, quote)] if fields]
        width = max(set(counts), key=counts.count) if counts else None
    for number, line in enumerate(lines, 1):
        if fmt.startswith('EDRM-XML'):
            # Only Document lines are targets: the head and the closing tags are not.
            if number <= XML_HEAD_LINES or line in ('</Documents>', '</Batch>', '</Root>'):
                continue
            ok = check_xml(line)
        elif fmt.startswith('OPT'):
            ok = check_opt(line)
        elif fmt.startswith('CSV'):
            ok = check_csv(line, width)
        else:
            ok = check_delimited(line, width, column, quote)
        listed = number in breaks
        if ok and listed:
            problems.append(f'line {number}: the key lists {breaks[number]}, but the line is well formed')
        elif not ok and not listed:
            problems.append(f'line {number}: broken, but the key does not list it')
    return problems


def main():
    path = sys.argv[1]
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        keys = [n for n in names if n.endswith('_anomalies.json') and '/' not in n]
        if len(keys) != 1:
            sys.exit(f'{path}: expected one <name>_anomalies.json at the root, found {keys}')
        source = open(sys.argv[2], 'rb').read() if len(sys.argv) > 2 else archive.read(keys[0])
        anomalies = json.loads(source)['anomalies']
        failures = 0
        for audit in [n for n in names if n.endswith('_properties.json') and '/' not in n]:
            load_file = audit[: -len('_properties.json')]
            props = json.loads(archive.read(audit))
            listed = {a['line']: a for a in anomalies if a['target'] == 'loadfile' and a['file'] == load_file}
            if len(sys.argv) <= 2 and len(listed) != props['chaosMode'].get('totalAnomalies', 0):
                print(f'{load_file}: the key lists {len(listed)}, its audit file {props["chaosMode"].get("totalAnomalies")}')
                failures += 1
            problems = verify(archive, load_file, props, listed)
            for problem in problems[:20]:
                print(f'{load_file}: {problem}')
            failures += len(problems)
            print(f'{load_file}: {len(listed)} anomalies listed, {"all found, every other line well formed" if not problems else f"{len(problems)} disagreements"}')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
