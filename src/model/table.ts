// A table of a file (section headers, symbols, relocations) whose entries are
// read when asked for. An array is one; the parser's tables decode an entry
// from the file's bytes on each use (keeping small tables), so a table of
// millions of entries costs its bytes on disk, not an object per entry.
export interface Table<Entry> extends Iterable<Entry> {
  readonly length: number;
  /** The entry at `index`, for 0 <= index < length; undefined when it cannot be read. */
  at(index: number): Entry | undefined;
  some(predicate: (entry: Entry) => boolean): boolean;
  every(predicate: (entry: Entry) => boolean): boolean;
  find(predicate: (entry: Entry) => boolean): Entry | undefined;
  filter(predicate: (entry: Entry) => boolean): Entry[];
  map<Result>(convert: (entry: Entry) => Result): Result[];
}
