import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import type { ColleagueResponseDto } from '@mediator/client';

/** One colour per colleague kind (KINDS.md), the same in the legend and the stylesheet. */
export const KIND_COLOURS: Record<string, string> = {
  message: '#4e79a7',
  event: '#f28e2b',
  command: '#e15759',
  query: '#76b7b2',
  notification: '#59a14f',
  workflow: '#edc948',
  service: '#b07aa1',
  resource: '#ff9da7',
  task: '#9c755f',
  job: '#bab0ac',
};

const FLOW_MS = 900;

/**
 * The live graph of one mediator: a node per colleague (colour by kind, faded when offline) and
 * an edge per pair that has talked since the page opened. `flow` animates one message along its
 * edge; the container's data-flows / data-last-flow attributes record it for tests and tools.
 */
export class ColleagueGraph {
  private readonly cy: Core;
  private flows = 0;

  constructor(private readonly container: HTMLElement) {
    this.cy = cytoscape({
      container,
      style: stylesheet(),
      layout: { name: 'circle' },
      userZoomingEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: false,
    });
    container.dataset.flows = '0';
  }

  setColleagues(colleagues: ColleagueResponseDto[]): void {
    const known = new Set(colleagues.map((c) => c.id));
    this.cy.nodes('.colleague').forEach((node) => {
      if (!known.has(node.id())) node.remove();
    });
    for (const c of colleagues) this.upsert(c);
    this.relayout();
  }

  setOnline(id: string, online: boolean): void {
    this.cy.getElementById(id).toggleClass('offline', !online);
  }

  /** A message (or command, event, task…) going from one colleague to another. */
  flow(from: string, to: string | null, kind: string): void {
    const source = this.ensureNode(from);
    this.flows += 1;
    this.container.dataset.flows = String(this.flows);
    this.container.dataset.lastFlow = `${from}->${to ?? '*'}:${kind}`;
    if (!to || to === from) return this.pulse(source);
    const target = this.ensureNode(to);
    const edge = this.ensureEdge(from, to);
    edge.data('count', Number(edge.data('count') ?? 0) + 1);
    edge.data('colour', KIND_COLOURS[kind] ?? '#888');
    edge.addClass('flowing');
    this.container.classList.add('animating');
    const dot = this.cy.add({
      group: 'nodes',
      classes: 'dot',
      data: { id: `dot-${this.flows}`, colour: KIND_COLOURS[kind] ?? '#888' },
      position: { ...source.position() },
    });
    dot.animate(
      { position: { ...target.position() } },
      { duration: FLOW_MS, easing: 'ease-in-out' },
    );
    setTimeout(() => {
      dot.remove();
      edge.removeClass('flowing');
      if (!this.cy.edges('.flowing').length) this.container.classList.remove('animating');
    }, FLOW_MS + 50);
  }

  destroy(): void {
    this.cy.destroy();
  }

  private upsert(c: ColleagueResponseDto): void {
    const existing = this.cy.getElementById(c.id);
    const data = { id: c.id, label: c.id, colour: KIND_COLOURS[c.type] ?? '#888', kind: c.type };
    if (existing.nonempty()) existing.data(data);
    else this.cy.add({ group: 'nodes', classes: 'colleague', data });
    this.setOnline(c.id, c.online);
  }

  private ensureNode(id: string) {
    const node = this.cy.getElementById(id);
    if (node.nonempty()) return node;
    // A sender the list did not have yet (registered a moment ago): drawn until the next refresh.
    const added = this.cy.add({
      group: 'nodes',
      classes: 'colleague',
      data: { id, label: id, colour: '#888' },
    });
    this.relayout();
    return added;
  }

  private ensureEdge(from: string, to: string) {
    const id = `${from}->${to}`;
    const edge = this.cy.getElementById(id);
    if (edge.nonempty()) return edge;
    const definition: ElementDefinition = {
      group: 'edges',
      data: { id, source: from, target: to, count: 0 },
    };
    return this.cy.add(definition);
  }

  private pulse(node: ReturnType<Core['getElementById']>): void {
    node.addClass('pulse');
    setTimeout(() => node.removeClass('pulse'), FLOW_MS);
  }

  private relayout(): void {
    this.cy.nodes('.colleague').layout({ name: 'circle', padding: 30 }).run();
  }
}

function stylesheet(): cytoscape.StylesheetJson {
  return [
    {
      selector: 'node.colleague',
      style: {
        'background-color': 'data(colour)',
        label: 'data(label)',
        color: '#222',
        'font-size': 12,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        width: 34,
        height: 34,
        'border-width': 3,
        'border-color': '#2a9d3a',
      },
    },
    { selector: 'node.offline', style: { opacity: 0.45, 'border-color': '#999' } },
    { selector: 'node.pulse', style: { 'border-color': '#111', 'border-width': 6 } },
    {
      selector: 'node.dot',
      style: { width: 12, height: 12, 'background-color': 'data(colour)', label: '' },
    },
    {
      selector: 'edge',
      style: {
        width: 2,
        'line-color': '#c8c8c8',
        'target-arrow-color': '#c8c8c8',
        'target-arrow-shape': 'triangle',
        'curve-style': 'bezier',
        label: 'data(count)',
        'font-size': 10,
        color: '#555',
      },
    },
    {
      selector: 'edge.flowing',
      style: { width: 5, 'line-color': 'data(colour)', 'target-arrow-color': 'data(colour)' },
    },
  ];
}
