import { InvalidScheduleError } from './errors';

/**
 * A small cron matcher, written here only because libs/core has no runtime dependencies (the
 * service may use `croner`). Five fields (minute hour day-of-month month day-of-week) or six
 * with seconds first, since per-second schedules are used. Each field takes `*`, `?`, numbers,
 * ranges `a-b`, steps (`a-b/n`, `a/n`, or `*` followed by `/n`), lists `a,b`, and month or day
 * names (JAN, MON). Day of
 * month and day of week combine like Vixie cron: when both are restricted, either may match.
 * Times are UTC.
 */
export class CronSchedule {
  private constructor(
    readonly expression: string,
    private readonly seconds: Set<number>,
    private readonly minutes: Set<number>,
    private readonly hours: Set<number>,
    private readonly daysOfMonth: Set<number>,
    private readonly months: Set<number>,
    private readonly daysOfWeek: Set<number>,
    private readonly domRestricted: boolean,
    private readonly dowRestricted: boolean,
  ) {}

  /** Parses the expression or throws InvalidScheduleError (code INVALID_SCHEDULE). */
  static parse(expression: string): CronSchedule {
    const fields = String(expression).trim().split(/\s+/);
    if (fields.length !== 5 && fields.length !== 6) {
      throw new InvalidScheduleError(expression, 'expected 5 or 6 space-separated fields');
    }
    const [sec, min, hour, dom, mon, dow] = fields.length === 6 ? fields : ['0', ...fields];
    const parse = (field: string, spec: FieldSpec) => parseField(expression, field, spec);
    const daysOfWeek = new Set([...parse(dow, DAY_OF_WEEK)].map((d) => d % 7));
    return new CronSchedule(
      expression,
      parse(sec, SECOND),
      parse(min, MINUTE),
      parse(hour, HOUR),
      parse(dom, DAY_OF_MONTH),
      parse(mon, MONTH),
      daysOfWeek,
      !isWildcard(dom),
      !isWildcard(dow),
    );
  }

  matches(date: Date): boolean {
    return (
      date.getUTCMilliseconds() === 0 &&
      this.seconds.has(date.getUTCSeconds()) &&
      this.minutes.has(date.getUTCMinutes()) &&
      this.hours.has(date.getUTCHours()) &&
      this.months.has(date.getUTCMonth() + 1) &&
      this.dayMatches(date)
    );
  }

  /** The first matching time strictly after `after`, or null if none within 5 years. */
  next(after: Date): Date | null {
    const limit = after.getTime() + FIVE_YEARS_MS;
    let t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
    while (t.getTime() <= limit) {
      if (!this.months.has(t.getUTCMonth() + 1)) t = startOf(t, 'month', 1);
      else if (!this.dayMatches(t)) t = startOf(t, 'day', 1);
      else if (!this.hours.has(t.getUTCHours())) t = startOf(t, 'hour', 1);
      else if (!this.minutes.has(t.getUTCMinutes())) t = startOf(t, 'minute', 1);
      else if (!this.seconds.has(t.getUTCSeconds())) t = new Date(t.getTime() + 1000);
      else return t;
    }
    return null;
  }

  /** The matching times in (after, until], at most `max` of them. */
  between(after: Date, until: Date, max = 1000): Date[] {
    const times: Date[] = [];
    for (let t = this.next(after); t && t <= until && times.length < max; t = this.next(t)) {
      times.push(t);
    }
    return times;
  }

  private dayMatches(date: Date): boolean {
    const dom = this.daysOfMonth.has(date.getUTCDate());
    const dow = this.daysOfWeek.has(date.getUTCDay());
    if (this.domRestricted && this.dowRestricted) return dom || dow;
    return dom && dow;
  }
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day of month', min: 1, max: 31 };
const MONTH: FieldSpec = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
// 0 and 7 are both Sunday.
const DAY_OF_WEEK: FieldSpec = {
  name: 'day of week',
  min: 0,
  max: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};
const FIVE_YEARS_MS = 5 * 366 * 24 * 3600 * 1000;

function isWildcard(field: string): boolean {
  return field === '*' || field === '?';
}

function parseField(expression: string, field: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const [range, stepText, extra] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (extra !== undefined || !Number.isInteger(step) || step < 1) {
      throw new InvalidScheduleError(expression, `bad step in ${spec.name} field '${field}'`);
    }
    const [from, to] = parseRange(expression, range, spec, stepText !== undefined);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function parseRange(
  expression: string,
  range: string,
  spec: FieldSpec,
  stepped: boolean,
): [number, number] {
  if (isWildcard(range)) return [spec.min, spec.max];
  const [fromText, toText, extra] = range.split('-');
  const from = parseValue(expression, fromText, spec);
  // `a/n` means from a to the end of the field, as in Vixie cron.
  const to =
    toText === undefined ? (stepped ? spec.max : from) : parseValue(expression, toText, spec);
  if (extra !== undefined || to < from) {
    throw new InvalidScheduleError(expression, `bad range '${range}' in ${spec.name} field`);
  }
  return [from, to];
}

function parseValue(expression: string, text: string | undefined, spec: FieldSpec): number {
  const named = spec.names?.indexOf(String(text).toUpperCase()) ?? -1;
  const value = named >= 0 ? named + (spec.name === 'month' ? 1 : 0) : Number(text);
  if (text === '' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
    throw new InvalidScheduleError(
      expression,
      `${spec.name} '${text}' is not between ${spec.min} and ${spec.max}`,
    );
  }
  return value;
}

function startOf(date: Date, unit: 'month' | 'day' | 'hour' | 'minute', add: number): Date {
  const y = date.getUTCFullYear();
  const mo = date.getUTCMonth();
  const d = date.getUTCDate();
  const h = date.getUTCHours();
  const mi = date.getUTCMinutes();
  switch (unit) {
    case 'month':
      return new Date(Date.UTC(y, mo + add, 1));
    case 'day':
      return new Date(Date.UTC(y, mo, d + add));
    case 'hour':
      return new Date(Date.UTC(y, mo, d, h + add));
    case 'minute':
      return new Date(Date.UTC(y, mo, d, h, mi + add));
  }
}
