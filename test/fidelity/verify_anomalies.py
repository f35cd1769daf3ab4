#!/usr/bin/env python3
"""Checks an archive made with `chaos` against its own answer key, with nothing but Python's
standard library: every load-file line the key lists is broken, every other line is well formed,
and invalid bytes sit exactly after the lines the key says.

Usage: verify_anomalies.py ARCHIVE.zip [KEY.json]
KEY.json: a key to check instead of the archive's own (e.g. your loader's findings, written in the
same {"anomalies": [{"file", "line", "type", …}]} form). Reads <name>_anomalies.json and each load file's _properties.json (its encoding, line end and
delimiters) from the archive. Prints one line per load file; exits 1 when the key and the archive
disagree, naming the lines.

Documents (entries under folder_*/ other than .txt): every entry name once unless the key lists
zip-duplicate-name; every file a load file lists is in the archive unless doc-missing, every file in
the archive is listed unless doc-extra; the DAT's File Size is the entry's size unless
doc-size-mismatch; an empty file is doc-zero-byte; a file whose first bytes are another type's is
doc-wrong-extension; one whose structure is cut or broken (PDF without startxref/%%EOF, JPEG
without its end marker or with a broken frame, TIFF whose first directory lies outside it, email the
parser flags, DOCX/XLSX that is not a whole ZIP) is doc-truncated or doc-corrupt.

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


MAGIC = {'pdf': [b'%PDF'], 'jpg': [b'\xff\xd8\xff'], 'tiff': [b'II*\x00', b'MM\x00*'], 'docx': [b'PK\x03\x04'], 'xlsx': [b'PK\x03\x04']}


def kind_of(data):
    """pdf, jpg, tiff, ooxml, eml (header lines), or unknown (e.g. a header overwritten)."""
    for kind, magics in MAGIC.items():
        if any(data.startswith(m) for m in magics):
            return 'ooxml' if kind in ('docx', 'xlsx') else kind
    import re
    return 'eml' if re.match(rb'[A-Za-z][A-Za-z0-9-]*: ', data) else 'unknown'


def structurally_sound(ext, data):
    """A light, independent look at a native: enough to tell a whole file from a cut or broken one."""
    if kind_of(data) == 'unknown':
        return False
    import email
    import email.policy
    import struct
    if ext == 'pdf':
        tail = data[-64:]
        return data.startswith(b'%PDF-') and b'%%EOF' in tail and b'startxref' in data[-256:] and b'xref' in data
    if ext == 'jpg':
        # Walk the segments (padding lives in COM segments before the frame) up to the scan.
        if not data.startswith(b'\xff\xd8'):
            return False
        at, frame, tables = 2, False, False
        while at + 4 <= len(data):
            if data[at] != 0xFF:
                return False
            marker = data[at + 1]
            if marker == 0xDA:
                return frame and tables and data.endswith(b'\xff\xd9')
            length = struct.unpack('>H', data[at + 2:at + 4])[0]
            if length < 2 or at + 2 + length > len(data):
                return False
            if marker in (0xC0, 0xC2):
                if data[at + 4] != 8:
                    return False
                frame = True
            tables = tables or marker == 0xC4
            at += 2 + length
        return False
    if ext == 'tiff':
        # Every directory in the chain, and every strip it names, inside the file.
        if len(data) < 8 or data[:4] not in (b'II*\x00', b'MM\x00*'):
            return False
        order = '<' if data[:2] == b'II' else '>'
        ifd, seen = struct.unpack(order + 'I', data[4:8])[0], 0
        while ifd:
            seen += 1
            if ifd + 2 > len(data) or seen > 1000:
                return False
            count = struct.unpack(order + 'H', data[ifd:ifd + 2])[0]
            if not 0 < count < 100 or ifd + 2 + count * 12 + 4 > len(data):
                return False
            tags = {}
            for k in range(count):
                at = ifd + 2 + 12 * k
                tag, kind, n = struct.unpack(order + 'HHI', data[at:at + 8])
                tags[tag] = (kind, n, data[at + 8:at + 12])
            if 273 not in tags or 279 not in tags:
                return False

            def values(entry):
                kind, n, field = entry
                code, size = ('H', 2) if kind == 3 else ('I', 4)
                if n * size <= 4:
                    return list(struct.unpack(order + code * n, field[:n * size]))
                where = struct.unpack(order + 'I', field)[0]
                if where + n * size > len(data):
                    return None
                return list(struct.unpack(order + code * n, data[where:where + n * size]))

            offsets, counts = values(tags[273]), values(tags[279])
            if offsets is None or counts is None or any(o + c > len(data) for o, c in zip(offsets, counts)):
                return False
            ifd = struct.unpack(order + 'I', data[ifd + 2 + count * 12:ifd + 6 + count * 12])[0]
        return seen > 0
    if ext == 'eml':
        message = email.message_from_bytes(data, policy=email.policy.default)
        defects = list(message.defects)
        for part in message.walk():
            defects.extend(part.defects)
        return not defects and message['From'] is not None and message['Message-ID'] is not None
    if ext in ('docx', 'xlsx'):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                return inner.testzip() is None and '[Content_Types].xml' in inner.namelist()
        except zipfile.BadZipFile:
            return False
    return True


def verify_documents(archive, anomalies, props_by_file):
    """Disagreements between the archive's documents and the key's document and archive entries."""
    problems = []
    listed = {}
    for a in anomalies:
        if a['target'] in ('document', 'archive'):
            listed.setdefault(a['file'], set()).add(a['type'])
    infos = [i for i in archive.infolist() if i.filename.startswith('folder_') and not i.filename.endswith('.txt')]
    counts = {}
    for info in infos:
        counts[info.filename] = counts.get(info.filename, 0) + 1
    present = set(counts)
    for name, n in counts.items():
        if (n > 1) != ('zip-duplicate-name' in listed.get(name, ())):
            problems.append(f'{name}: {n} entries, the key {"lists" if n == 1 else "does not list"} zip-duplicate-name')
    # What the load files list: paths and sizes from a DAT when there is one, else any load file's text.
    referenced, sizes = set(), {}
    # OPT lists images only: whether a document is listed is read from the other load files.
    listing = {f: p for f, p in props_by_file.items() if not p['format'].startswith('OPT')}
    for load_file, props in listing.items():
        text = archive.read(load_file).decode(*CODECS[props['properties']['encoding']])
        for name in present | {f for f, types in listed.items() if 'doc-missing' in types}:
            base = name.rsplit('/', 1)[-1]
            if name in text or (props['format'].startswith('EDRM') and f'FileName="{base}"' in text):
                referenced.add(name)
        if props['format'].startswith('DAT'):
            delimiters = props['properties']['delimiters']
            column, quote = delimiter(delimiters['column']), delimiter(delimiters['quote'])
            lines = [split_fields(line, column, quote) for line in text.split(EOLS[props['properties']['lineEnding']]) if line]
            header = lines[0] or []
            path_at = next((k for k, h in enumerate(header) if h.upper().replace(' ', '') in ('FILEPATH',)), None)
            size_at = next((k for k, h in enumerate(header) if h.upper().replace(' ', '') in ('FILESIZE',)), None)
            if path_at is not None and size_at is not None:
                for fields in lines[1:]:
                    if fields and len(fields) == len(header):
                        sizes[fields[path_at]] = fields[size_at]
    if listing:
        for name in present:
            if name not in referenced and 'doc-extra' not in listed.get(name, ()):
                problems.append(f'{name}: in the archive, in no load file, not listed as doc-extra')
        for name, types in listed.items():
            if 'doc-missing' in types and (name in present or name not in referenced):
                problems.append(f'{name}: listed as doc-missing, but {"it is in the archive" if name in present else "no load file lists it"}')
            if 'doc-extra' in types and (name not in present or name in referenced):
                problems.append(f'{name}: listed as doc-extra, but {"it is not in the archive" if name not in present else "a load file lists it"}')
    for info in infos:
        name, data = info.filename, None
        types = listed.get(name, set())
        if name in sizes and (sizes[name] != str(info.file_size)) != ('doc-size-mismatch' in types):
            problems.append(f'{name}: File Size {sizes[name]}, entry {info.file_size} bytes; key: {sorted(types) or "nothing"}')
        data = archive.read(info)
        ext = name.rsplit('.', 1)[-1]
        zero = len(data) == 0
        if zero != ('doc-zero-byte' in types):
            problems.append(f'{name}: {len(data)} bytes; key: {sorted(types) or "nothing"}')
            continue
        if zero:
            continue
        kind = kind_of(data)
        wrong = kind not in ('unknown', 'ooxml' if ext in ('docx', 'xlsx') else ext)
        if wrong != ('doc-wrong-extension' in types):
            problems.append(f'{name}: holds {kind_of(data)} bytes; key: {sorted(types) or "nothing"}')
            continue
        if wrong:
            continue
        broken = not structurally_sound(ext, data)
        if broken != bool(types & {'doc-truncated', 'doc-corrupt'}):
            problems.append(f'{name}: {"broken" if broken else "whole"}; key: {sorted(types) or "nothing"}')
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
        audits = [n for n in names if n.endswith('_properties.json') and '/' not in n]
        props_by_file = {n[: -len('_properties.json')]: json.loads(archive.read(n)) for n in audits}
        document_problems = verify_documents(archive, anomalies, props_by_file)
        for problem in document_problems[:20]:
            print(f'documents: {problem}')
        failures += len(document_problems)
        listed_documents = sum(1 for a in anomalies if a['target'] in ('document', 'archive'))
        print(f'documents: {listed_documents} anomalies listed, {"all found, every other document whole" if not document_problems else f"{len(document_problems)} disagreements"}')
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
