export { NsisReader } from './nsis-reader.js';
export { findFirstHeader, peImageEnd, type NsisFirstHeader } from './first-header.js';
