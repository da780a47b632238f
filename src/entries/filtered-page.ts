import { keysetOf, type CalendarObject, type ObjectPage, type ObjectQuery, type Store } from '../store/types.js';

const MIN_BATCH = 16;

/**
 * One page of the objects that pass `keep`. The store answers a prefilter in SQL (a series'
 * envelope, say); the exact test runs here, on keyset batches, until the page is full. The
 * cursor is the last kept object's, so the next page resumes right after it.
 */
export async function filteredPage(
  store: Pick<Store, 'listObjects'>, query: ObjectQuery & { limit: number }, keep: (o: CalendarObject) => boolean,
): Promise<ObjectPage> {
  const kept: CalendarObject[] = [];
  let after = query.after;
  for (;;) {
    // One candidate past the page tells whether a next page exists, so a page whose candidates
    // all pass costs one query, not a second batch read only to find that out.
    const want = Math.max(query.limit + 1 - kept.length, MIN_BATCH);
    const batch = await store.listObjects({ ...query, limit: want, ...(after ? { after } : {}) });
    for (const o of batch.objects) {
      if (!keep(o)) continue;
      if (kept.length === query.limit) return { objects: kept, next: keysetOf(kept[kept.length - 1]!, query.order) };
      kept.push(o);
    }
    if (!batch.next) return { objects: kept, next: null };
    after = batch.next;
  }
}
