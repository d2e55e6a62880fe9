/**
 * Suppliers and creators as SPDX 2.3 writes them (§6.8 creator, §7.5 supplier: `Organization:
 * NAME (EMAIL)` / `Person: NAME (EMAIL)`), read back into the model's Party.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatParty, parseParty } from '../../src/bom/model.js';

test('parseParty: the type must open the text; a Tool naming an organisation is no party', () => {
  assert.equal(parseParty('Tool: Organization: Acme'), undefined);
  assert.equal(parseParty('Creator Organization: Acme'), undefined);
});

test('parseParty: the contact in parentheses is an email or an http(s) URL; anything else is no contact', () => {
  assert.deepEqual(parseParty('Organization: Acme (http://acme.example)'), { type: 'organization', name: 'Acme', url: 'http://acme.example' });
  assert.deepEqual(parseParty('Organization: Acme (mirror of https://acme.example)'), { type: 'organization', name: 'Acme' });
  // What it reads is what formatParty writes.
  for (const p of [{ type: 'person' as const, name: 'Jane Doe', email: 'jane@example.com' }, { type: 'organization' as const, name: 'Acme', url: 'https://acme.example' }]) {
    assert.deepEqual(parseParty(formatParty(p)), p);
  }
});
