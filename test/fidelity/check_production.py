"""Reads an extracted production set as an importer would, independently of the generator.

Usage: check_production.py SET_DIR DAT OPT
The DAT by Concordance rules: UTF-8 (BOM allowed), records end with CRLF, fields split on 0x14
(DC4), every field wrapped in the thorn quote (U+00FE); every row has the header's field count;
DOCID unique; every path column that is not empty resolves to a file under SET_DIR (backslashes
are the separators); FILE_SIZE is the native's size. The OPT: 7 comma-separated fields per line
(key, volume, image path, break, box, folder, pages); a break line 'Y' carries the page count and
is followed by pages-1 lines without a break; every image path resolves; every DAT IMAGE_PATH is
the path of a break line. Prints one JSON object (counts, pages per first image, problems) and
exits 1 when there are problems.
"""
import json
import os
import re
import sys

PATH_COLUMNS = ['NATIVE_PATH', 'TEXT_PATH', 'IMAGE_PATH', 'REDACTED_IMAGE_PATH', 'REDACTED_TEXT_PATH']
THORN = '\u00fe'
DC4 = '\u0014'


def resolve(root, value):
    if '/' in value:
        raise ValueError(f'path with a forward slash: {value!r}')
    return os.path.join(root, *value.split('\\'))


def main():
    root, dat_path, opt_path = sys.argv[1:4]
    problems = []

    with open(dat_path, 'rb') as f:
        raw = f.read()
    text = raw.decode('utf-8-sig')  # strict: a bad byte raises
    if not text.endswith('\r\n'):
        problems.append('DAT does not end with CRLF')
    records = text[:-2].split('\r\n')
    rows = []
    for number, record in enumerate(records, start=1):
        fields = record.split(DC4)
        values = []
        for field in fields:
            if len(field) < 2 or field[0] != THORN or field[-1] != THORN or THORN in field[1:-1]:
                problems.append(f'DAT line {number}: field not quoted with thorns: {field!r}')
            values.append(field[1:-1])
        rows.append(values)
    header, data = rows[0], rows[1:]
    for number, row in enumerate(data, start=2):
        if len(row) != len(header):
            problems.append(f'DAT line {number}: {len(row)} fields, header has {len(header)}')
    col = {name: i for i, name in enumerate(header)}
    for name in ['DOCID', 'BATES_NUMBER', 'VOLUME', 'FILE_SIZE'] + PATH_COLUMNS[:3]:
        if name not in col:
            problems.append(f'DAT has no {name} column')
    if problems:
        print(json.dumps({'problems': problems}))
        sys.exit(1)

    ids = [row[col['DOCID']] for row in data]
    if len(set(ids)) != len(ids):
        problems.append('DOCID repeats')
    paths_checked = 0
    for number, row in enumerate(data, start=2):
        if row[col['DOCID']] != row[col['BATES_NUMBER']]:
            problems.append(f'DAT line {number}: DOCID != BATES_NUMBER')
        if not re.fullmatch(r'VOL\d{3}', row[col['VOLUME']]):
            problems.append(f'DAT line {number}: VOLUME {row[col["VOLUME"]]!r}')
        for name in PATH_COLUMNS:
            if name not in col or row[col[name]] == '':
                continue
            path = resolve(root, row[col[name]])
            paths_checked += 1
            if not os.path.isfile(path):
                problems.append(f'DAT line {number}: {name} {row[col[name]]!r} does not exist')
            elif name == 'NATIVE_PATH' and os.path.getsize(path) != int(row[col['FILE_SIZE']]):
                problems.append(f'DAT line {number}: FILE_SIZE {row[col["FILE_SIZE"]]} but the native has {os.path.getsize(path)} bytes')

    with open(opt_path, 'rb') as f:
        opt_text = f.read().decode('utf-8-sig')
    if not opt_text.endswith('\r\n'):
        problems.append('OPT does not end with CRLF')
    lines = opt_text[:-2].split('\r\n')
    pages_of = {}
    pending = 0
    keys = set()
    for number, line in enumerate(lines, start=1):
        fields = line.split(',')
        if len(fields) != 7:
            problems.append(f'OPT line {number}: {len(fields)} fields, expected 7')
            continue
        key, volume, image, brk, box, folder, pages = fields
        if key in keys:
            problems.append(f'OPT line {number}: key {key} repeats')
        keys.add(key)
        if not re.fullmatch(r'VOL\d{3}', volume) or f'\\{volume}\\' not in image:
            problems.append(f'OPT line {number}: volume {volume!r} vs path {image!r}')
        if box != '' or folder != '':
            problems.append(f'OPT line {number}: box/folder fields not empty')
        if not os.path.isfile(resolve(root, image)):
            problems.append(f'OPT line {number}: {image!r} does not exist')
        if brk == 'Y':
            if pending != 0:
                problems.append(f'OPT line {number}: a new document while {pending} pages of the last are missing')
            if not pages.isdigit() or int(pages) < 1:
                problems.append(f'OPT line {number}: page count {pages!r}')
                continue
            pages_of[image] = int(pages)
            pending = int(pages) - 1
        elif brk == '':
            if pending == 0:
                problems.append(f'OPT line {number}: a page beyond its document\'s page count')
            else:
                pending -= 1
            if pages != '':
                problems.append(f'OPT line {number}: page count on a continuation line')
        else:
            problems.append(f'OPT line {number}: break field {brk!r}')
    if pending != 0:
        problems.append(f'OPT ends with {pending} pages missing')
    for number, row in enumerate(data, start=2):
        if row[col['IMAGE_PATH']] not in pages_of:
            problems.append(f'DAT line {number}: IMAGE_PATH {row[col["IMAGE_PATH"]]!r} is not a document break in the OPT')

    print(json.dumps({
        'columns': header,
        'rows': len(data),
        'optLines': len(lines),
        'pathsChecked': paths_checked,
        'pages': {row[col['BATES_NUMBER']]: pages_of.get(row[col['IMAGE_PATH']]) for row in data},
        'problems': problems[:50],
        'problemCount': len(problems),
    }))
    sys.exit(1 if problems else 0)


main()
