export { MsiReader, openMsiDatabase } from './msi-reader.js';
export { readMsiStreams } from './compound-file.js';
export { MsiDatabase, type MsiTable, type MsiColumn, type MsiValue } from './msi-database.js';
export { readStringPool, type StringPool } from './string-pool.js';
export { readSummaryInformation } from './summary-information.js';
export { resolveDirectories, longName, type DirectoryRow } from './install-paths.js';
export { decodeStreamName } from './stream-names.js';
