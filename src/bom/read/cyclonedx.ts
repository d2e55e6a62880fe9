import { isKnownUnknownText, parseDeclarationText, parseDeclaredAbsentText } from '../../serialize/statements.js';
import type { BomFormat, BomView, CarrierRelation, ViewComponent } from '../view.js';
import { checksumsIn, identityOf, listOf, normalizePath, signatureOf, statedVersion, str, valuesWhere } from './keys.js';

type Obj = Record<string, unknown>;

const hashesOf = (c: Obj) => checksumsIn(c['hashes'], 'alg', 'content');

const props = (c: Obj, name: string): string[] => valuesWhere(c['properties'], 'name', name, 'value');

function entityName(e: unknown): string | undefined {
  const name = e && typeof e === 'object' ? str((e as Obj)['name']) : undefined;
  return name ? `Organization: ${name}` : undefined;
}

/**
 * A file component's path: installer-sbom writes the path as the name (and as
 * `installer-sbom:path` for containers); other tools often put a path in `name` or in the
 * `syft:location:0:path`-style properties. The name is the portable choice.
 */
function pathOf(c: Obj): string {
  return normalizePath(props(c, 'installer-sbom:path')[0] ?? str(c['name']) ?? '');
}

/** CycloneDX 1.6 / 1.7 JSON as the neutral view. */
export function viewOfCycloneDx(doc: Obj): BomView {
  const metadata = (doc['metadata'] ?? {}) as Obj;
  const rootNode = (metadata['component'] ?? undefined) as Obj | undefined;
  const tools = [...listOf<Obj>((metadata['tools'] as Obj | undefined)?.['components']), ...(Array.isArray(metadata['tools']) ? listOf<Obj>(metadata['tools']) : [])];
  const ownTool = tools.some((t) => t['name'] === 'installer-sbom');
  const format: BomFormat = doc['specVersion'] === '1.7' ? 'cyclonedx-1.7' : 'cyclonedx-1.6';
  const creators = [
    ...tools.map((t) => `Tool: ${str(t['name']) ?? '?'}${t['version'] ? `-${String(t['version'])}` : ''}`),
    ...(entityName(metadata['manufacturer']) ? [entityName(metadata['manufacturer'])!] : []),
    ...listOf<Obj>(metadata['authors']).map((a) => `Person: ${str(a['name']) ?? '?'}`),
  ];
  const view: BomView = {
    format,
    name: props(metadata, 'installer-sbom:document-name')[0] ?? str(rootNode?.['name']) ?? '(unnamed)',
    ownTool,
    ...(typeof metadata['timestamp'] === 'string' ? { created: metadata['timestamp'] } : {}),
    creators,
    hasFiles: false,
    files: [],
    containers: [],
    components: [],
    declaredAbsent: [],
    knownUnknowns: [],
    creatorContacts: [metadata['manufacturer'], ...listOf<Obj>(metadata['authors'])].flatMap((e) => contactsOf(e as Obj | undefined)),
    dependencies: [],
  };
  const rootRef = str(rootNode?.['bom-ref']);
  if (rootNode) {
    const cpe = str(rootNode['cpe']);
    const cpes = [...(cpe ? [cpe] : []), ...props(rootNode, 'installer-sbom:cpe')];
    const purl = str(rootNode['purl']);
    const version = statedVersion(rootNode['version']);
    const fileName = props(rootNode, 'bsi:component:filename')[0];
    view.root = {
      name: str(rootNode['name']) ?? '(unnamed)',
      ...(fileName ? { fileName } : {}),
      ...(version ? { version } : {}),
      checksums: hashesOf(rootNode),
      id: rootRef ?? '',
      keys: identityOf(str(rootNode['name']) ?? '', cpes, purl).keys,
      ...(purl ? { purl } : {}),
      cpes,
      ...(entityName(rootNode['supplier']) ? { supplier: entityName(rootNode['supplier'])! } : {}),
      ...(bsiProps(rootNode) ? { properties: bsiProps(rootNode)! } : {}),
      ...signatureOf(props(rootNode, 'installer-sbom:signature')),
    };
  }

  // Files and containers are the component tree under the artifact; components are what carries evidence or identifiers.
  const paths = new Map<string, string>();
  if (rootRef) paths.set(rootRef, view.root?.fileName ?? view.root?.name ?? '');
  const walk = (list: Obj[], topLevel: boolean, parent: string) => {
    for (const c of list) {
      const ref = str(c['bom-ref']) ?? '';
      const children = listOf<Obj>(c['components']);
      const isFile = c['type'] === 'file' && Object.keys(hashesOf(c)).length > 0 && !c['purl'] && !c['cpe'];
      if (children.length > 0 || props(c, 'installer-sbom:container-format').length > 0) {
        const version = statedVersion(c['version']);
        const fmt = props(c, 'installer-sbom:container-format')[0];
        const properties = bsiProps(c);
        view.containers.push({ path: pathOf(c), name: str(c['name']) ?? ref, ...(version ? { version } : {}), checksums: hashesOf(c), id: ref, ...(fmt ? { format: fmt } : {}), ...(properties ? { properties } : {}), parent, ...signatureOf(props(c, 'installer-sbom:signature')) });
        paths.set(ref, pathOf(c));
        walk(children, false, pathOf(c));
      } else if (isFile) {
        const properties = bsiProps(c);
        const size = props(c, 'installer-sbom:size')[0];
        view.files.push({
          path: pathOf(c),
          checksums: hashesOf(c),
          id: ref,
          container: parent,
          ...(size !== undefined && /^\d+$/.test(size) ? { size: Number(size) } : {}),
          ...(properties ? { properties } : {}),
          ...signatureOf(props(c, 'installer-sbom:signature')),
        });
        paths.set(ref, pathOf(c));
        view.hasFiles = true;
      } else if (topLevel || c['purl'] || c['cpe']) {
        view.components.push(componentOf(c));
      }
    }
  };
  walk(listOf<Obj>(doc['components']), true, '');

  // Dynamic links: a file's dependency on a component.
  // A file's dependency on a component is a dynamic link; the artifact's and a component's are DEPENDS_ON.
  const byRef = new Map(view.components.map((c) => [c.id, c]));
  for (const d of listOf<Obj>(doc['dependencies'])) {
    const from = str(d['ref']) ?? '';
    const to = listOf<unknown>(d['dependsOn']).map(String);
    if (from !== rootRef && paths.has(from)) for (const t of to) byRef.get(t)?.carriers.push({ path: paths.get(from)!, relation: 'dynamic-link' });
    else view.dependencies.push({ from, to });
  }
  for (const a of listOf<Obj>(doc['annotations'])) {
    const text = str(a['text']) ?? '';
    const absent = parseDeclaredAbsentText(text);
    if (absent) view.declaredAbsent.push({ name: absent.name, ...(absent.version !== undefined ? { version: absent.version } : {}), note: `${absent.status}: ${absent.note}`, cpes: absent.cpes, ...(absent.purl ? { purl: absent.purl } : {}) });
    else if (isKnownUnknownText(text)) view.knownUnknowns.push(text);
  }
  const rootComposition = listOf<Obj>(doc['compositions']).find((c) => listOf<unknown>(c['dependencies']).includes(rootRef));
  if (rootComposition && (rootComposition['aggregate'] === 'complete' || rootComposition['aggregate'] === 'incomplete')) view.complete = rootComposition['aggregate'] === 'complete';
  return view;
}

