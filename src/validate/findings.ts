/** One thing a check found, naming the element it concerns (an id, a path, a JSON path). */
export interface Finding {
  severity: 'error' | 'warning';
  /** `schema`, `document`, `id`, `relationship`, `files-analyzed`, `ntia`, `bsi`, `quality`. */
  check: string;
  element: string;
  message: string;
}
