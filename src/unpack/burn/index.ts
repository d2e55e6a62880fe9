export { BurnReader } from './burn-reader.js';
export { parseBurnManifest, type BurnManifest, type BurnPayload, type BurnContainer, type BurnPackage } from './burn-manifest.js';
export { readWixburnSection, containerRanges, findWixburnInHead, type WixburnSection, type ContainerRange } from './wixburn-section.js';
