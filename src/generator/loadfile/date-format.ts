/**
 * Date rendering with the tokens yyyy MM dd HH mm ss (the subset of .NET's custom format strings
 * that load files use); every other character is literal. Formats are compiled once; rendering a
 * date then allocates nothing but its string.
 */

const TOKENS = ['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss'] as const;
const [YEAR, MONTH, DAY, HOUR, MINUTE, SECOND] = [0, 1, 2, 3, 4, 5] as const;

/** Token indexes and literal text, in order. */
export type DateFormat = ReadonlyArray<number | string>;

export function compileDateFormat(format: string): DateFormat {
  const parts: Array<number | string> = [];
  let literal = '';
  for (let at = 0; at < format.length; ) {
    const token = TOKENS.findIndex((candidate) => format.startsWith(candidate, at));
    if (token < 0) {
      literal += format[at];
      at++;
      continue;
    }
    if (literal) parts.push(literal);
    literal = '';
    parts.push(token);
    at += TOKENS[token]!.length;
  }
  if (literal) parts.push(literal);
  return parts;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export const SECONDS_PER_DAY = 86_400;

/** Days since 1970-01-01 of a yyyy-MM-dd date (UTC), or null when it is not a real date. */
export function epochDay(iso: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return time / 1000 / SECONDS_PER_DAY;
}

/**
 * `day` (days since 1970-01-01) at `second` seconds into it, rendered in `format` (UTC). The
 * civil date comes from the day number directly (Hinnant's days-to-civil), no Date object.
 */
export function formatDay(format: DateFormat, day: number, second = 0): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const dayOfMonth = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  let text = '';
  for (let k = 0; k < format.length; k++) {
    const part = format[k]!;
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    switch (part) {
      case YEAR:
        text += String(year).padStart(4, '0');
        break;
      case MONTH:
        text += pad2(month);
        break;
      case DAY:
        text += pad2(dayOfMonth);
        break;
      case HOUR:
        text += pad2(Math.floor(second / 3600));
        break;
      case MINUTE:
        text += pad2(Math.floor(second / 60) % 60);
        break;
      case SECOND:
        text += pad2(second % 60);
        break;
    }
  }
  return text;
}

/** A Date (UTC, whole seconds) in `format`. */
export function formatDate(format: DateFormat, date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const day = Math.floor(seconds / SECONDS_PER_DAY);
  return formatDay(format, day, seconds - day * SECONDS_PER_DAY);
}
