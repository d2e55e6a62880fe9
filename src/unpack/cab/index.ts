export { CabReader } from './cab-reader.js';
export { readCabDirectory, type CabDirectory, type CabFile, type CabFolder, type CabHeader } from './cab-directory.js';
export { cabChecksum } from './cab-checksum.js';
