/** Event types grouped by the part of their name before the first dot (`invoice.paid` → `invoice`). */
export interface EventTypeGroup<T extends { name: string }> {
  prefix: string;
  types: T[];
}

export const UNGROUPED = 'Other';

export function eventTypePrefix(name: string): string {
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(0, dot) : UNGROUPED;
}

/** Groups in name order, the types of each in name order; "Other" last. */
export function groupEventTypes<T extends { name: string }>(types: readonly T[]): EventTypeGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const type of [...types].sort((a, b) => a.name.localeCompare(b.name))) {
    const prefix = eventTypePrefix(type.name);
    const list = groups.get(prefix);
    if (list) list.push(type);
    else groups.set(prefix, [type]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === UNGROUPED ? 1 : b === UNGROUPED ? -1 : a.localeCompare(b)))
    .map(([prefix, list]) => ({ prefix, types: list }));
}
