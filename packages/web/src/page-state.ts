/**
 * The page's settings as a URL query, so that a setting can be shared: the Explore panel's loss
 * settings (the keys of `ExploreSettings`: `gammaNeg`, `gammaPos`, `clip`, `eps`, `focalGrad`),
 * whether its y axes fit the user's curve (`fit`), and the Try panel's training settings
 * (`trainSize`, `epochs`, `backend`, `useExplore`). Values are checked against the ranges the
 * sliders and menus are built from; an invalid or unknown value is ignored (the default stays).
 * No DOM.
 */
import { backendNames, type BackendName } from './backend-names.js';
import {
  epsChoices,
  focalGradChoices,
  initialSettings,
  sliderRanges,
  snapToRange,
  type ExploreSettings,
  type SliderRange,
} from './explore-model.js';

/** The training packages the Try panel offers (0: the whole training split). */
export const trainSizeChoices = [2000, 8000, 0] as const;
/** The epochs the Try panel accepts. */
export const epochRange: SliderRange = { min: 1, max: 20, step: 1 };

/** Everything the URL holds. */
export interface PageState {
  explore: ExploreSettings;
  fit: boolean;
  trainSize: number;
  epochs: number;
  backend: BackendName;
  useExplore: boolean;
}

/** The page's defaults (what an empty query means). */
export const defaultPageState: PageState = {
  explore: { ...initialSettings },
  fit: false,
  trainSize: 8000,
  epochs: 3,
  backend: 'wasm',
  useExplore: false,
};

/** A number of `range`, snapped to its step; undefined when not a number or outside. */
function inRange(text: string, range: SliderRange): number | undefined {
  return text.trim() === '' ? undefined : snapToRange(Number(text), range);
}

function oneOf<T extends string | number>(text: string, choices: readonly T[]): T | undefined {
  return choices.find((c) => String(c) === text);
}

function flag(text: string): boolean | undefined {
  return text === '1' || text === 'true'
    ? true
    : text === '0' || text === 'false'
      ? false
      : undefined;
}

/** The state a query describes: `base` with every valid value of `search` applied. */
export function stateFromQuery(search: string, base: PageState = defaultPageState): PageState {
  const query = new URLSearchParams(search);
  const state: PageState = { ...base, explore: { ...base.explore } };
  const get = (key: string) => query.get(key) ?? '';
  const setExplore = <K extends keyof ExploreSettings>(
    key: K,
    value: ExploreSettings[K] | undefined,
  ) => {
    if (value !== undefined) state.explore[key] = value;
  };
  setExplore('gammaNeg', inRange(get('gammaNeg'), sliderRanges.gammaNeg));
  setExplore('gammaPos', inRange(get('gammaPos'), sliderRanges.gammaPos));
  setExplore('clip', inRange(get('clip'), sliderRanges.clip));
  const eps = get('eps');
  setExplore('eps', eps === '' ? undefined : epsChoices.find((c) => c === Number(eps)));
  setExplore('focalGrad', oneOf(get('focalGrad'), focalGradChoices));
  state.fit = flag(get('fit')) ?? state.fit;
  state.trainSize = oneOf(get('trainSize'), trainSizeChoices) ?? state.trainSize;
  state.epochs = inRange(get('epochs'), epochRange) ?? state.epochs;
  state.backend = oneOf(get('backend'), backendNames) ?? state.backend;
  state.useExplore = flag(get('useExplore')) ?? state.useExplore;
  return state;
}

/** The query of a state: the values that differ from `defaults`, in a fixed order ('' if none). */
export function queryOf(state: PageState, defaults: PageState = defaultPageState): string {
  const query = new URLSearchParams();
  for (const key of ['gammaNeg', 'gammaPos', 'clip', 'eps', 'focalGrad'] as const)
    if (state.explore[key] !== defaults.explore[key]) query.set(key, String(state.explore[key]));
  if (state.fit !== defaults.fit) query.set('fit', state.fit ? '1' : '0');
  if (state.trainSize !== defaults.trainSize) query.set('trainSize', String(state.trainSize));
  if (state.epochs !== defaults.epochs) query.set('epochs', String(state.epochs));
  if (state.backend !== defaults.backend) query.set('backend', state.backend);
  if (state.useExplore !== defaults.useExplore)
    query.set('useExplore', state.useExplore ? '1' : '0');
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}
