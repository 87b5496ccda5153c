/** Demo times are Beijing time written with their offset. */
export const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
/** Due dates are the end of a Beijing working day. */
export const endOf = (date: string) => new Date(`${date}T23:59:59.999+08:00`);
const DAY = 86_400_000;
/** The objection window (15 days, the demo labs' setting) runs from the issue instant. */
export const plusDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY);
