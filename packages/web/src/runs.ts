/**
 * The Try panel's two runs, as every view names and colours them.
 */
import type { RunName } from './protocol.js';

/** The runs, in display order. */
export const runNames: readonly RunName[] = ['bce', 'asl'];

/** Their names on the page. */
export const runLabels: Record<RunName, string> = { bce: 'BCE', asl: 'ASL' };

/**
 * Their colours: the first two of vega's default category scheme, which the validation-mAP chart
 * (the CLI's training-curves spec, default colours, losses in this order) gives them too.
 */
export const runColors: Record<RunName, string> = { bce: '#4c78a8', asl: '#f58518' };
