/** Index of the first item whose sequence number is at least `seq`, in a list sorted by it. */
export function seqIndex(items: readonly { readonly seq: number }[], seq: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (items[middle]!.seq >= seq) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * A map by SID that also keeps its values in an array sorted by sequence number (creation
 * order), so a list page can start at any item with a binary search instead of a walk through
 * every item before it.
 */
export class SeqMap<T extends { readonly seq: number }> extends Map<string, T> {
  private readonly sorted: T[] = [];

  /** The values, oldest first. Read only: it changes with the map. */
  get ordered(): readonly T[] {
    return this.sorted;
  }

  override set(key: string, value: T): this {
    const previous = super.get(key);
    if (previous !== undefined) this.unlist(previous);
    super.set(key, value);
    const sorted = this.sorted;
    // New records arrive in creation order: appending is the rule, inserting the exception.
    if (sorted.length === 0 || sorted[sorted.length - 1]!.seq < value.seq) sorted.push(value);
    else sorted.splice(seqIndex(sorted, value.seq), 0, value);
    return this;
  }

  override delete(key: string): boolean {
    const value = super.get(key);
    if (value === undefined) return false;
    this.unlist(value);
    return super.delete(key);
  }

  override clear(): void {
    this.sorted.length = 0;
    super.clear();
  }

  private unlist(value: T): void {
    const sorted = this.sorted;
    for (let index = seqIndex(sorted, value.seq); index < sorted.length; index++) {
      if (sorted[index] === value) {
        sorted.splice(index, 1);
        return;
      }
      if (sorted[index]!.seq !== value.seq) return;
    }
  }
}
