/** Entries per block before a block is split in two; small enough that splicing stays cheap. */
const MAX_BLOCK = 128;

/**
 * An ordered collection that keeps insertion, removal and in-order scans cheap at any size: the
 * items live in short sorted blocks, found by binary search. Routing keeps ready workers and
 * waiting tasks in these, so one routing decision costs about the same with 100 workers as with
 * 10,000. An item's sort key must not change while it is inside: remove it, change it, add it.
 */
export class SortedBag<T> {
  private readonly blocks: T[][] = [];
  private count = 0;

  /** @param compare - a total order; items that compare equal keep insertion order */
  constructor(readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.count;
  }

  /** The first item in order, if any. */
  first(): T | undefined {
    return this.blocks[0]?.[0];
  }

  add(item: T): void {
    const blocks = this.blocks;
    this.count++;
    if (blocks.length === 0) {
      blocks.push([item]);
      return;
    }
    // The first block whose last item sorts after the new one, else the last block.
    let index = this.firstBlock((last) => this.compare(last, item) > 0);
    if (index === blocks.length) index--;
    const block = blocks[index]!;
    block.splice(
      this.firstInBlock(block, (entry) => this.compare(entry, item) > 0),
      0,
      item,
    );
    if (block.length > MAX_BLOCK) blocks.splice(index + 1, 0, block.splice(MAX_BLOCK >> 1));
  }

  /** Removes `item` (found by its sort key, then by identity); false when it is not inside. */
  delete(item: T): boolean {
    const blocks = this.blocks;
    for (
      let index = this.firstBlock((last) => this.compare(last, item) >= 0);
      index < blocks.length;
      index++
    ) {
      const block = blocks[index]!;
      for (
        let at = this.firstInBlock(block, (entry) => this.compare(entry, item) >= 0);
        at < block.length;
        at++
      ) {
        const entry = block[at]!;
        if (entry === item) {
          block.splice(at, 1);
          if (block.length === 0) blocks.splice(index, 1);
          this.count--;
          return true;
        }
        if (this.compare(entry, item) !== 0) return false;
      }
    }
    return false;
  }

  /** Visits the items in order until `visit` returns false. The bag must not change meanwhile. */
  scan(visit: (item: T) => boolean): void {
    for (const block of this.blocks) {
      for (const item of block) if (!visit(item)) return;
    }
  }

  private firstBlock(test: (last: T) => boolean): number {
    let low = 0;
    let high = this.blocks.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const block = this.blocks[middle]!;
      if (test(block[block.length - 1]!)) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  private firstInBlock(block: readonly T[], test: (entry: T) => boolean): number {
    let low = 0;
    let high = block.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (test(block[middle]!)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
