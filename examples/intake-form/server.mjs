#!/usr/bin/env node
/**
 * A tiny example sender for privacy-ops' intake webhook: serves index.html, and on submit signs
 * the request and posts it to POST /api/intake. No dependencies (Node.js 20+).
 *
 *   INTAKE_SECRET=... PRIVACY_OPS_URL=http://localhost:3000 node examples/intake-form/server.mjs
 *
 * The secret stays on this server: a browser must never hold it, or anyone could sign requests.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const secret = process.env.INTAKE_SECRET;
const target = new URL('/api/intake', process.env.PRIVACY_OPS_URL ?? 'http://localhost:3000');
const port = Number(process.env.FORM_PORT ?? 8080);
if (!secret) {
  process.stderr.write('Set INTAKE_SECRET to the same value as privacy-ops.\n');
  process.exit(78);
}
const page = readFileSync(new URL('./index.html', import.meta.url));

/** Signs one body the way privacy-ops checks it: HMAC-SHA256 of "timestamp.body". */
function sign(body, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'x-intake-timestamp': String(timestamp), 'x-intake-signature': `sha256=${signature}` };
}

/** Posts with retries; the idempotency key makes a retry safe (it is logged once). */
async function deliver(submission) {
  const body = JSON.stringify(submission);
  for (let attempt = 1; ; attempt++) {
    try {
      // Signed per attempt: a signature is only accepted for five minutes.
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...sign(body) },
        body,
      });
      if (res.status < 500 && res.status !== 409) return { status: res.status, answer: await res.json() };
    } catch {
      // Connection refused or reset: retried below.
    }
    if (attempt === 3) return { status: 502, answer: { error: 'privacy-ops did not answer' } };
    await new Promise((r) => setTimeout(r, attempt * 2000));
  }
}

const server = createServer(async (req, res) => {
  if (req.method === 'GET' && (req.url === '/' || req.url === '/index.html')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    return;
  }
  if (req.method !== 'POST' || req.url !== '/submit') {
    res.writeHead(404).end();
    return;
  }
  let raw = '';
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 16_000) break;
  }
  const form = new URLSearchParams(raw);
  const field = (name) => form.get(name)?.trim() || undefined;
  const { status, answer } = await deliver({
    idempotencyKey: `form-${randomUUID()}`,
    requester: { name: field('name'), email: field('email') },
    type: field('type') ?? 'access',
    country: field('country'),
    state: field('state'),
    message: field('message'),
    received: new Date().toISOString(),
    source: 'web form',
  });
  const ok = status === 200 || status === 201 || status === 202;
  res
    .writeHead(ok ? 200 : 502, { 'content-type': 'text/plain; charset=utf-8' })
    .end(
      ok
        ? 'Thank you: your request was received and the privacy team will be in touch.'
        : `Sorry, the request could not be sent (${answer.error ?? status}). Please email the privacy team.`,
    );
});
server.listen(port, () => process.stderr.write(`Form on http://localhost:${port}, posting to ${target}\n`));
