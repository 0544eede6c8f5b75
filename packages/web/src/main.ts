/**
 * The explorer page: Explore (the loss and gradient curves, live) and Try (a tagger trained in
 * the browser). Both use the library itself.
 */
import { plotFont } from 'asymmetric-loss-tagger/plots';
import fontUrl from 'asymmetric-loss-tagger/assets/fonts/DejaVuSans.ttf?url';
import { loadPlotFont, renderOnResize } from './charts.js';
import { setupExplore, type ExploreState } from './explore.js';
import { setupTry, type TryState } from './try.js';

declare global {
  interface Window {
    /** The page's state, for the end-to-end tests and the curious (browser console). */
    asl?: { explore?: ExploreState; try?: TryState; ready?: Promise<void> };
  }
}

async function start(): Promise<void> {
  await loadPlotFont(fontUrl, plotFont);
  const explore = await setupExplore();
  const panel = setupTry(explore.settings);
  window.asl = { ...window.asl, explore, try: panel };
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
