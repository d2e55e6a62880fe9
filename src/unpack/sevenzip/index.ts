export { extractWith7z, list7z, parseSltListing, assertInside, run7z } from './seven-zip.js';
export type { SevenZipOptions, SevenZipListing, SevenZipListEntry, SevenZipRun } from './seven-zip.js';
