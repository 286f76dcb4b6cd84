const SVG = 'http://www.w3.org/2000/svg';

/**
 * A small SVG line of `values` (nulls are gaps counted as zero height), scaled to its maximum,
 * with the latest value written beside it.
 */
export function sparkline(
  label: string,
  values: (number | null)[],
  unit: string,
  testId: string,
): HTMLElement {
  const width = 160;
  const height = 36;
  const max = Math.max(1, ...values.map((v) => v ?? 0));
  // One value draws as a flat line across; none as nothing.
  const drawn = values.length === 1 ? [values[0]!, values[0]!] : values;
  const step = drawn.length > 1 ? width / (drawn.length - 1) : width;
  const points = drawn
    .map(
      (v, i) =>
        `${(i * step).toFixed(1)},${(height - ((v ?? 0) / max) * (height - 2) - 1).toFixed(1)}`,
    )
    .join(' ');
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'spark');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points);
  svg.appendChild(line);
  const figure = document.createElement('figure');
  figure.className = 'sparkline';
  figure.dataset.testid = testId;
  figure.dataset.points = String(values.length);
  const latest = values.at(-1);
  const caption = document.createElement('figcaption');
  caption.textContent = `${label}: ${latest === null || latest === undefined ? '—' : `${latest} ${unit}`}`;
  figure.append(caption, svg);
  return figure;
}
