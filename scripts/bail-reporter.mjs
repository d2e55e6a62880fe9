// A node:test reporter for `npm run mutation`: the first failing test ends the run with exit 1
// (one failure kills the mutant; the rest of the suite would only cost time), and a passing run
// ends with the plain `N passed, 0 failed` line.
export default async function* bail(source) {
  let passed = 0;
  for await (const event of source) {
    if (event.type === 'test:fail' && event.data.details?.type !== 'suite') {
      process.stdout.write(`failed: ${event.data.name}\n`);
      process.exit(1);
    }
    if (event.type === 'test:pass' && event.data.details?.type !== 'suite') passed++;
  }
  yield `${passed} passed, 0 failed\n`;
}
