import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { seedPlots, trainingPlot } from './plots.js';
import { renderSvg, svgToPng, writePlot } from './render.js';

const dir = mkdtempSync(join(tmpdir(), 'asl-plots-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('plots rendered headless', () => {
  it('renders each plot as SVG with its title and axis titles, and as PNG', async () => {
    for (const plot of seedPlots()) {
      const svg = await renderSvg(plot.spec);
      assert.match(svg, /^<svg/);
      assert.match(svg, /font-family="DejaVu Sans"/);
      const png = svgToPng(svg);
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
      const width = png.readUInt32BE(16);
      assert.ok(width >= 800 * 1.5, `${plot.name}: ${width} px wide`);
    }
    const [first] = seedPlots();
    const svg = await renderSvg(first.spec);
    assert.match(svg, /Single-label ASL against gamma_neg/);
    assert.match(svg, /gamma_neg<\/text>/);
  });

  it('writes svg, png and json, with nothing left under a temporary name', async () => {
    const plot = trainingPlot([
      {
        loss: 'bce',
        epochs: [
          { epoch: 1, valMap: 20 },
          { epoch: 2, valMap: 25 },
        ],
      },
      {
        loss: 'asl',
        epochs: [
          { epoch: 1, valMap: 24 },
          { epoch: 2, valMap: 31 },
        ],
      },
    ]);
    const written = await writePlot(dir, plot, true);
    assert.deepEqual(written.map((f) => f.slice(dir.length + 1)).sort(), [
      '5-training-curves.json',
      '5-training-curves.png',
      '5-training-curves.svg',
    ]);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.tmp-')),
      [],
    );
    assert.equal(JSON.parse(readFileSync(join(dir, '5-training-curves.json'), 'utf8')).length, 2);
  });
});

describe('live sweep specs (the web page)', () => {
  it("the user's point outside the sweep's range is not drawn and does not stretch the y axis", async () => {
    const { compile } = await import('vega-lite');
    const { parse, View } = await import('vega');
    const { gammaNegFlatSpec } = await import('./specs.js');
    const { gammaNegSweep } = await import('../seed/walkthrough.js');
    const points = gammaNegSweep(0);
    const xMax = Math.max(...points.map((p) => p.x));
    const yDomain = async (x: number, loss: number) => {
      const spec = gammaNegFlatSpec(points, { live: true, highlight: { x, loss } });
      const view = new View(parse(compile(spec).spec), { renderer: 'none' });
      await view.runAsync();
      const domain = view.scale('y').domain() as number[];
      // The scenegraph's root group holds the layers' marks (vega's Scene type omits `root`).
      const scene = view.scenegraph() as unknown as {
        root: { items: { items: { marktype: string; items: unknown[] }[] }[] };
      };
      const marks = scene.root.items[0].items.filter((m) => m.marktype === 'symbol');
      view.finalize();
      return { domain, points: marks.reduce((s, m) => s + m.items.length, 0) };
    };
    const inside = await yDomain(xMax / 2, points[0].loss);
    const outside = await yDomain(xMax + 2, points[0].loss + 5);
    const below = await yDomain(-1, points[0].loss - 5);
    assert.deepEqual(outside.domain, inside.domain);
    assert.deepEqual(below.domain, inside.domain);
    assert.equal(outside.points, inside.points - 1);
  });
});
