import t from 'tap';
import { parseByteSize } from '../../src/generator/byte-size.js';

t.test('sizes in SI and IEC units and plain bytes', async (t) => {
  t.equal(parseByteSize('500MB'), 500_000_000);
  t.equal(parseByteSize('1.5GB'), 1_500_000_000);
  t.equal(parseByteSize('20MiB'), 20 * 2 ** 20);
  t.equal(parseByteSize('20 kb'), 20_000);
  t.equal(parseByteSize('123'), 123);
  t.equal(parseByteSize(4096), 4096);
});

t.test('anything else is not a size', async (t) => {
  for (const bad of ['', 'MB', '12XB', '-5MB', '1e3', 'five', '1.2.3GB']) t.equal(parseByteSize(bad), null, bad);
  t.equal(parseByteSize(1.5), null);
  t.equal(parseByteSize(-1), null);
});
