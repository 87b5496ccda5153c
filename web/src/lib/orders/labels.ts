import type { TFunction } from 'i18next';
import { SERVICE_KINDS } from '$lib/types';

/**
 * Units a line is priced in, as the API writes them (`unit` of an order line): the web names
 * these in both languages; a unit the lab typed itself ("片", "件") is shown as written.
 */
export const PRICE_UNITS = ['sample', 'hour', 'item', 'day', 'person', 'instrument'] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/** "委托检测" / "Commissioned testing" (the kind's name: its messages also hold a description). */
export function serviceKindName(t: TFunction, kind: string): string {
  return isOneOf(SERVICE_KINDS, kind) ? t(`serviceKinds.${kind}.name`) : kind;
}

/** "小时" / "h" for `hour`; anything else as written. */
export function unitName(t: TFunction, unit: string): string {
  return isOneOf(PRICE_UNITS, unit) ? t(`orders.units.${unit}`) : unit;
}
