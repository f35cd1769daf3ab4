"""Opens every DOCX with python-docx and every XLSX with openpyxl (Debian's python3-docx and
python3-openpyxl, so run with /usr/bin/python3), reading their text back; exits non-zero listing
each file that fails. Usage: check_ooxml.py FILE...  Prints 'N files, M paragraphs/cells'."""
import sys

import docx
import openpyxl

failures = []
read = 0
for path in sys.argv[1:]:
    try:
        if path.endswith('.docx'):
            text = [p.text for p in docx.Document(path).paragraphs]
            if not text or not text[0].startswith('Control Number: DOC'):
                raise ValueError(f'unexpected first paragraph {text[:1]!r}')
            read += len(text)
        elif path.endswith('.xlsx'):
            book = openpyxl.load_workbook(path)
            values = [cell.value for row in book.active.iter_rows() for cell in row]
            if 'Control Number' not in values:
                raise ValueError(f'no Control Number cell in {values[:4]!r}')
            read += len(values)
        else:
            raise ValueError('not a .docx or .xlsx file')
    except Exception as error:  # every failure is reported, whatever raised it
        failures.append(f'{path}: {type(error).__name__}: {error}')
if failures:
    sys.exit('\n'.join(failures))
print(f'{len(sys.argv) - 1} files, {read} paragraphs/cells')
