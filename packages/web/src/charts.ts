/**
 * Embedding the library's vega-lite specs in the page, sized to their container.
 */
import embed, { type Result } from 'vega-embed';
import type { TopLevelSpec } from 'vega-lite';
import type { View } from 'vega';

/** The font of the specs (`plotFont`), shipped with the page so the charts look as the PNGs. */
export async function loadPlotFont(url: string, family: string): Promise<void> {
  try {
    const face = new FontFace(family, `url(${JSON.stringify(url)})`);
    document.fonts.add(await face.load());
  } catch {
    // Charts fall back to the default sans-serif font.
  }
}

/** Average glyph width of the plot font, in ems (DejaVu Sans runs wide; a margin included). */
const glyphEms = 0.62;

/** Splits `text` at spaces into lines of at most `maxChars` characters (long words stay whole). */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

type TitleLike = string | string[] | { text?: unknown; subtitle?: unknown; fontSize?: unknown };

function wrapLines(value: unknown, maxChars: number): unknown {
  if (typeof value === 'string') {
    const lines = wrapText(value, maxChars);
    return lines.length === 1 ? lines[0] : lines;
  }
  if (Array.isArray(value))
    return value.flatMap((line) => (typeof line === 'string' ? wrapText(line, maxChars) : [line]));
  return value;
}

function wrapTitle(
  title: TitleLike,
  width: number,
  fontSize: number,
  subtitleSize: number,
): TitleLike {
  if (typeof title === 'string' || Array.isArray(title))
    return wrapLines(title, Math.floor(width / (glyphEms * fontSize))) as TitleLike;
  const size = typeof title.fontSize === 'number' ? title.fontSize : fontSize;
  return {
    ...title,
    text: wrapLines(title.text, Math.floor(width / (glyphEms * size))),
    ...(title.subtitle !== undefined
      ? { subtitle: wrapLines(title.subtitle, Math.floor(width / (glyphEms * subtitleSize))) }
      : {}),
  };
}

/**
 * Wraps every title and subtitle of `spec` (the top level's and those of its concatenated and
 * layered views) into lines that fit: the top level's in `width`, a view's in its own width
 * when it states one. Narrow screens get two-line titles instead of titles cut with "…".
 */
export function wrapTitles(spec: TopLevelSpec, width: number): TopLevelSpec {
  const config = (spec as { config?: { title?: { fontSize?: number; subtitleFontSize?: number } } })
    .config;
  const fontSize = config?.title?.fontSize ?? 13;
  const subtitleSize = config?.title?.subtitleFontSize ?? 12;
  const visit = (node: unknown, available: number): unknown => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
    const view = node as Record<string, unknown>;
    const own = typeof view.width === 'number' ? view.width : available;
    const out: Record<string, unknown> = { ...view };
    if (view.title !== undefined)
      out.title = wrapTitle(view.title as TitleLike, Math.max(120, own), fontSize, subtitleSize);
    for (const key of ['vconcat', 'hconcat', 'concat', 'layer'])
      if (Array.isArray(view[key])) out[key] = (view[key] as unknown[]).map((v) => visit(v, own));
    return out;
  };
  return visit(spec, width) as TopLevelSpec;
}

/**
 * A chart whose spec depends on the width of its container; re-embedded when it changes. A
 * live update replaces a view's data and then runs `view.resize().runAsync()`: without
 * `resize()` vega keeps the old layout, and axis labels that grew are cut at the chart's edge.
 */
export class Chart {
  readonly #element: HTMLElement;
  readonly #build: (width: number) => TopLevelSpec;
  #result: Result | null = null;
  #width = 0;
  #pending: Promise<View> | null = null;
  readonly #onView: (view: View) => void;

  /**
   * @param element - The container.
   * @param build - The spec for a container width (in CSS pixels).
   * @param onView - Called with each new view (after the first embed and each re-embed).
   */
  constructor(
    element: HTMLElement,
    build: (width: number) => TopLevelSpec,
    onView: (view: View) => void = () => {},
  ) {
    this.#element = element;
    this.#build = build;
    this.#onView = onView;
  }

  /** The current view (null before the first render). */
  get view(): View | null {
    return this.#result?.view ?? null;
  }

  /** Removes the chart, leaving `placeholder` text (the next render starts afresh). */
  clear(placeholder: string): void {
    this.#result?.finalize();
    this.#result = null;
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = placeholder;
    this.#element.replaceChildren(p);
  }

  /** Renders (or re-renders when the width changed, or `force`); resolves to the view. */
  async render(force = false): Promise<View> {
    const width = Math.floor(this.#element.clientWidth);
    if (!force && this.#result !== null && width === this.#width) return this.#result.view;
    if (this.#pending !== null) await this.#pending.catch(() => undefined);
    this.#width = width;
    const run = async () => {
      this.#result?.finalize();
      // Titles are wrapped to the width rather than cut with an ellipsis.
      this.#result = await embed(this.#element, wrapTitles(this.#build(width), width - 10), {
        actions: false,
        renderer: 'svg',
        tooltip: { theme: 'light' },
      });
      this.#onView(this.#result.view);
      return this.#result.view;
    };
    this.#pending = run();
    try {
      return await this.#pending;
    } finally {
      this.#pending = null;
    }
  }
}

/** Re-renders `charts` when the window's width changes (debounced). */
export function renderOnResize(charts: readonly Chart[]): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastWidth = window.innerWidth;
  window.addEventListener('resize', () => {
    if (window.innerWidth === lastWidth) return;
    lastWidth = window.innerWidth;
    clearTimeout(timer);
    timer = setTimeout(() => {
      for (const chart of charts) if (chart.view !== null) void chart.render();
    }, 150);
  });
}
