/** The subset of SPDX 2.3 (JSON) that installer-sbom writes and reads. Plain data. */

export interface SpdxChecksum {
  algorithm: 'SHA1' | 'SHA256' | 'SHA512' | 'MD5' | string;
  checksumValue: string;
}

export interface SpdxExternalRef {
  referenceCategory: 'SECURITY' | 'PACKAGE-MANAGER' | 'PERSISTENT-ID' | 'OTHER';
  referenceType: string;
  referenceLocator: string;
  comment?: string;
}

export interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  packageFileName?: string;
  supplier?: string;
  originator?: string;
  downloadLocation: string;
  filesAnalyzed?: boolean;
  checksums?: SpdxChecksum[];
  homepage?: string;
  sourceInfo?: string;
  licenseConcluded?: string;
  licenseDeclared?: string;
  copyrightText?: string;
  summary?: string;
  description?: string;
  comment?: string;
  externalRefs?: SpdxExternalRef[];
  primaryPackagePurpose?: string;
  annotations?: SpdxAnnotation[];
  [extra: string]: unknown;
}

export interface SpdxFile {
  SPDXID: string;
  fileName: string;
  checksums: SpdxChecksum[];
  fileTypes?: string[];
  licenseConcluded?: string;
  copyrightText?: string;
  comment?: string;
  [extra: string]: unknown;
}

export interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: string;
  relatedSpdxElement: string;
  comment?: string;
}

export interface SpdxAnnotation {
  annotationDate: string;
  annotationType: 'REVIEW' | 'OTHER';
  annotator: string;
  comment: string;
}

export interface SpdxDocument {
  SPDXID: 'SPDXRef-DOCUMENT' | string;
  spdxVersion: 'SPDX-2.3' | string;
  dataLicense: string;
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[]; licenseListVersion?: string; comment?: string };
  comment?: string;
  documentDescribes?: string[];
  packages?: SpdxPackage[];
  files?: SpdxFile[];
  relationships?: SpdxRelationship[];
  annotations?: SpdxAnnotation[];
  [extra: string]: unknown;
}