function componentOf(c: Obj): ViewComponent {
  const ref = str(c['bom-ref']) ?? str(c['name']) ?? '';
  const name = str(c['name']) ?? ref;
  const cpe = str(c['cpe']);
  const cpes = [...(cpe ? [cpe] : []), ...props(c, 'installer-sbom:cpe')];
  const purl = str(c['purl']);
  const version = statedVersion(c['version']);
  const evidence = (c['evidence'] ?? {}) as Obj;
  const identity = Array.isArray(evidence['identity']) ? listOf<Obj>(evidence['identity']) : evidence['identity'] ? [evidence['identity'] as Obj] : [];
  const carriers = listOf<Obj>(evidence['occurrences'])
    .filter((o) => typeof o['location'] === 'string' && (o['additionalContext'] === 'contains' || o['additionalContext'] === 'static-link'))
    .map((o) => ({ path: normalizePath(o['location'] as string), relation: o['additionalContext'] as CarrierRelation }));
  const declaration = props(c, 'installer-sbom:reconciliation').map(parseDeclarationText).find((d) => d !== undefined);
  const license = listOf<Obj>(c['licenses']).find((l) => typeof l['expression'] === 'string' && (l['acknowledgement'] === undefined || l['acknowledgement'] === 'declared'));
  return {
    name,
    ...(version ? { version } : {}),
    ...identityOf(name, cpes, purl),
    id: ref,
    ...(entityName(c['supplier']) ? { supplier: entityName(c['supplier'])! } : {}),
    ...(license ? { licenseDeclared: license['expression'] as string } : {}),
    carriers,
    evidence: identity.flatMap((i) => listOf<Obj>(i['methods']).map((m) => str(m['value'])).filter((v): v is string => !!v)),
    ...(declaration?.version !== undefined && declaration.status !== 'corroborated' ? { declaredVersion: declaration.version } : {}),
    ...(declaration ? { reconciliation: { status: declaration.status, note: declaration.note } } : {}),
    ...(typeof c['type'] === 'string' ? { purpose: c['type'] } : {}),
  };
}

/** BSI TR-03183-2 v2.1's `bsi:component:*` file properties, when all three are stated. */
function bsiProps(c: Obj) {
  const executable = props(c, 'bsi:component:executable')[0];
  const archive = props(c, 'bsi:component:archive')[0];
  const structured = props(c, 'bsi:component:structured')[0];
  if (executable === undefined || archive === undefined || structured === undefined) return undefined;
  return { executable: executable === 'executable', archive: archive === 'archive', structured: structured === 'structured' };
}

function contactsOf(e: Obj | undefined): string[] {
  if (!e || typeof e !== 'object') return [];
  return [...listOf<unknown>(e['url']).map(String), ...(typeof e['email'] === 'string' ? [e['email']] : []), ...listOf<Obj>(e['contact']).map((c) => str(c['email'])).filter((x): x is string => !!x)];
}
