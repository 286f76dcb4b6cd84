import { closest } from 'fastest-levenshtein';

type Raw = Record<string, unknown>;

function isMapping(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The keys of a config file that the service did not read, each with the closest key it knows
 * ("unknown key max_colleages (did you mean max_colleagues?)"). `known` holds every dotted path
 * the loader read; a known path's value is not looked into (a list, or a map read as a whole).
 */
export function unknownKeys(raw: Raw, known: ReadonlySet<string>): string[] {
  const sections = new Set([...known].flatMap(ancestors));
  const names = [...known, ...sections];
  const found: string[] = [];
  const walk = (node: Raw, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix + key;
      if (known.has(path)) continue;
      if (sections.has(path) && isMapping(value)) walk(value, `${path}.`);
      else if (!sections.has(path)) found.push(`unknown key ${path} (${suggestion(path, names)})`);
    }
  };
  walk(raw, '');
  return found;
}

function ancestors(path: string): string[] {
  const parts = path.split('.');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('.'));
}

/** The closest known key, preferring siblings: a typo is usually in the last segment. */
function suggestion(path: string, names: string[]): string {
  const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.') + 1) : '';
  const siblings = names.filter(
    (k) => k.startsWith(parent) && !k.slice(parent.length).includes('.'),
  );
  const candidates = siblings.length > 0 ? siblings : names;
  return `did you mean ${closest(path, candidates)}?`;
}
