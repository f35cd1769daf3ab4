/**
 * Minimal Office Open XML documents (DOCX, XLSX): the parts a reader needs, in a small stored ZIP
 * package written with the archive's own ZIP records. Padding is an extra binary part, stored, so
 * its bytes count whole; the package's CRCs cover it, so the bytes come from the caller's fill.
 */
import { crc32 } from 'node:zlib';
import type { DocumentPart, PlannedDocument } from '../types.js';
import { CENTRAL_HEADER_BYTES, LOCAL_HEADER_BYTES, METHOD, dosDateTime, endRecords, writeCentralHeader, writeLocalHeader, type EntryRecord } from '../zip/records.js';
import type { PaddingFill } from './eml.js';
import { isoDate, summaryPairs } from './text.js';

const PACKAGE_DATE = dosDateTime(new Date(Date.UTC(2020, 0, 1)));
const PADDING_PART = 'zipper/padding.bin';

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
const RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function xmlText(value: string): string {
  return value.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

function contentTypes(overrides: Array<[part: string, type: string]>): string {
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Default Extension="bin" ContentType="application/octet-stream"/>' +
    overrides.map(([part, type]) => `<Override PartName="/${part}" ContentType="${type}"/>`).join('') +
    '</Types>'
  );
}

function relationships(targets: Array<[type: string, target: string]>): string {
  return (
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    targets.map(([type, target], k) => `<Relationship Id="rId${k + 1}" Type="${type}" Target="${target}"/>`).join('') +
    '</Relationships>'
  );
}

/** Title, creator and date in docProps/core.xml. */
function coreProperties(doc: PlannedDocument): string {
  const when = `${isoDate(doc.dateSent)}`;
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xmlText(doc.controlNumber)}</dc:title><dc:subject>${xmlText(doc.subject)}</dc:subject><dc:creator>${xmlText(doc.author)}</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created></cp:coreProperties>`
  );
}

const CORE_TYPE = 'application/vnd.openxmlformats-package.core-properties+xml';
const CORE_REL = 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties';

/** The lines a placeholder shows: control number, then its metadata. */
function lines(doc: PlannedDocument): Array<[label: string, value: string]> {
  return [['Control Number: ', doc.controlNumber], ...summaryPairs(doc).map(([label, value]): [string, string] => [label, value])];
}

function docxParts(doc: PlannedDocument): Array<[string, string]> {
  const paragraphs = lines(doc)
    .map(([label, value]) => `<w:p><w:r><w:t xml:space="preserve">${xmlText(label + value)}</w:t></w:r></w:p>`)
    .join('');
  return [
    ['[Content_Types].xml', contentTypes([['word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'], ['docProps/core.xml', CORE_TYPE]])],
    ['_rels/.rels', relationships([[`${RELS}/officeDocument`, 'word/document.xml'], [CORE_REL, 'docProps/core.xml']])],
    ['word/document.xml', `${XML_HEAD}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs}<w:sectPr/></w:body></w:document>`],
    ['docProps/core.xml', coreProperties(doc)],
  ];
}

function xlsxParts(doc: PlannedDocument): Array<[string, string]> {
  const rows = lines(doc)
    .map(([label, value], k) => `<row r="${k + 1}"><c r="A${k + 1}" t="inlineStr"><is><t>${xmlText(label.replace(/: $/, ''))}</t></is></c><c r="B${k + 1}" t="inlineStr"><is><t>${xmlText(value)}</t></is></c></row>`)
    .join('');
  const amountRow = 6;
  const amount = `<row r="${amountRow}"><c r="A${amountRow}" t="inlineStr"><is><t>Index</t></is></c><c r="B${amountRow}"><v>${doc.index}</v></c></row>`;
  return [
    ['[Content_Types].xml', contentTypes([['xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'], ['xl/worksheets/sheet1.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml'], ['docProps/core.xml', CORE_TYPE]])],
    ['_rels/.rels', relationships([[`${RELS}/officeDocument`, 'xl/workbook.xml'], [CORE_REL, 'docProps/core.xml']])],
    ['xl/workbook.xml', `${XML_HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${RELS}"><sheets><sheet name="Document" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    ['xl/_rels/workbook.xml.rels', relationships([[`${RELS}/worksheet`, 'worksheets/sheet1.xml']])],
    ['xl/worksheets/sheet1.xml', `${XML_HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}${amount}</sheetData></worksheet>`],
    ['docProps/core.xml', coreProperties(doc)],
  ];
}

/** A stored ZIP package of the given parts, written in one buffer. */
function zipPackage(parts: Array<[name: string, data: Buffer]>): Buffer {
  const entries = parts.map(([name, data]) => ({
    record: { name: Buffer.from(name, 'utf8'), method: METHOD.stored, crc: crc32(data), size: data.length, compressedSize: data.length } as EntryRecord,
    data,
  }));
  const local = entries.reduce((sum, { record, data }) => sum + LOCAL_HEADER_BYTES + record.name.length + data.length, 0);
  const central = entries.reduce((sum, { record }) => sum + CENTRAL_HEADER_BYTES + record.name.length, 0);
  const end = endRecords(entries.length, local, central);
  const out = Buffer.allocUnsafe(local + central + end.length);
  let at = 0;
  const offsets: number[] = [];
  for (const { record, data } of entries) {
    offsets.push(at);
    at += writeLocalHeader(out, at, record, PACKAGE_DATE, null);
    at += data.copy(out, at);
  }
  entries.forEach(({ record }, k) => (at += writeCentralHeader(out, at, record, offsets[k]!, PACKAGE_DATE, false)));
  end.copy(out, at);
  return out;
}

/** Bytes the padding part adds besides its data: two headers with its name. */
const PADDING_OVERHEAD = LOCAL_HEADER_BYTES + CENTRAL_HEADER_BYTES + 2 * PADDING_PART.length;

/**
 * Data bytes of the padding part for P bytes of padding, or null for no part: below its overhead,
 * whichever of "no part" and "an empty part" lands nearer (off by at most half the overhead).
 */
function paddingData(paddingBytes: number): number | null {
  if (paddingBytes >= PADDING_OVERHEAD) return paddingBytes - PADDING_OVERHEAD;
  return paddingBytes * 2 >= PADDING_OVERHEAD ? 0 : null;
}

function render(parts: Array<[string, string]>, doc: PlannedDocument, fill?: PaddingFill): DocumentPart[] {
  const buffers: Array<[string, Buffer]> = parts.map(([name, text]) => [name, Buffer.from(text, 'utf8')]);
  const padding = paddingData(doc.paddingBytes);
  if (padding !== null) {
    if (padding > 0 && !fill) throw new Error(`${doc.controlNumber}: a padded ${doc.type} needs its padding bytes (fill)`);
    buffers.push([PADDING_PART, padding > 0 ? fill!(padding) : Buffer.alloc(0)]);
  }
  return [zipPackage(buffers)];
}

export function renderDocx(doc: PlannedDocument, fill?: PaddingFill): DocumentPart[] {
  return render(docxParts(doc), doc, fill);
}

export function renderXlsx(doc: PlannedDocument, fill?: PaddingFill): DocumentPart[] {
  return render(xlsxParts(doc), doc, fill);
}

/** Exact size without producing padding bytes. */
export function ooxmlSize(doc: PlannedDocument): number {
  const unpadded = render(doc.type === 'docx' ? docxParts(doc) : xlsxParts(doc), { ...doc, paddingBytes: 0 });
  const padding = paddingData(doc.paddingBytes);
  return (unpadded[0] as Buffer).length + (padding === null ? 0 : PADDING_OVERHEAD + padding);
}
