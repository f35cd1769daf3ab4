import iconv from 'iconv-lite';

export const ENCODINGS = ['UTF-8', 'UTF-16', 'ANSI'] as const;
export type Encoding = (typeof ENCODINGS)[number];

const ICONV_NAMES: Record<Encoding, string> = {
  'UTF-8': 'utf8',
  'UTF-16': 'utf16le',
  ANSI: 'windows-1252',
};

/** Byte-order mark written first: UTF-16 loaders need it to tell the byte order; UTF-8 and ANSI get none. */
export function byteOrderMark(encoding: Encoding): Buffer {
  return encoding === 'UTF-16' ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0);
}

/** Encodes load-file text; characters Windows-1252 lacks become "?". */
export function encodeText(text: string, encoding: Encoding): Buffer {
  if (encoding === 'UTF-8') return Buffer.from(text, 'utf8');
  if (encoding === 'UTF-16') return Buffer.from(text, 'utf16le');
  return iconv.encode(text, ICONV_NAMES[encoding]);
}
