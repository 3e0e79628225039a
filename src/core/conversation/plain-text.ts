import { type Block, holdText, type RequestView, requesterText, sourcesOf } from './reply.js';

/** Plain text of a reply's blocks, for the console and for notification fallbacks. */
export function plainText(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'text':
      case 'error':
        out.push(b.kind === 'error' && b.reference ? `${b.text} (reference ${b.reference})` : b.text);
        break;
      case 'answer':
        out.push(b.answer);
        for (const c of sourcesOf(b.answer, b.citations))
          out.push(`  source: ${c.policy}, ${c.section}${c.quote === null ? '' : `: “${c.quote}”`}`);
        break;
      case 'request': {
        out.push(requestLine(b.request));
        const hold = holdText(b.request);
        if (hold) out.push(`  ${hold}`);
        if (b.request.requester) out.push(`  requester: ${requesterText(b.request.requester)}`);
        else if (b.request.requester === null) out.push('  requester: (personal data purged)');
        for (const d of b.request.deadlines)
          out.push(`  ${d.kind}: ${d.due}${d.binding ? '' : ' (internal target)'} — ${d.rule} [${d.source}]`);
        for (const e of b.trail ?? [])
          out.push(`  ${e.at} ${e.actor}: ${e.action}${e.text ? ` — ${e.text}` : ''}`);
        break;
      }
      case 'request-list':
        out.push(`${b.title}:`);
        if (b.requests.length === 0) out.push(`  ${b.empty}`);
        for (const r of b.requests) out.push(`  ${requestLine(r)}`);
        break;
      case 'deadline':
        out.push(`${b.regimeLabel}, received ${b.received}: due ${b.due} — ${b.rule} [${b.source}]`);
        for (const d of b.deadlines.filter((d) => d.kind !== 'response'))
          out.push(`  ${d.kind}: ${d.due} — ${d.rule}`);
        break;
      case 'actions':
        break;
    }
  }
  return out.join('\n');
}

function requestLine(r: RequestView): string {
  if (r.outcome)
    return `${r.id} ${r.type} (${r.regimeLabel}) closed: ${r.outcome}, was due ${r.due}, owner ${r.owner ?? 'unassigned'}`;
  const when =
    r.daysLeft < 0
      ? `${-r.daysLeft} days overdue`
      : r.daysLeft === 0
        ? 'due today'
        : `${r.daysLeft} days left`;
  const waiting =
    r.onHold && !r.onHold.clockStopped ? ` (waiting on the requester since ${r.onHold.since})` : '';
  return `${r.id} ${r.type} (${r.regimeLabel}) ${r.status}${waiting}, due ${r.due} (${when}), owner ${r.owner ?? 'unassigned'}`;
}

export function stripStop(sentence: string): string {
  return sentence.replace(/\.\s*$/, '');
}
