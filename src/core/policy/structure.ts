import type { Clause, Section } from './model.js';
import type { Block } from './parse/blocks.js';
import { sentences } from './text.js';

const TITLE_RE =
  /\b(privacy|cookie|data protection)\b.*\b(policy|notice|statement)\b|^(privacy|privacy policy)$/i;

/**
 * Builds sections and clauses from a flat block list. Heading levels come from markup or numbering
 * ("2.1" is below "2"); an unmarked heading sits one level below the last numbered one, so
 * "Account & billing" under "2. What we collect" nests there. A leading "Privacy Policy" line is the
 * document title, not a section.
 */
export function buildStructure(blocks: Block[]): {
  sections: Section[];
  clauses: Clause[];
  title: string | null;
} {
  const sections: Section[] = [];
  const clauses: Clause[] = [];
  let title: string | null = null;
  const root: Section = { id: 's0', title: '', level: 0, parents: [], clauseIds: [] };
  sections.push(root);
  const stack: Section[] = [];
  let current = root;
  let lastNumberedLevel = 0;
  let lastMarkupLevel = 0;
  let lead: string | undefined;
  /** The last list item at each nesting level: a nested item's lead-in is its parent item. */
  let items: string[] = [];
  let seenContent = false;

  blocks.forEach((block) => {
    if (block.kind === 'heading') {
      if (!seenContent && title === null && TITLE_RE.test(block.text) && !block.number) {
        title = block.text;
        if (!root.title) root.title = block.text;
        return;
      }
      let level: number;
      if (block.number) {
        level = block.number.split('.').length;
        lastNumberedLevel = level;
      } else if (block.level && block.level > 0) {
        level = block.level;
        lastMarkupLevel = level;
      } else {
        level =
          lastNumberedLevel > 0
            ? lastNumberedLevel + 1
            : Math.max(1, lastMarkupLevel + (lastMarkupLevel ? 1 : 0));
      }
      while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
      const section: Section = {
        id: `s${sections.length}`,
        ...(block.number ? { number: block.number } : {}),
        title: block.text,
        level,
        parents: stack.map(headingLabel),
        clauseIds: [],
      };
      sections.push(section);
      stack.push(section);
      current = section;
      lead = undefined;
      items = [];
      return;
    }
    // A stray mark left by a template ("-" between two removed tags) is no text before the title.
    if (/[\p{L}\p{N}]/u.test(block.text)) seenContent = true;
    const depth = block.level ?? 0;
    const itemLead = block.kind === 'list-item' ? (depth > 0 ? (items[depth - 1] ?? lead) : lead) : undefined;
    const clause: Clause = {
      id: `${current.id}.c${current.clauseIds.length + 1}`,
      sectionId: current.id,
      kind: block.kind,
      text: block.text,
      ...(block.cells ? { cells: block.cells } : {}),
      ...(block.header ? { header: block.header } : {}),
      ...(itemLead ? { lead: itemLead } : {}),
      sentences: block.kind === 'table-row' ? [block.text] : sentences(block.text),
    };
    current.clauseIds.push(clause.id);
    clauses.push(clause);
    // The paragraph before a list introduces it ("We collect:"); list items read better with it.
    // When it ends with a colon, its last sentence is the lead-in ("... This page explains:").
    if (block.kind === 'paragraph') {
      lead = /:$/.test(block.text) ? clause.sentences[clause.sentences.length - 1] : block.text;
      items = [];
    } else if (block.kind === 'list-item') {
      items = [...items.slice(0, depth), block.text];
    }
  });
  return { sections: sections.filter((s) => s.id !== 's0' || s.clauseIds.length > 0), clauses, title };
}

/** "5. Retention", "Retention", or for a document without headings "paragraph 4". */
export function sectionLabel(section: Section | undefined, clauseIndexInSection: number): string {
  if (section?.title && section.id !== 's0') return headingLabel(section);
  return `paragraph ${clauseIndexInSection + 1}`;
}

/** A heading as printed, "2.1. Account Information" (also how a subsection names its parents). */
export function headingLabel(section: Pick<Section, 'number' | 'title'>): string {
  return section.number ? `${section.number}. ${section.title}` : section.title;
}
