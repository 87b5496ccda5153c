import type { QuoteTerms } from '@qihub/db';
import type { Expedite } from './deadline.ts';

const UNIT_OF_PRICE_MODEL: Record<string, string> = {
  fixed: 'item',
  per_sample: 'sample',
  per_hour: 'hour',
  on_quote: 'item',
};

/** The unit a line of a catalogue service is counted in, by the service's price model. */
export const unitOfPriceModel = (priceModel: string): string => UNIT_OF_PRICE_MODEL[priceModel] ?? 'item';

/** The surcharge of an expedite tier under the quote's terms. */
export function expeditePct(terms: QuoteTerms, tier: Expedite): number {
  return tier === 'h72' ? terms.expediteH72Pct : tier === 'h24' ? terms.expediteH24Pct : terms.expediteH8Pct;
}

/**
 * The priced quantity of a requested line. The number of samples is not the priced quantity (three
 * samples of a salt-spray test are not three hours): it stands in only for a service priced per
 * sample or per item. Otherwise, unless the customer gave the quantity, the lab sets it when quoting.
 */
export function requestedQuantity(
  line: { quantity?: number; sampleCount?: number },
  unit: string,
): { quantity: number; known: boolean } {
  if (line.quantity !== undefined) return { quantity: line.quantity, known: true };
  if (unit === 'sample' || unit === 'item') return { quantity: line.sampleCount ?? 1, known: true };
  return { quantity: 1, known: false };
}

/** The largest amount of fen the order columns (PostgreSQL integer) hold. */
export const MAX_FEN = 2_147_483_647;
export const fitsInt4 = (fen: number) => Number.isSafeInteger(fen) && fen >= 0 && fen <= MAX_FEN;
