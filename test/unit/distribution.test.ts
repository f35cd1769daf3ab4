import t from 'tap';
import { folderCounts, folderOf, roundHalfEven, inverseNormalCdf } from '../../src/generator/distribution.js';

// Expected counts computed independently (Python, statistics.NormalDist().inv_cdf and round-half-even),
// with p = (i − 1) / max(N − 1, 1), as Zipper's FileDistributionHelper; they reproduce SPEC's examples.
const EXPECTED: Array<[string, number, number, number[]]> = [
  // SPEC's worked examples (Zipper's output):
  ['gaussian', 500, 7, [22, 76, 152, 152, 76, 19, 3]],
  ['gaussian', 1000, 10, [18, 49, 117, 198, 236, 198, 117, 49, 14, 4]],
  ['exponential', 300, 6, [118, 72, 43, 26, 16, 25]],
  ['gaussian', 1000, 5, [115, 385, 385, 106, 9]],
  ['exponential', 1000, 5, [451, 248, 135, 75, 91]],
  ['exponential', 500, 7, [174, 114, 74, 48, 31, 20, 39]],
  ['gaussian', 10, 3, [5, 4, 1]],
  ['exponential', 10, 3, [6, 2, 2]],
  ['gaussian', 3, 10, [1, 0, 0, 0, 1, 0, 0, 0, 0, 1]],
  ['exponential', 3, 10, [1, 0, 1, 0, 0, 0, 0, 0, 0, 1]],
  ['proportional', 3, 10, [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]],
  ['proportional', 10, 3, [4, 3, 3]],
  ['gaussian', 100, 1, [100]],
  ['exponential', 100, 1, [100]],
  ['gaussian', 1, 4, [1, 0, 0, 0]],
];

t.test('per-folder counts follow Zipper’s formulas', async (t) => {
  for (const [distribution, count, folders, expected] of EXPECTED) {
    t.same(folderCounts(distribution as 'gaussian', count, folders), expected, `${distribution} ${count}/${folders}`);
  }
});

t.test('counts agree with the per-document folder and cover every document', async (t) => {
  for (const distribution of ['proportional', 'gaussian', 'exponential'] as const) {
    for (const [count, folders] of [[1000, 7], [37, 100], [70000, 100]] as const) {
      const counts = folderCounts(distribution, count, folders);
      t.equal(counts.reduce((a, b) => a + b, 0), count, `${distribution} ${count}/${folders} total`);
      const recount = new Array<number>(folders).fill(0);
      const outOfRange: number[] = [];
      for (let i = 1; i <= count; i++) {
        const folder = folderOf(distribution, i, count, folders);
        if (folder >= 1 && folder <= folders) recount[folder - 1]!++;
        else outOfRange.push(i);
      }
      t.same(outOfRange, [], `${distribution} ${count}/${folders}: every folder in 1 … ${folders}`);
      t.same(recount, counts, `${distribution} ${count}/${folders} per document`);
    }
  }
});

t.test('round half to even, like .NET Math.Round', async (t) => {
  t.same([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001].map(roundHalfEven), [0, 2, 2, -0, -2, 2, 3]);
});

t.test('Acklam inverse normal matches known quantiles', async (t) => {
  t.ok(Math.abs(inverseNormalCdf(0.975) - 1.959963985) < 1e-6);
  t.ok(Math.abs(inverseNormalCdf(0.001) + 3.090232306) < 1e-6);
  t.ok(Math.abs(inverseNormalCdf(0.5)) < 1e-12);
});
