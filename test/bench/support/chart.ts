/**
 * The chart of a run: service/baseline ratios against their goals, and the growth table as each
 * row relative to its reference. Vega-Lite compiles to Vega, Vega renders SVG in Node without a
 * browser or native canvas, and resvg turns the SVG into a PNG.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, type Section } from './results';

interface Datum {
  label: string;
  value: number;
  goal?: number;
}

function panel(title: string, data: Datum[], axis: string) {
  return {
    title,
    width: 560,
    height: { step: 22 },
    data: { values: data },
    layer: [
      {
        mark: { type: 'bar', color: '#4c78a8' },
        encoding: {
          y: {
            field: 'label',
            type: 'nominal',
            sort: null,
            title: null,
            axis: { labelLimit: 520 },
          },
          x: { field: 'value', type: 'quantitative', title: axis },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 },
        encoding: {
          y: { field: 'label', type: 'nominal', sort: null },
          x: { field: 'value', type: 'quantitative' },
          text: { field: 'value', type: 'quantitative', format: '.2f' },
        },
      },
      {
        mark: { type: 'tick', color: '#e45756', thickness: 3 },
        encoding: {
          y: { field: 'label', type: 'nominal', sort: null },
          x: { field: 'goal', type: 'quantitative' },
        },
      },
    ],
  };
}

function panels(sections: Section[]) {
  const ratios: Datum[] = sections.flatMap((s) =>
    (s.comparisons ?? []).map((c) => ({
      label: `${s.bench}: ${c.name}`,
      value: c.ratio,
      goal: c.goal,
    })),
  );
  const growth: Datum[] = sections.flatMap((s) =>
    (s.growth ?? [])
      .filter((g) => g.metric === 'req/s' && Number.isFinite(g.relative))
      .map((g) => ({ label: `${g.group}: ${g.row}`, value: g.relative })),
  );
  return [
    ...(ratios.length
      ? [panel('service ÷ bare baseline (req/s; red tick: goal)', ratios, 'ratio')]
      : []),
    ...(growth.length
      ? [
          panel(
            'growth: req/s relative to the empty-database 10-connection send',
            growth,
            'relative',
          ),
        ]
      : []),
  ];
}

/** Writes chart.svg and chart.png in BENCH_OUT; returns the PNG path, or undefined (nothing to draw). */
export async function renderChart(sections: Section[]): Promise<string | undefined> {
  const charts = panels(sections);
  if (charts.length === 0) return undefined;
  // CommonJS builds of vega / vega-lite, loaded only here so the benchmarks run without them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vega = require('vega');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vegaLite = require('vega-lite');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Resvg } = require('@resvg/resvg-js');
  const spec = vegaLite.compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `mediator service benchmark, ${sections[0]?.startedAt.slice(0, 10) ?? ''}`,
    background: 'white',
    padding: 12,
    vconcat: charts,
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  const svg: string = await view.toSVG();
  view.finalize();
  writeFileSync(join(OUT, 'chart.svg'), svg);
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true } })
    .render()
    .asPng();
  const file = join(OUT, 'chart.png');
  writeFileSync(file, png);
  return file;
}
