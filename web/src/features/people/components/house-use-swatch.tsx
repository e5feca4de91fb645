import type { HouseUse } from '../../../api-types';

/** The colour square of a house use, as in the building map's legend (colours in console.css). */
export function HouseUseSwatch({ use }: { use: HouseUse }) {
  return <span className={`linli-swatch linli-use-${use}`} aria-hidden="true" />;
}
