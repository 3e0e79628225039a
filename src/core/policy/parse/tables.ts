/**
 * Tables whose cells were flattened with no separators, as copying a web table into plain text
 * does: "Security logsTypically 90 daysPurged automatically". A cell boundary shows as a lower-case
 * letter (or digit or closing bracket) directly followed by an upper-case letter. Brand names do
 * the same ("OakNex"), so a run of lines is read as a table only when every line splits into the
 * same number of cells, and words written that way elsewhere in the document are not split.
 */

const JOINT = /(?<=[a-z0-9)\]%])(?=[A-Z][a-z]|[A-Z]{2,}\b|[A-Z]\b)/g;
const HAS_JOINT = new RegExp(JOINT.source);

/** Splits one flattened line into cells, leaving alone words that occur whole elsewhere. */
export function splitCells(line: string, protectedWords: Set<string>): string[] {
  const cuts: number[] = [];
  for (const m of line.matchAll(JOINT)) {
    const at = m.index ?? 0;
    // The whole word around the joint: is it a name the document also writes on its own?
    const start = line.lastIndexOf(' ', at) + 1;
    const endSpace = line.indexOf(' ', at);
    const word = line.slice(start, endSpace === -1 ? undefined : endSpace).replace(/[^\p{L}\p{N}]+$/u, '');
    if (protectedWords.has(word)) continue;
    cuts.push(at);
  }
  const cells: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    cells.push(line.slice(from, cut).trim());
    from = cut;
  }
  cells.push(line.slice(from).trim());
  return cells.filter(Boolean);
}

/** Words with an inner capital that the document writes elsewhere as ordinary words. */
export function camelWords(exceptLines: Set<number>, lines: string[]): Set<string> {
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    if (exceptLines.has(i)) return;
    for (const m of line.matchAll(/\b[\p{L}\p{N}]*[a-z0-9][A-Z][\p{L}\p{N}]*\b/gu)) seen.add(m[0]);
  });
  return seen;
}

/** A candidate row: short, no sentence punctuation at its end, at least one joint. */
function candidate(line: string): boolean {
  const t = line.trim();
  if (!t || t.length > 300 || /^[-*•|#]/.test(t) || /[.!?:;]$/.test(t)) return false;
  return HAS_JOINT.test(t);
}

/**
 * Finds runs of flattened-table lines (blank lines between rows are allowed) and returns, for
 * each line index in a table, its cells and the table's header.
 */
export interface FlatRow {
  cells: string[];
  header: string[] | null;
  /** The row is the table's header: its words live on in every other row's `header`. */
  isHeader: boolean;
}

export function findFlattenedTables(lines: string[]): Map<number, FlatRow> {
  const result = new Map<number, FlatRow>();
  const candidates = lines.map(candidate);
  let i = 0;
  while (i < lines.length) {
    if (!candidates[i]) {
      i++;
      continue;
    }
    // Collect the run of candidate lines, skipping blank lines between them.
    const run: number[] = [];
    let j = i;
    while (j < lines.length && (candidates[j] || lines[j]!.trim() === '')) {
      if (candidates[j]) run.push(j);
      j++;
    }
    i = j;
    if (run.length < 2) continue;
    const protectedWords = camelWords(new Set(run), lines);
    const rows = run.map((k) => splitCells(lines[k]!.trim(), protectedWords));
    const width = rows[0]!.length;
    if (width < 2 || !rows.every((r) => r.length === width)) continue;
    // A header row has short cells without digits ("DataKept forAfter deletion").
    const first = rows[0]!;
    const isHeader = first.every((c) => c.split(/\s+/).length <= 4 && !/\d/.test(c));
    run.forEach((k, n) => {
      result.set(k, {
        cells: rows[n]!,
        header: isHeader && n > 0 ? first : null,
        isHeader: isHeader && n === 0,
      });
    });
  }
  return result;
}
