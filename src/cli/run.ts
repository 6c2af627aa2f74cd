// Runs the CLI from source (tests bundle it: src/source-bundle.ts); bin/hookrelay.js runs the build.
import { main } from './main.js';

main(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
