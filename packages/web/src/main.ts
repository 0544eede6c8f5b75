/**
 * The explorer page: Explore (the loss and gradient curves, live) and Try (a tagger trained in
 * the browser). Both use the library itself. The settings live in the URL's query
 * (`page-state.ts`): the page starts from it and keeps it up to date, so a link shares a setting.
 */
import { plotFont } from 'asymmetric-loss-tagger/plots';
import fontUrl from 'asymmetric-loss-tagger/assets/fonts/DejaVuSans.ttf?url';
import { loadPlotFont, renderOnResize } from './charts.js';
import { setupExplore, type ExploreState } from './explore.js';
import { epsChoices } from './explore-model.js';
import { defaultPageState, queryOf, stateFromQuery, type PageState } from './page-state.js';
import { setupTry, type TryState } from './try.js';

declare global {
  interface Window {
    /** The page's state, for the end-to-end tests and the curious (browser console). */
    asl?: {
      explore?: ExploreState;
      try?: TryState;
      ready?: Promise<void>;
      /** The settings as the URL holds them. */
      pageState?: () => PageState;
    };
  }
}

function input(id: string): HTMLInputElement & HTMLSelectElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`explorer: element #${id} is missing`);
  return found as HTMLInputElement & HTMLSelectElement;
}

/** Sets the page's inputs to `state` (before the panels read them). */
function applyState(state: PageState): void {
  const e = state.explore;
  input('gamma-neg').value = String(e.gammaNeg);
  input('gamma-pos').value = String(e.gammaPos);
  input('clip').value = String(e.clip);
  input('eps').value = String(Math.max(0, epsChoices.indexOf(e.eps)));
  input('focal-grad').value = e.focalGrad;
  input('fit-y').checked = state.fit;
  input('train-size').value = String(state.trainSize);
  input('epochs').value = String(state.epochs);
  input('backend').value = state.backend;
  input('use-explore').checked = state.useExplore;
}

/** The state the page's inputs hold now. */
function readState(explore: ExploreState): PageState {
  return stateFromQuery(
    new URLSearchParams({
      trainSize: input('train-size').value,
      epochs: input('epochs').value,
      backend: input('backend').value,
      useExplore: input('use-explore').checked ? '1' : '0',
    }).toString(),
    { ...defaultPageState, explore: explore.settings(), fit: explore.fit() },
  );
}

async function start(): Promise<void> {
  applyState(stateFromQuery(location.search));
  await loadPlotFont(fontUrl, plotFont);
  const explore = await setupExplore();
  const panel = setupTry(explore.settings);
  const sync = () => {
    void explore.settled().then(() => {
      const query = queryOf(readState(explore));
      if (query !== location.search)
        history.replaceState(null, '', `${location.pathname}${query}${location.hash}`);
    });
  };
  for (const type of ['input', 'change', 'click'])
    document.addEventListener(type, () => setTimeout(sync, 0));
  window.asl = { ...window.asl, explore, try: panel, pageState: () => readState(explore) };
  renderOnResize([...explore.charts, ...panel.charts]);
}

/** Production builds work offline once loaded: the service worker caches the whole build. */
function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js').catch((error: unknown) => {
    console.warn('offline mode unavailable:', error);
  });
}

window.asl = { ready: start() };
registerServiceWorker();
