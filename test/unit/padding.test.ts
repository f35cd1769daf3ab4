import { deflateRawSync } from 'node:zlib';
import t from 'tap';
import { PADDING_BLOCK_BYTES, paddingBlock, paddingBlockOffset, paddingBytes, paddingWindows } from '../../src/generator/random.js';

t.test('padding is a window into the seed block, wrapping around, at an offset of each document', async (t) => {
  const block = paddingBlock(7);
  t.equal(block.length, PADDING_BLOCK_BYTES);
  t.same(paddingBlock(7), block, 'the same block for the same seed');
  t.not(paddingBlock(8).equals(block), true, 'another seed, another block');
  t.notSame(paddingBytes(7, 1, 64), paddingBytes(7, 2, 64), 'documents start at offsets of their own');
  t.same(paddingBytes(7, 1, 64), paddingBytes(7, 1, 64), 'deterministic');

  // Longer than the block: every window lies in the block, and together they run on without a seam.
  const length = PADDING_BLOCK_BYTES + 1000;
  const windows = paddingWindows(7, 3, length);
  t.equal(windows.reduce((sum, w) => sum + w.length, 0), length);
  t.ok(windows.every((w) => paddingBlockOffset(7, w) >= 0), 'no copy: windows into the block');
  const joined = Buffer.concat(windows);
  const start = paddingBlockOffset(7, windows[0]!);
  for (const at of [0, PADDING_BLOCK_BYTES - start - 1, PADDING_BLOCK_BYTES - start, length - 1]) {
    t.equal(joined[at], block[(start + at) % PADDING_BLOCK_BYTES], `byte ${at} follows the block around`);
  }
  t.same(Buffer.concat(paddingWindows(7, 3, 500, 100)), joined.subarray(100, 600), 'skip starts further in');
  t.equal(paddingBlockOffset(7, Buffer.alloc(10)), -1, 'other bytes are not in the block');
});

t.test('padding does not compress', async (t) => {
  const bytes = paddingBytes(11, 5, 1_000_000);
  const ratio = deflateRawSync(bytes).length / bytes.length;
  t.ok(ratio > 0.999, `deflate ratio ${ratio.toFixed(4)}`);
});
