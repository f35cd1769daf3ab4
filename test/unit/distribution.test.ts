import t from 'tap';
import { folderCounts, folderOf, roundHalfEven, inverseNormalCdf } from '../../src/generator/distribution.js';

// Expected counts computed independently (Python, statistics.NormalDist().inv_cdf and round-half-even),
// with p = i / max(N−1, 1): the form that reproduces SPEC's worked example.
const EXPECTED: Array<[string, number, number, number[]]> = [
  ['gaussian', 500, 7, [21, 76, 152, 152, 76, 19, 4]],
  ['gaussian', 1000, 5, [114, 385, 385, 106, 10]],
  ['exponential', 1000, 5, [450, 248, 135, 75, 92]],
  ['exponential', 500, 7, [173, 114, 74, 48, 31, 20, 40]],
  ['gaussian', 10, 3, [4, 4, 2]],
  ['exponential', 10, 3, [5, 2, 3]],
  ['gaussian', 3, 10, [0, 0, 0, 0, 1, 0, 0, 0, 0, 2]],
  ['exponential', 3, 10, [0, 0, 1, 0, 0, 0, 0, 0, 0, 2]],
  ['proportional', 3, 10, [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]],
  ['proportional', 10, 3, [4, 3, 3]],
  ['gaussian', 100, 1, [100]],
  ['exponential', 100, 1, [100]],
  ['gaussian', 1, 4, [0, 0, 0, 1]],
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
