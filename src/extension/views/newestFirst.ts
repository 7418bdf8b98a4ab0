/**
 * Where a changed run goes in a newest-first list: run folders are named by their start time, so the
 * list is ordered by name, descending. Shared by the host's run list and the webviews that mirror it.
 */

/** A copy of the list with `item` in place of the entry with its key, or inserted in order if new. */
export function upsertNewestFirst<T>(list: readonly T[], item: T, key: (entry: T) => string): T[] {
  const wanted = key(item);
  const rest = list.filter((entry) => key(entry) !== wanted);
  const at = rest.findIndex((entry) => key(entry) < wanted);
  return at < 0 ? [...rest, item] : [...rest.slice(0, at), item, ...rest.slice(at)];
}
