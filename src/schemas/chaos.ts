import { z } from 'zod';
import { CHAOS_TYPE_NAMES, SCENARIO_NAMES, type ChaosAmount } from '../generator/chaos/catalogue.js';

const AMOUNT_MESSAGE = 'expected a count of at least 1 (e.g. 500) or a percentage above 0 and at most 100 (e.g. "2.5%")';

/** `amount`: a whole count ≥ 1 (number or digits), or "P%" with 0 < P ≤ 100. */
const amountSchema = z.union([z.number(), z.string()]).transform((value, ctx): ChaosAmount => {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const percent = /^([0-9]+(?:\.[0-9]+)?)%$/.exec(text);
  if (percent) {
    const p = Number(percent[1]);
    if (p > 0 && p <= 100) return { percent: p };
  } else if (/^[1-9][0-9]{0,14}$/.test(text)) {
    return { count: Number(text) };
  }
  ctx.addIssue({ code: 'custom', message: AMOUNT_MESSAGE });
  return z.NEVER;
});

/** `chaos`: seeded anomalies (SPEC "Chaos"); the checks that depend on other fields are in the request's. */
export const chaosSchema = z
  .strictObject({
    amount: amountSchema.optional().describe('Targets per kind: a count N, or "P%" of them (at least one). Default: the scenario\'s, else 1%.'),
    types: z
      .array(z.enum(CHAOS_TYPE_NAMES))
      .min(1)
      .optional()
      .describe('Anomaly types, dealt round-robin over the chosen targets. Default: the scenario\'s, else every load-file type of the requested formats.'),
    scenario: z.enum(SCENARIO_NAMES).optional().describe("A named set of types and amount (Zipper's six); not with types."),
  })
  .meta({ examples: [{ amount: '10%', types: ['quotes', 'columns'] }, { scenario: 'broken-boundaries' }, { amount: 3 }] });
