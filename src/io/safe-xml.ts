import type { X2jOptions } from 'fast-xml-parser';

/**
 * fast-xml-parser options every reader of untrusted XML starts from:
 * keep attributes, never coerce text to numbers (`1.10` is a version, not 1.1), decode numeric
 * character references, refuse external entities (the parser's default) and cap entity
 * expansion, skip the declaration and processing instructions.
 */
export const SAFE_XML_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  processEntities: { enabled: true, maxEntityCount: 100, maxEntitySize: 10_000, maxExpandedLength: 100_000 },
  ignoreDeclaration: true,
  ignorePiTags: true,
} satisfies Partial<X2jOptions>;
