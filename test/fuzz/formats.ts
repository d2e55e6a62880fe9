/** Which tools each seed builder needs; a fuzz test skips (or, in CI, fails) without them. */
import type { TestContext } from 'node:test';
import { requireTool } from '../helpers/tools.js';

export function requireTools(t: TestContext, tools: readonly string[]): boolean {
  return tools.every((tool) => requireTool(t, tool));
}
