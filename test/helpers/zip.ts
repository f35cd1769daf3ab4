import yauzl from 'yauzl';

export interface ZipEntry {
  name: string;
  data: Buffer;
  compressionMethod: number;
  compressedSize: number;
  uncompressedSize: number;
  /** General-purpose bit 3: sizes and CRC follow the data in a data descriptor. */
  usesDataDescriptor: boolean;
}

/** Reads a whole archive with yauzl (a reader we did not write), checking every CRC. */
export function readZip(archive: Buffer): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(archive, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error('no zip'));
      const entries: ZipEntry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({
              name: entry.fileName,
              data: Buffer.concat(chunks),
              compressionMethod: entry.compressionMethod,
              compressedSize: entry.compressedSize,
              uncompressedSize: entry.uncompressedSize,
              usesDataDescriptor: (entry.generalPurposeBitFlag & 0x8) !== 0,
            });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Entry names under each folder_FFF, in folder order. */
export function countsPerFolder(entries: ZipEntry[], extension: string, folders: number): number[] {
  const counts = new Array<number>(folders).fill(0);
  for (const entry of entries) {
    const match = /^folder_(\d{3})\/\d+\.(\w+)$/.exec(entry.name);
    if (match && match[2] === extension) counts[Number(match[1]) - 1] = (counts[Number(match[1]) - 1] as number) + 1;
  }
  return counts;
}
