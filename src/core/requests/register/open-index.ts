import { isOpen, type RequestState } from '../model.js';

/**
 * The open requests in list order (due date, then id), kept between queries: listing the open
 * requests, or those due within a week, then walks a sorted array instead of sorting 100,000
 * requests on every call. Changes are noted as they are folded in and merged on the next read, so
 * a bulk add pays one sort of what it added, not one insertion per request.
 *
 * The snapshot stores requests in this order ({@link RegisterLog.snapshot}), so a fresh process
 * takes the order as it finds it and only checks it.
 */
export class OpenIndex {
  /** The list key of each entry; built on the first merge after a seed. */
  private keys: string[] | undefined = [];
  private entries: RequestState[] = [];
  /** Requests changed since the last merge, by id: their latest state, open or not. */
  private readonly changed = new Map<string, RequestState>();

  /**
   * Starts from requests as a snapshot stored them: when their open ones are in list order (as
   * {@link RegisterLog.snapshot} writes them) they are taken as they are, in one pass and without
   * building a key; otherwise they are noted and sorted on the first read.
   */
  seed(requests: readonly RequestState[]): void {
    const open = requests.filter((r) => isOpen(r.status));
    if (this.entries.length > 0 || this.changed.size > 0 || !inListOrder(open)) {
      for (const request of open) this.note(request);
      return;
    }
    this.entries = open;
    this.keys = undefined;
  }

  /** Records the latest state of a request; merged on the next {@link ordered}. */
  note(request: RequestState): void {
    this.changed.set(request.id, request);
  }

  /** The open requests, by due date then id; the same array until the next change. */
  ordered(): readonly RequestState[] {
    if (this.changed.size > 0) this.merge();
    return this.entries;
  }

  private merge(): void {
    const fresh: Array<{ key: string; request: RequestState }> = [];
    for (const request of this.changed.values())
      if (isOpen(request.status)) fresh.push({ key: listKey(request), request });
    // Requests arrive in list order from a snapshot: then this is one pass, not a sort.
    if (!isSorted(fresh)) fresh.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const keys: string[] = [];
    const entries: RequestState[] = [];
    const old = this.keys ?? this.entries.map(listKey);
    let j = 0;
    for (let i = 0; i < this.entries.length; i++) {
      const request = this.entries[i]!;
      if (this.changed.has(request.id)) continue;
      const key = old[i]!;
      while (j < fresh.length && fresh[j]!.key < key) {
        keys.push(fresh[j]!.key);
        entries.push(fresh[j]!.request);
        j++;
      }
      keys.push(key);
      entries.push(request);
    }
    for (; j < fresh.length; j++) {
      keys.push(fresh[j]!.key);
      entries.push(fresh[j]!.request);
    }
    this.keys = keys;
    this.entries = entries;
    this.changed.clear();
  }
}

/** Where an open request sorts in a list: its due date, then its id. */
export function listKey(request: RequestState): string {
  return `${request.deadlines.due}${request.id}`;
}

/** True when the requests are in list order (due date, then id), compared without building keys. */
function inListOrder(requests: readonly RequestState[]): boolean {
  for (let i = 1; i < requests.length; i++) {
    const a = requests[i - 1]!;
    const b = requests[i]!;
    const due = a.deadlines.due;
    if (due > b.deadlines.due || (due === b.deadlines.due && a.id > b.id)) return false;
  }
  return true;
}

function isSorted(items: Array<{ key: string }>): boolean {
  for (let i = 1; i < items.length; i++) if (items[i - 1]!.key > items[i]!.key) return false;
  return true;
}
