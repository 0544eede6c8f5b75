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

/** A chart whose spec depends on the width of its container; re-embedded when it changes. */
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
      this.#result = await embed(this.#element, this.#build(width), {
        actions: false,
        renderer: 'svg',
        tooltip: { theme: 'light' },
        // Long titles end with an ellipsis rather than overflow a narrow screen.
        config: { title: { limit: Math.max(160, width - 20) } },
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
